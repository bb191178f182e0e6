// The side effects of an ended session (contract 5), run inside the caller's transaction: a
// completion updates the day's progress, the streak, the totals and awards badges; an abandonment
// only counts. Every step reads or writes this user's rows by key: the cost does not grow with history.
import type { Db, FocusSessionRow } from '../../db/database.js';
import { localTime } from '../../time/calendar.js';
import { badgeFacts, badgesNewlyEarned } from '../badges/badge-rules.js';
import { badgesRepository } from '../badges/badges.repository.js';
import { toBadgeDto } from '../badges/badges.service.js';
import { totalsAfterCompletion } from './progress-rules.js';
import type { RewardsDto } from './progress.schemas.js';
import { progressRepository } from './progress.repository.js';

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
  const totals = totalsAfterCompletion(before, session.elapsed_seconds, dayAfter);
  await progress.saveTotals(userId, totals, endedAt);

  const facts = badgeFacts(totals, hour);
  const newlyMet = badgesNewlyEarned(await badges.unearnedMeetable(userId, facts), facts);
  const met = await badges.definitionsFor(newlyMet.map((definition) => definition.code));
  const inserted = await badges.award(userId, met.map((definition) => definition.code), endedAt);

  return {
    daily_progress: { date: dayAfter.day, focus_seconds: dayAfter.focusSeconds, sessions_completed: dayAfter.sessionsCompleted },
    streak: { current_streak: totals.currentStreak, longest_streak: totals.longestStreak, last_active_date: totals.lastActiveDay },
    badges_awarded: met.filter((definition) => inserted.has(definition.code)).map((definition) => toBadgeDto(definition, endedAt, facts)),
  };
}

/** Counts an abandoned session in the user's totals (no progress, streak or badges: spec section 5). */
export async function applyAbandonment(trx: Db, session: FocusSessionRow): Promise<null> {
  await progressRepository(trx).countAbandoned(session.user_id, session.ended_at ?? session.updated_at);
  return null;
}
