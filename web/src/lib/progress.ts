// What the progress screen shows, loaded from the API: today, the streak, the days behind the heatmap,
// the badges and this week's summary in one go (so nothing arrives later and pushes the page down),
// another week or month's summary, and the history a page at a time. Each load
// throws when the data cannot be had; `unavailableMessage` turns that into words for the user.
import { api } from '../api/client.js';
import type { Badge, DayProgress, FocusSession, Stats, Streak, Summary } from '../api/types.js';
import { Offline, authed } from './auth.js';
import { addDays } from './format.js';
import { type Period, WEEKS } from './summary.js';

export interface Progress {
  stats: Stats;
  streak: Streak;
  /** Every day of the last WEEKS weeks plus six (whichever day a week starts on), ascending, today last. */
  days: DayProgress[];
  badges: Badge[];
  /** This week's summary; null when it alone could not be had (the summary card then loads it and says why). */
  week: Summary | null;
}

export async function loadProgress(): Promise<Progress> {
  const [stats, streak, badges, week] = await Promise.all([
    authed(() => api.GET('/api/v1/stats')),
    authed(() => api.GET('/api/v1/streaks')),
    authed(() => api.GET('/api/v1/badges')),
    loadSummary('week', null).catch(() => null),
  ]);
  if (!stats.data || !streak.data || !badges.data) throw new Error('unavailable');
  // "Today" is the user's day, as the server counts it: the range ends there.
  const today = stats.data.data.today.date;
  const from = addDays(today, -(7 * WEEKS + 6));
  const progress = await authed(() => api.GET('/api/v1/progress', { params: { query: { from, to: today } } }));
  if (!progress.data) throw new Error('unavailable');
  return { stats: stats.data.data, streak: streak.data.data, badges: badges.data.data, days: progress.data.data, week };
}

/** What to tell the user when a load (or a save) failed: offline, or the server could not answer. */
export function unavailableMessage(error: unknown, what: string, action: 'loaded' | 'saved' = 'loaded'): string {
  return error instanceof Offline
    ? `${what} could not be ${action}: you are offline. Your timer still works; try again when you are back online.`
    : `${what} could not be ${action}: the server did not answer as expected. Please try again in a moment.`;
}

export interface HistoryPage {
  sessions: FocusSession[];
  /** Where the next page starts, or null after the last one. */
  cursor: string | null;
  hasMore: boolean;
}

export async function loadHistory(after: string | null, limit: number): Promise<HistoryPage> {
  const query = after ? { limit, cursor: after } : { limit };
  const { data } = await authed(() => api.GET('/api/v1/sessions', { params: { query } }));
  if (!data) throw new Error('unavailable');
  return { sessions: data.data, cursor: data.meta.next_cursor, hasMore: data.meta.has_more };
}

/** The week or month holding `date` (today in the user's zone when absent); throws when it cannot be had. */
export async function loadSummary(period: Period, date: string | null): Promise<Summary> {
  const query = date ? { period, date } : { period };
  const { data } = await authed(() => api.GET('/api/v1/summary', { params: { query } }));
  if (!data) throw new Error('unavailable');
  return data.data;
}
