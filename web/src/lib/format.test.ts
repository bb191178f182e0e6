import { describe, expect, it } from 'vitest';
import { addDays, clock, duration, localDay, rfc3339, weekdayIndex } from './format.js';

describe('display helpers', () => {
  it('shows the countdown as clock digits', () => {
    expect(clock(1500)).toBe('25:00');
    expect(clock(59)).toBe('00:59');
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(86400)).toBe('24:00:00');
  });

  it('writes focus time the way people say it', () => {
    expect(duration(0)).toBe('0 min');
    expect(duration(45)).toBe('45 s');
    expect(duration(1500)).toBe('25 min');
    expect(duration(5400)).toBe('1 h 30 min');
    expect(duration(7200)).toBe('2 h');
  });

  it('finds the calendar day of an instant in the user\'s time zone', () => {
    const instant = Date.UTC(2026, 1, 18, 23, 30);
    expect(localDay(instant, 'UTC')).toBe('2026-02-18');
    expect(localDay(instant, 'Europe/Berlin')).toBe('2026-02-19');
    expect(localDay(instant, 'America/New_York')).toBe('2026-02-18');
  });

  it('does calendar arithmetic across months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-01-01', -83)).toBe('2025-10-10');
    expect(weekdayIndex('2026-02-16')).toBe(0); // a Monday
  });

  it('writes timestamps in the server\'s format', () => {
    expect(rfc3339(Date.UTC(2026, 1, 18, 8, 0, 0, 999))).toBe('2026-02-18T08:00:00Z');
  });
});
