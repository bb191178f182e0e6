// What ending a session does inside the end's transaction (contract 5): the end is recorded with its
// local day; a completion adds to that day, steps the streak, updates the totals and awards badges;
// an abandonment only counts.
// Every step reads or writes this user's rows by key, so its cost does not grow with history.
import type { Db, FocusSessionRow, SessionStatus } from '../../db/database.js';
import { type LocalTime, localTime } from '../../time/calendar.js';
import { badgeFacts, badgesNewlyEarned } from '../badges/badge-rules.js';
import { toBadgeDto } from '../badges/badges.schemas.js';
import { badgesRepository } from '../badges/badges.repository.js';
import { totalsAfterCompletion } from '../progress/progress-rules.js';
import { toDayProgressDto } from '../progress/progress.schemas.js';
import { progressRepository } from '../progress/progress.repository.js';
import { nextStreak } from '../streaks/streak-rules.js';
import { toStreakRewardDto } from '../streaks/streaks.schemas.js';
import { type RewardsDto, type SessionDto, toSessionDto } from './sessions.schemas.js';
import { sessionsRepository } from './sessions.repository.js';

export interface SessionEnd {
  status: Extract<SessionStatus, 'completed' | 'abandoned'>;
  elapsed_seconds: number;
  /** The moment of the end (contract 10): it decides the local day. */
  ended_at: string;
  active_seconds: number;
  updated_at: string;
}

/**
 * Ends session `id` in `trx` (already locked and checked by the caller) and applies what the end
 * does. The local day is the end's date in `timezone`, the user's zone now, and is stored with the
 * session (contract 14 counts ends by it) as with the day's progress.
 */
export async function endSession(trx: Db, id: number, end: SessionEnd, timezone: string): Promise<SessionDto & { rewards: RewardsDto | null }> {
  const local = localTime(new Date(end.ended_at), timezone);
  const row = await sessionsRepository(trx).finish(id, { ...end, ended_day: local.day });
  const rewards = row.status === 'completed' ? await applyCompletion(trx, row, local) : await applyAbandonment(trx, row);
  return { ...toSessionDto(row), rewards };
}

/** Applies a completion of `session` (already saved as completed, with ended_at) in `trx`; `local` is the end's local day and hour; returns the rewards. */
async function applyCompletion(trx: Db, session: FocusSessionRow, local: LocalTime): Promise<RewardsDto> {
  if (session.status !== 'completed' || session.ended_at === null) throw new Error('applyCompletion needs a completed session');
  const userId = session.user_id;
  const endedAt = session.ended_at;
  const progress = progressRepository(trx);
  const badges = badgesRepository(trx);

  const { day, hour } = local;

  // Locking the totals row first serializes every side effect of this user's completions.
  const before = await progress.lockTotals(userId, endedAt);
  const dayAfter = await progress.addToDay(userId, day, session.elapsed_seconds);
  const counted = totalsAfterCompletion(before, session.elapsed_seconds, dayAfter);
  const streak = nextStreak(counted, dayAfter.day);
  await progress.freezeDays(userId, streak.frozenDays);
  const totals = { ...counted, ...streak.state };
  await progress.saveTotals(userId, totals, endedAt);

  const facts = badgeFacts(totals, hour);
  const newlyMet = badgesNewlyEarned(await badges.unearnedMeetable(userId, facts), facts);
  const met = await badges.definitionsFor(newlyMet.map((definition) => definition.code));
  const inserted = await badges.award(userId, met.map((definition) => definition.code), endedAt);

  return {
    daily_progress: toDayProgressDto(dayAfter),
    streak: toStreakRewardDto(streak),
    badges_awarded: met.filter((definition) => inserted.has(definition.code)).map((definition) => toBadgeDto(definition, endedAt, facts)),
  };
}

/** Counts an abandoned session in the user's totals (no progress, streak or badges: spec section 5). */
async function applyAbandonment(trx: Db, session: FocusSessionRow): Promise<null> {
  await progressRepository(trx).countAbandoned(session.user_id, session.ended_at ?? session.updated_at);
  return null;
}
