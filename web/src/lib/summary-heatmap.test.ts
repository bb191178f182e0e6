import { describe, expect, it } from 'vitest';
import type { DayProgress } from '../api/types.js';
import { addDays } from './format.js';
import { WEEKS, dayOfWeek, heatColumns, heatLevel, weekdayLabels } from './summary.js';

const day = (date: string, focus = 0, frozen = false): DayProgress => ({
  date,
  focus_seconds: focus,
  sessions_completed: focus > 0 ? 1 : 0,
  goal_seconds: 0,
  goal_met: false,
  frozen,
});
const range = (from: string, to: string) => {
  const days: DayProgress[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(day(d));
  return days;
};

describe('the heatmap layout', () => {
  it('shades a day by its focus', () => {
    expect([0, 1, 1499, 1500, 3600, 7199, 7200].map(heatLevel)).toEqual([0, 1, 1, 2, 3, 3, 4]);
  });

  it('puts the first day of the user\'s week on top', () => {
    expect(dayOfWeek('2026-03-09', 'monday')).toBe(0); // a Monday
    expect(dayOfWeek('2026-03-08', 'monday')).toBe(6); // a Sunday
    expect(dayOfWeek('2026-03-08', 'sunday')).toBe(0);
    expect(weekdayLabels('sunday')).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
  });

  it('lays out whole weeks, today in the last column, nothing after it, months named where they begin', () => {
    const today = '2026-03-10'; // a Tuesday
    const columns = heatColumns(range('2025-12-01', today), today, 'monday');
    expect(columns).toHaveLength(WEEKS);
    expect(columns[0]!.days[0]!.date).toBe('2025-12-22');
    const last = columns.at(-1)!.days;
    expect(last.map((d) => d?.date ?? null)).toEqual(['2026-03-09', '2026-03-10', null, null, null, null, null]);
    // the first column has no name: January begins in the next one, and the two would overlap
    expect(columns.map((c) => c.month)).toEqual([null, 'Jan', null, null, null, 'Feb', null, null, null, 'Mar', null, null]);
  });

  it('starts Sunday weeks on Sunday and names the first column when no month begins close to it', () => {
    const today = '2026-03-21'; // a Saturday: the last column is full
    const columns = heatColumns(range('2025-12-01', today), today, 'sunday');
    expect(columns[0]!.days[0]!.date).toBe('2025-12-28');
    expect(columns.at(-1)!.days.every((d) => d !== null)).toBe(true);
    expect(columns[0]!.month).toBe('Jan'); // 28 Dec to 3 Jan holds the 1st
    const later = heatColumns(range('2026-01-01', '2026-04-20'), '2026-04-20', 'monday');
    expect(later[0]!.days[0]!.date).toBe('2026-02-02');
    expect(later.map((c) => c.month)).toEqual(['Feb', null, null, 'Mar', null, null, null, null, 'Apr', null, null, null]);
  });

  it('keeps a frozen day as it came', () => {
    const days = [...range('2026-01-01', '2026-03-09'), day('2026-03-10', 1500)];
    days[days.length - 2] = day('2026-03-09', 0, true);
    const cells = heatColumns(days, '2026-03-10', 'monday').flatMap((c) => c.days);
    expect(cells.find((d) => d?.date === '2026-03-09')?.frozen).toBe(true);
  });
});
