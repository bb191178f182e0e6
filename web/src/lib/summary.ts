// The progress screen's figures laid out and put into words, with no API call (lib/progress.ts loads
// them): the week or month summary (contract 14) — its title and dates, the comparison with the period
// before, the neighbouring periods, the scale of the by-day bars — and the heatmap's grid of weeks.
import type { DayProgress, Summary } from '../api/types.js';
import { addDays, weekdayIndex } from './format.js';

export type Period = Summary['period'];
export type WeekStart = 'monday' | 'sunday';

/** Weeks shown by the heatmap. */
export const WEEKS = 12;
const utc = (day: string) => new Date(`${day}T00:00:00Z`);
const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const WEEKDAY_DAY_MONTH = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "2–8 Mar 2026", "27 Feb – 5 Mar 2026". */
export function rangeLabel(from: string, to: string): string {
  return DAY_MONTH_YEAR.formatRange(utc(from), utc(to));
}

/** "Tue 10 Mar". */
export function dayLabel(day: string): string {
  return WEEKDAY_DAY_MONTH.format(utc(day));
}

/** "This week", "Last week", "Week of 2 Mar 2026"; "This month", "Last month", "January 2026". */
export function periodTitle(summary: Pick<Summary, 'period' | 'from' | 'to'>, today: string): string {
  const { period, from, to } = summary;
  if (from <= today && today <= to) return period === 'week' ? 'This week' : 'This month';
  const next = addDays(to, 1);
  const isLast = period === 'week' ? next <= today && today <= addDays(to, 7) : next.slice(0, 7) === today.slice(0, 7);
  if (isLast) return period === 'week' ? 'Last week' : 'Last month';
  return period === 'week' ? `Week of ${DAY_MONTH_YEAR.format(utc(from))}` : MONTH_YEAR.format(utc(from));
}

/** "+25 % vs last week", "−40 % vs last month", "Same as last week", "Nothing last week to compare with". */
export function comparison(current: number, previous: number, period: Period): string {
  const last = period === 'week' ? 'last week' : 'last month';
  if (previous === 0) return current === 0 ? `No focus ${last} either` : `Up from nothing ${last}`;
  const change = Math.round(((current - previous) / previous) * 100);
  if (change === 0) return `Same as ${last}`;
  return `${change > 0 ? '+' : '\u2212'}${Math.abs(change)} % vs ${last}`;
}

/** A date in the period before or after the one shown; null when that period starts after today. */
export function neighbour(summary: Pick<Summary, 'to' | 'previous'>, direction: -1 | 1, today: string): string | null {
  if (direction < 0) return summary.previous.from;
  const next = addDays(summary.to, 1);
  return next <= today ? next : null;
}

const STEPS = [900, 1800, 3600, 7200, 10800, 14400, 21600, 43200];

/** The chart's top and its gridlines: a round step (15 min … 12 h) so that at most four lines cover the tallest bar and the goal. */
export function chartScale(maxSeconds: number, goalSeconds: number): { top: number; ticks: number[] } {
  const highest = Math.max(maxSeconds, goalSeconds, 1);
  const step = STEPS.find((s) => Math.ceil(highest / s) <= 4) ?? 86400 / 4;
  const count = Math.max(1, Math.ceil(highest / step));
  return { top: step * count, ticks: Array.from({ length: count }, (_, i) => step * (i + 1)) };
}

/** The label under a day's bar: the weekday in a week, the day of the month every seventh day in a month. */
export function barLabel(day: string, period: Period, weekday: string): string {
  if (period === 'week') return weekday;
  const n = Number(day.slice(8, 10));
  return (n - 1) % 7 === 0 ? String(n) : '';
}

/** The heatmap's shade of a day: 0 (none) to 4 (two hours or more). */
export function heatLevel(seconds: number): 0 | 1 | 2 | 3 | 4 {
  if (seconds <= 0) return 0;
  if (seconds < 1500) return 1;
  if (seconds < 3600) return 2;
  if (seconds < 7200) return 3;
  return 4;
}

/** Position of a day in its week: 0 for the user's first day of the week … 6. */
export function dayOfWeek(day: string, weekStart: WeekStart): number {
  return (weekdayIndex(day) + (weekStart === 'sunday' ? 1 : 0)) % 7;
}

export interface HeatColumn {
  /** Seven slots, first day of the week first; null after today. */
  days: (DayProgress | null)[];
  /** A short month name where a month begins in this column (and on the first column unless one begins soon after). */
  month: string | null;
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });
const monthName = (day: string) => MONTH.format(utc(day));

/** WEEKS whole weeks, the last one holding today; days missing from `days` are left out of the grid. */
export function heatColumns(days: DayProgress[], today: string, weekStart: WeekStart): HeatColumn[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const first = addDays(today, -dayOfWeek(today, weekStart) - 7 * (WEEKS - 1));
  const columns: HeatColumn[] = [];
  for (let week = 0; week < WEEKS; week++) {
    const slots: (DayProgress | null)[] = [];
    let month: string | null = null;
    for (let i = 0; i < 7; i++) {
      const date = addDays(first, week * 7 + i);
      slots.push(date <= today ? (byDate.get(date) ?? null) : null);
      if (date.endsWith('-01') && date <= today) month = monthName(date);
    }
    columns.push({ days: slots, month });
  }
  // The first column names its month too, unless the next label is so close the two would overlap.
  if (!columns[0]!.month && !columns[1]?.month && !columns[2]?.month) columns[0]!.month = monthName(first);
  return columns;
}

/** The weekday names down the side of the heatmap, for the user's first day of the week. */
export function weekdayLabels(weekStart: WeekStart): string[] {
  const monday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  return weekStart === 'sunday' ? ['Sun', ...monday.slice(0, 6)] : monday;
}
