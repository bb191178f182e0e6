// GET /badges: every definition with the caller's state, computed from totals (no history scan).
import type { DatabaseHandle } from '../../db/connect.js';
import { progressRepository } from '../progress/progress.repository.js';
import { badgeFacts } from './badge-rules.js';
import { type BadgeDto, toBadgeDto } from './badges.schemas.js';
import { badgesRepository } from './badges.repository.js';

export function badgesService({ db }: DatabaseHandle) {
  const badges = badgesRepository(db);
  const progress = progressRepository(db);
  return {
    async list(userId: number): Promise<BadgeDto[]> {
      const [catalogue, totals] = await Promise.all([badges.catalogueFor(userId), progress.totalsOf(userId)]);
      const facts = badgeFacts(totals, null);
      return catalogue.map((definition) => toBadgeDto(definition, definition.earnedAt, facts));
    },
  };
}

export type BadgesService = ReturnType<typeof badgesService>;
