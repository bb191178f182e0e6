// What ending a session does inside the end's transaction (contract 5): a completion adds to the
// local day, steps the streak, updates the totals and awards badges; an abandonment only counts.
// Every step reads or writes this user's rows by key, so its cost does not grow with history.
import type { Db, FocusSessionRow } from '../../db/database.js';
import { localTime } from '../../time/calendar.js';
import { badgeFacts, badgesNewlyEarned } from '../badges/badge-rules.js';
import { toBadgeDto } from '../badges/badges.schemas.js';
import { badgesRepository } from '../badges/badges.repository.js';
import { totalsAfterCompletion } from '../progress/progress-rules.js';
import { toDayProgressDto } from '../progress/progress.schemas.js';
import { progressRepository } from '../progress/progress.repository.js';
import { nextStreak } from '../streaks/streak-rules.js';
import { toStreakDto } from '../streaks/streaks.schemas.js';
import type { RewardsDto } from './sessions.schemas.js';

/** Applies a completion of `session` (already saved as completed, with ended_at) in `trx`; `timezone` is its user's; returns the rewards. */
export async function applyCompletion(trx: Db, session: FocusSessionRow, timezone: string): Promise<RewardsDto> {
  if (session.status !== 'completed' || session.ended_at === null) throw new Error('applyCompletion needs a completed session');
  const userId = session.user_id;
  const endedAt = session.ended_at;
  const progress = progressRepository(trx);
  const badges = badgesRepository(trx);

  const { day, hour } = localTime(new Date(endedAt), timezone);
  // Locking the totals row first serializes every side effect of this user's completions.
  const before = await progress.lockTotals(userId, endedAt);
  const dayAfter = await progress.addToDay(userId, day, session.elapsed_seconds);
  const counted = totalsAfterCompletion(before, session.elapsed_seconds, dayAfter);
  const totals = { ...counted, ...nextStreak(counted, dayAfter.day) };
  await progress.saveTotals(userId, totals, endedAt);

  const facts = badgeFacts(totals, hour);
  const newlyMet = badgesNewlyEarned(await badges.unearnedMeetable(userId, facts), facts);
  const met = await badges.definitionsFor(newlyMet.map((definition) => definition.code));
  const inserted = await badges.award(userId, met.map((definition) => definition.code), endedAt);

  return {
    daily_progress: toDayProgressDto(dayAfter),
    streak: toStreakDto(totals),
    badges_awarded: met.filter((definition) => inserted.has(definition.code)).map((definition) => toBadgeDto(definition, endedAt, facts)),
  };
}

/** Counts an abandoned session in the user's totals (no progress, streak or badges: spec section 5). */
export async function applyAbandonment(trx: Db, session: FocusSessionRow): Promise<null> {
  await progressRepository(trx).countAbandoned(session.user_id, session.ended_at ?? session.updated_at);
  return null;
}
