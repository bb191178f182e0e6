// Pure rules of GET /summary (contract 14): which days a week or a month covers, the period before,
// the totals of its day rows, the best day, and the order of the per-tag lines.
import type { WeekStart } from '../../db/database.js';
import { type CalendarDay, addDays, daysBetween, isCalendarDay } from '../../time/calendar.js';
import { type DayProgress, goalMet } from '../progress/progress-rules.js';
import { compareTagNames, tagNameKey } from '../tags/tag-rules.js';

export type Period = 'week' | 'month';

export interface DayRange {
  from: CalendarDay;
  to: CalendarDay;
}

// A Monday: the weekday of any day is its distance from this one, modulo 7.
const A_MONDAY = '2024-01-01';
const WEEK_START_OFFSET: Record<WeekStart, number> = { monday: 0, sunday: 6 };

/** Days since the last `weekStartsOn` on or before `day`: 0..6. */
function daysIntoWeek(day: CalendarDay, weekStartsOn: WeekStart): number {
  const fromMonday = daysBetween(A_MONDAY, day) - WEEK_START_OFFSET[weekStartsOn];
  return ((fromMonday % 7) + 7) % 7;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The calendar month containing `day`. */
function monthOf(day: CalendarDay): DayRange {
  const yearMonth = day.slice(0, 7);
  const length = daysInMonth(Number(day.slice(0, 4)), Number(day.slice(5, 7)));
  return { from: `${yearMonth}-01`, to: `${yearMonth}-${length}` };
}

/** The calendar week (starting on `weekStartsOn`) or the calendar month containing `day`. */
export function periodContaining(period: Period, day: CalendarDay, weekStartsOn: WeekStart): DayRange {
  if (period === 'month') return monthOf(day);
  const from = addDays(day, -daysIntoWeek(day, weekStartsOn));
  return { from, to: addDays(from, 6) };
}

/** The week or calendar month just before `current` (a period periodContaining gave). */
export function previousPeriod(period: Period, current: DayRange): DayRange {
  if (period === 'month') return monthOf(addDays(current.from, -1));
  return { from: addDays(current.from, -7), to: addDays(current.from, -1) };
}

export type SummaryRangeResult = { ok: true; current: DayRange; previous: DayRange } | { ok: false; message: string };

/**
 * The periods a summary of `day` reads, or why `day` cannot be summarised: it must be a real date,
 * and its period and the one before must be days the calendar can write (years 0000 to 9999).
 */
export function summaryRange(period: Period, day: string, weekStartsOn: WeekStart): SummaryRangeResult {
  if (!isCalendarDay(day)) return { ok: false, message: 'must be a date written YYYY-MM-DD' };
  const current = periodContaining(period, day, weekStartsOn);
  const previous = previousPeriod(period, current);
  if (!isCalendarDay(previous.from) || !isCalendarDay(current.to)) return { ok: false, message: 'is too close to the end of the calendar (years 0000 to 9999)' };
  return { ok: true, current, previous };
}

export interface PeriodTotals {
  focusSeconds: number;
  sessionsCompleted: number;
  /** Days with at least one completed session. */
  daysActive: number;
  /** Days whose goal was met. */
  goalDaysMet: number;
}

export function periodTotals(days: readonly DayProgress[]): PeriodTotals {
  const totals: PeriodTotals = { focusSeconds: 0, sessionsCompleted: 0, daysActive: 0, goalDaysMet: 0 };
  for (const day of days) {
    totals.focusSeconds += day.focusSeconds;
    totals.sessionsCompleted += day.sessionsCompleted;
    if (day.sessionsCompleted > 0) totals.daysActive += 1;
    if (goalMet(day)) totals.goalDaysMet += 1;
  }
  return totals;
}

/** The day with the most focus, the earliest on a tie (days in ascending order); null when no day has any. */
export function bestDay(days: readonly DayProgress[]): DayProgress | null {
  let best: DayProgress | null = null;
  for (const day of days) {
    if (day.focusSeconds > (best?.focusSeconds ?? 0)) best = day;
  }
  return best;
}

export interface TagTotal {
  /** null: untagged sessions and those whose tag was deleted. */
  tag: { id: number; name: string; color: string } | null;
  focusSeconds: number;
  sessionsCompleted: number;
}

const nameOrder = (tag: { name: string }) => ({ name_key: tagNameKey(tag.name) });

/**
 * by_tag's order: focus descending, then sessions descending, then name as GET /tags orders names,
 * the untagged line after every name it ties with.
 */
export function compareTagTotals(a: TagTotal, b: TagTotal): number {
  const byTotals = b.focusSeconds - a.focusSeconds || b.sessionsCompleted - a.sessionsCompleted;
  if (byTotals !== 0) return byTotals;
  if (a.tag === null || b.tag === null) return Number(a.tag === null) - Number(b.tag === null);
  return compareTagNames(nameOrder(a.tag), nameOrder(b.tag));
}

/** The per-tag lines as shown: no line without a completed session, in compareTagTotals order. */
export function tagTotalsInOrder(lines: readonly TagTotal[]): TagTotal[] {
  return lines.filter((line) => line.sessionsCompleted > 0).sort(compareTagTotals);
}
