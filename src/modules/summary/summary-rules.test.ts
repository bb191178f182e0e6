import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WeekStart } from '../../db/database.js';
import { addDays } from '../../time/calendar.js';
import { type DayProgress, emptyDay } from '../progress/progress-rules.js';
import { type TagTotal, bestDay, compareTagTotals, periodContaining, periodTotals, previousPeriod, summaryRange, tagTotalsInOrder } from './summary-rules.js';

/** A day row as the repository gives it (any other field of a day stays as an empty day has it). */
function day(date: string, focusSeconds: number, sessionsCompleted: number, goalSeconds = 0): DayProgress {
  return { ...emptyDay(date, goalSeconds), focusSeconds, sessionsCompleted };
}

/** Any day from 1970 to 2399, as "YYYY-MM-DD". */
const anyDay = fc.integer({ min: 0, max: 157_000 }).map((n) => addDays('1970-01-01', n));
const anyWeekStart = fc.constantFrom<WeekStart>('monday', 'sunday');
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const FIRST_WEEKDAY: Record<WeekStart, number> = { monday: 1, sunday: 0 };

describe('the week containing a day', () => {
  it('starts on Monday or on Sunday as the user chose', () => {
    // 2026-03-04 is a Wednesday
    expect(periodContaining('week', '2026-03-04', 'monday')).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(periodContaining('week', '2026-03-04', 'sunday')).toEqual({ from: '2026-03-01', to: '2026-03-07' });
  });

  it('of the first day is the week it starts, of the last day the week it ends', () => {
    expect(periodContaining('week', '2026-03-02', 'monday')).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(periodContaining('week', '2026-03-08', 'monday')).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(periodContaining('week', '2026-03-01', 'sunday')).toEqual({ from: '2026-03-01', to: '2026-03-07' });
    expect(periodContaining('week', '2026-03-07', 'sunday')).toEqual({ from: '2026-03-01', to: '2026-03-07' });
    // a Sunday ends a Monday week and starts a Sunday one
    expect(periodContaining('week', '2026-03-01', 'monday')).toEqual({ from: '2026-02-23', to: '2026-03-01' });
  });

  it('crosses a month and a year when the calendar does', () => {
    expect(periodContaining('week', '2026-04-01', 'monday')).toEqual({ from: '2026-03-30', to: '2026-04-05' });
    expect(periodContaining('week', '2026-01-01', 'sunday')).toEqual({ from: '2025-12-28', to: '2026-01-03' });
  });

  it('is seven days starting on the chosen weekday and holding the day, the same for every day in it', () => {
    fc.assert(
      fc.property(anyDay, anyWeekStart, fc.integer({ min: 0, max: 6 }), (date, start, k) => {
        const week = periodContaining('week', date, start);
        expect(weekdayOf(week.from)).toBe(FIRST_WEEKDAY[start]);
        expect(week.to).toBe(addDays(week.from, 6));
        expect(week.from <= date && date <= week.to).toBe(true);
        expect(periodContaining('week', addDays(week.from, k), start)).toEqual(week);
      }),
    );
  });

  it('works before the reference Monday the weekday is counted from', () => {
    expect(periodContaining('week', '1999-12-31', 'monday')).toEqual({ from: '1999-12-27', to: '2000-01-02' });
    expect(periodContaining('week', '1999-12-31', 'sunday')).toEqual({ from: '1999-12-26', to: '2000-01-01' });
  });
});

describe('the calendar month containing a day', () => {
  it('has 28, 29, 30 or 31 days', () => {
    expect(periodContaining('month', '2026-02-14', 'monday')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodContaining('month', '2028-02-29', 'monday')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodContaining('month', '2026-04-30', 'monday')).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(periodContaining('month', '2026-01-01', 'sunday')).toEqual({ from: '2026-01-01', to: '2026-01-31' });
  });

  it('knows the leap years of the Gregorian calendar: every 4th, not every 100th, every 400th', () => {
    const february = (year: string) => periodContaining('month', `${year}-02-10`, 'monday').to;
    expect([2023, 2024, 1900, 2000, 2100, 2400].map((year) => february(String(year)))).toEqual([
      '2023-02-28',
      '2024-02-29',
      '1900-02-28',
      '2000-02-29',
      '2100-02-28',
      '2400-02-29',
    ]);
  });

  it('runs from the 1st to the month last day whatever the week start', () => {
    fc.assert(
      fc.property(anyDay, anyWeekStart, (date, start) => {
        const month = periodContaining('month', date, start);
        expect(month.from).toBe(`${date.slice(0, 7)}-01`);
        const length = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).getUTCDate();
        expect(month.to).toBe(`${date.slice(0, 7)}-${length}`);
      }),
    );
  });
});

