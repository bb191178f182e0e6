// What the progress screen shows, loaded from the API: the summary, the 12 weeks of days and the
// badges in one go, and the history a page at a time. Each throws when the data cannot be had.
import { api } from '../api/client.js';
import type { Badge, DayProgress, FocusSession, Stats, Streak } from '../api/types.js';
import { authed } from './auth.js';
import { addDays, weekdayIndex } from './format.js';

export const WEEKS = 12;

export interface Progress {
  stats: Stats;
  streak: Streak;
  /** Whole weeks, Monday to Sunday, the last one holding today (which is the last day). */
  days: DayProgress[];
  badges: Badge[];
}

export async function loadProgress(): Promise<Progress> {
  const [stats, streak, badges] = await Promise.all([
    authed(() => api.GET('/api/v1/stats')),
    authed(() => api.GET('/api/v1/streaks')),
    authed(() => api.GET('/api/v1/badges')),
  ]);
  if (!stats.data || !streak.data || !badges.data) throw new Error('unavailable');
  // "Today" is the user's day, as the server counts it: the range ends there.
  const today = stats.data.data.today.date;
  const from = addDays(today, -weekdayIndex(today) - 7 * (WEEKS - 1));
  const progress = await authed(() => api.GET('/api/v1/progress', { params: { query: { from, to: today } } }));
  if (!progress.data) throw new Error('unavailable');
  return { stats: stats.data.data, streak: streak.data.data, badges: badges.data.data, days: progress.data.data };
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
