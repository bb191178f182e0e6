import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isCalendarDay, localDay, localHour, localTime } from './calendar.js';

describe('local day and hour of an instant', () => {
  it.each([
    ['UTC', '2026-02-18T08:00:00Z', '2026-02-18', 8],
    ['America/Los_Angeles', '2026-02-19T06:30:00Z', '2026-02-18', 22],
    ['America/Los_Angeles', '2026-02-19T08:00:00Z', '2026-02-19', 0],
    ['Asia/Tokyo', '2026-12-31T23:30:00Z', '2027-01-01', 8],
    ['Pacific/Kiritimati', '2026-02-18T09:59:59Z', '2026-02-18', 23],
    ['Pacific/Kiritimati', '2026-02-18T10:00:00Z', '2026-02-19', 0],
    ['Etc/GMT+12', '2026-02-18T11:59:59Z', '2026-02-17', 23],
    ['Etc/GMT+12', '2026-02-18T12:00:00Z', '2026-02-18', 0],
    ['Asia/Kolkata', '2026-02-18T18:29:59Z', '2026-02-18', 23],
    ['Asia/Kolkata', '2026-02-18T18:30:00Z', '2026-02-19', 0],
    ['Asia/Kathmandu', '2026-02-18T18:14:59Z', '2026-02-18', 23],
    ['Asia/Kathmandu', '2026-02-18T18:15:00Z', '2026-02-19', 0],
    ['Australia/Eucla', '2026-02-18T15:15:00Z', '2026-02-19', 0],
    ['America/St_Johns', '2026-02-19T03:29:59Z', '2026-02-18', 23],
    ['America/St_Johns', '2026-02-19T03:30:00Z', '2026-02-19', 0],
    ['Pacific/Chatham', '2026-02-18T10:15:00Z', '2026-02-19', 0],
    ['Australia/Lord_Howe', '2026-02-18T13:00:00Z', '2026-02-19', 0],
    ['Australia/Lord_Howe', '2026-07-18T13:30:00Z', '2026-07-19', 0],
  ])('in %s, %s is local day %s at hour %i', (zone, instant, day, hour) => {
    expect(localTime(new Date(instant), zone)).toEqual({ day, hour });
    expect(localDay(new Date(instant), zone)).toBe(day);
    expect(localHour(new Date(instant), zone)).toBe(hour);
  });

  it('follows the spring-forward change in Los Angeles: 01:59 PST is followed by 03:00 PDT', () => {
    expect(localTime(new Date('2026-03-08T09:59:59Z'), 'America/Los_Angeles')).toEqual({ day: '2026-03-08', hour: 1 });
    expect(localTime(new Date('2026-03-08T10:00:00Z'), 'America/Los_Angeles')).toEqual({ day: '2026-03-08', hour: 3 });
  });

  it('follows the fall-back change in Los Angeles: hour 1 happens twice on the same day', () => {
    expect(localTime(new Date('2026-11-01T06:59:59Z'), 'America/Los_Angeles')).toEqual({ day: '2026-10-31', hour: 23 });
    expect(localTime(new Date('2026-11-01T08:30:00Z'), 'America/Los_Angeles')).toEqual({ day: '2026-11-01', hour: 1 });
    expect(localTime(new Date('2026-11-01T09:30:00Z'), 'America/Los_Angeles')).toEqual({ day: '2026-11-01', hour: 1 });
  });

  it('follows the spring-forward change in Berlin: 01:59 CET is followed by 03:00 CEST', () => {
    expect(localTime(new Date('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toEqual({ day: '2026-03-29', hour: 1 });
    expect(localTime(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toEqual({ day: '2026-03-29', hour: 3 });
  });

  it('skips 30 December 2011 in Samoa, which moved across the date line', () => {
    expect(localDay(new Date('2011-12-30T09:59:59Z'), 'Pacific/Apia')).toBe('2011-12-29');
    expect(localDay(new Date('2011-12-30T10:00:00Z'), 'Pacific/Apia')).toBe('2011-12-31');
  });

  it('writes a year before 1000 with four digits', () => {
    expect(localTime(new Date('0999-06-01T12:00:00Z'), 'UTC')).toEqual({ day: '0999-06-01', hour: 12 });
    expect(localDay(new Date('0050-01-01T00:00:00Z'), 'UTC')).toBe('0050-01-01');
  });

  it('rejects an unknown zone with a RangeError', () => {
    expect(() => localDay(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('never puts the local day more than one day away from the UTC day', () => {
    const zones = ['UTC', 'Pacific/Kiritimati', 'Etc/GMT+12', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'America/Los_Angeles'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const { day, hour } = localTime(new Date(ms), zone);
        const utcDay = new Date(ms).toISOString().slice(0, 10);
        expect(isCalendarDay(day)).toBe(true);
        expect(Math.abs(daysBetween(utcDay, day))).toBeLessThanOrEqual(1);
        expect(hour).toBeGreaterThanOrEqual(0);
        expect(hour).toBeLessThanOrEqual(23);
      }),
    );
  });
});

describe('day arithmetic on YYYY-MM-DD', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-08', 1, '2026-03-09'],
    ['2026-02-18', -6, '2026-02-12'],
    ['2026-02-18', 0, '2026-02-18'],
  ])('%s plus %i days is %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
    expect(daysBetween(day, expected)).toBe(n);
  });

  it('reads years 0000 to 0099 as written, not as 1900 to 1999', () => {
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
    expect(addDays('0000-03-01', -1)).toBe('0000-02-29');
    // year 0 is a leap year of the proleptic Gregorian calendar; 1900 was not
    expect(daysBetween('0000-01-01', '0001-01-01')).toBe(366);
  });

  it('counts 365 days in 2026 and 366 in 2028', () => {
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it('adding n days and counting back gives n for any day and n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: -1000, max: 1000 }), (offset, n) => {
        const day = addDays('1970-01-01', offset);
        expect(daysBetween(day, addDays(day, n))).toBe(n);
      }),
    );
  });

  it.each(['2026-02-18', '2028-02-29', '2000-02-29', '1999-12-31', '0099-12-31', '0000-02-29', '9999-12-31'])('accepts %s as a calendar day', (day) => {
    expect(isCalendarDay(day)).toBe(true);
  });

  it.each(['2026-02-29', '1900-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-1-01', '2026-02-18T00:00:00Z', 'x2026-02-18', '12026-02-18', '0099-02-29', '', 'yesterday'])(
    'rejects %j as a calendar day',
    (value) => {
      expect(isCalendarDay(value)).toBe(false);
    },
  );

  it.each(['18/02/2026', 'x2026-02-18', '2026-02-18x'])('refuses arithmetic on %j, saying why', (value) => {
    expect(() => addDays(value, 1)).toThrow(new RangeError(`not a calendar day: ${value}`));
    expect(() => daysBetween('2026-02-18', value)).toThrow(RangeError);
    expect(() => daysBetween(value, '2026-02-18')).toThrow(RangeError);
  });
});