describe('the period before', () => {
  it('is the week before, or the calendar month before', () => {
    expect(previousPeriod('week', { from: '2026-03-02', to: '2026-03-08' })).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(previousPeriod('month', { from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(previousPeriod('month', { from: '2026-01-01', to: '2026-01-31' })).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(previousPeriod('month', { from: '2024-03-01', to: '2024-03-31' })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('ends the day before the period starts and is the period of that day', () => {
    fc.assert(
      fc.property(anyDay, anyWeekStart, fc.constantFrom('week' as const, 'month' as const), (date, start, period) => {
        const current = periodContaining(period, date, start);
        const previous = previousPeriod(period, current);
        expect(previous.to).toBe(addDays(current.from, -1));
        expect(previous).toEqual(periodContaining(period, previous.to, start));
      }),
    );
  });
});

describe('the range of a summary', () => {
  it('is the period of the day and the one before', () => {
    expect(summaryRange('week', '2026-03-04', 'monday')).toEqual({
      ok: true,
      current: { from: '2026-03-02', to: '2026-03-08' },
      previous: { from: '2026-02-23', to: '2026-03-01' },
    });
    expect(summaryRange('month', '2026-03-04', 'sunday')).toEqual({
      ok: true,
      current: { from: '2026-03-01', to: '2026-03-31' },
      previous: { from: '2026-02-01', to: '2026-02-28' },
    });
  });

  it('refuses a day that is not a real date', () => {
    const notADate = { ok: false, message: 'must be a date written YYYY-MM-DD' };
    expect(summaryRange('week', '2026-02-30', 'monday')).toEqual(notADate);
    expect(summaryRange('month', '2026-13-01', 'monday')).toEqual(notADate);
    expect(summaryRange('month', 'today', 'monday')).toEqual(notADate);
  });

  it('refuses a day whose period or the one before leaves the years 0000 to 9999', () => {
    const outside = { ok: false, message: 'is too close to the end of the calendar (years 0000 to 9999)' };
    // 9999-12-31 is a Friday: its week ends in the year 10000
    expect(summaryRange('week', '9999-12-31', 'monday')).toEqual(outside);
    expect(summaryRange('month', '0000-01-20', 'monday')).toEqual(outside);
    expect(summaryRange('week', '0000-01-08', 'monday')).toEqual(outside);
    expect(summaryRange('month', '9999-12-31', 'monday')).toMatchObject({ ok: true, current: { from: '9999-12-01', to: '9999-12-31' } });
    expect(summaryRange('month', '0000-02-10', 'monday')).toMatchObject({ ok: true, previous: { from: '0000-01-01', to: '0000-01-31' } });
  });
});

describe('the totals of a period', () => {
  it('add the day rows, count active days and days whose goal was met', () => {
    const days = [day('2026-03-02', 1500, 1, 1500), day('2026-03-03', 0, 0, 1500), day('2026-03-04', 3000, 2, 3600), day('2026-03-05', 600, 1)];
    expect(periodTotals(days)).toEqual({ focusSeconds: 5100, sessionsCompleted: 4, daysActive: 3, goalDaysMet: 1 });
  });

  it('count as active a day with a completed session of no focus', () => {
    expect(periodTotals([day('2026-03-02', 0, 1)])).toEqual({ focusSeconds: 0, sessionsCompleted: 1, daysActive: 1, goalDaysMet: 0 });
  });

  it('are zero for no days', () => {
    expect(periodTotals([])).toEqual({ focusSeconds: 0, sessionsCompleted: 0, daysActive: 0, goalDaysMet: 0 });
  });
});

describe('the best day', () => {
  it('is the day with the most focus', () => {
    expect(bestDay([day('2026-03-02', 600, 1), day('2026-03-03', 3000, 2), day('2026-03-04', 1500, 1)])).toEqual(day('2026-03-03', 3000, 2));
  });

  it('is the earliest of the days that tie', () => {
    expect(bestDay([day('2026-03-02', 600, 1), day('2026-03-03', 1500, 1), day('2026-03-04', 1500, 3)])).toEqual(day('2026-03-03', 1500, 1));
  });

  it('is null when no day has focus', () => {
    expect(bestDay([])).toBeNull();
    expect(bestDay([day('2026-03-02', 0, 0), day('2026-03-03', 0, 1)])).toBeNull();
  });
});

describe('the per-tag lines', () => {
  const tag = (id: number, name: string) => ({ id, name, color: '#4F46E5' });
  const line = (t: TagTotal['tag'], focusSeconds: number, sessionsCompleted: number): TagTotal => ({ tag: t, focusSeconds, sessionsCompleted });

  it('go by focus descending, then sessions descending, then name regardless of case', () => {
    const lines = [line(tag(1, 'beta'), 1500, 1), line(tag(2, 'Alpha'), 1500, 1), line(tag(3, 'gamma'), 3000, 1), line(tag(4, 'delta'), 1500, 2)];
    expect(tagTotalsInOrder(lines).map((l) => l.tag?.name)).toEqual(['gamma', 'delta', 'Alpha', 'beta']);
  });

  it('put the untagged line after the names it ties with, and where its totals place it otherwise', () => {
    const lines = [line(null, 1500, 1), line(tag(1, 'zeta'), 1500, 1), line(tag(2, 'small'), 60, 1), line(tag(3, 'big'), 9000, 3)];
    expect(tagTotalsInOrder(lines).map((l) => l.tag?.name ?? null)).toEqual(['big', 'zeta', null, 'small']);
    expect(tagTotalsInOrder([line(tag(1, 'zeta'), 1500, 1), line(null, 1500, 1)]).map((l) => l.tag?.name ?? null)).toEqual(['zeta', null]);
  });

  it('compare the untagged line after a name it ties with, and two untagged lines as equal', () => {
    expect(compareTagTotals(line(null, 1500, 1), line(tag(1, 'zeta'), 1500, 1))).toBeGreaterThan(0);
    expect(compareTagTotals(line(tag(1, 'zeta'), 1500, 1), line(null, 1500, 1))).toBeLessThan(0);
    expect(compareTagTotals(line(null, 1500, 1), line(null, 1500, 1))).toBe(0);
  });

  it('leave out a line without a completed session', () => {
    expect(tagTotalsInOrder([line(tag(1, 'a'), 0, 0), line(null, 0, 0), line(tag(2, 'b'), 0, 1)])).toEqual([line(tag(2, 'b'), 0, 1)]);
  });

  it('names the collation calls equal still have one order', () => {
    const a = line(tag(1, 'ab'), 60, 1);
    const b = line(tag(2, 'a\u200Bb'), 60, 1);
    expect(tagTotalsInOrder([a, b])).toEqual(tagTotalsInOrder([b, a]));
  });
});
