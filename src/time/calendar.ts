// Pure calendar rules: the local day and hour of an instant in an IANA zone, and day arithmetic on
// "YYYY-MM-DD" strings (done on UTC dates, so no zone or DST can shift a day).

/** A calendar day, "YYYY-MM-DD". */
export type CalendarDay = string;

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// Building an Intl.DateTimeFormat costs far more than using one: one per zone, kept for the process.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface LocalTime {
  /** The calendar date in the zone, "YYYY-MM-DD". */
  day: CalendarDay;
  /** The hour of the day in the zone, 0..23. */
  hour: number;
}

/** The local calendar day and hour of `instant` in the IANA zone `timeZone` (throws RangeError for an unknown zone). */
export function localTime(instant: Date, timeZone: string): LocalTime {
  let year = '';
  let month = '';
  let day = '';
  let hour = 0;
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
    else if (part.type === 'hour') hour = Number(part.value) % 24;
  }
  return { day: `${year.padStart(4, '0')}-${month}-${day}`, hour };
}

export function localDay(instant: Date, timeZone: string): CalendarDay {
  return localTime(instant, timeZone).day;
}

export function localHour(instant: Date, timeZone: string): number {
  return localTime(instant, timeZone).hour;
}

function dayToUtcMs(day: CalendarDay): number {
  const match = DAY_PATTERN.exec(day);
  if (!match) throw new RangeError(`not a calendar day: ${day}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** True for a real date written "YYYY-MM-DD" ("2026-02-30" is not one). */
export function isCalendarDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return (
    date.getUTCFullYear() === Number(match[1]) &&
    date.getUTCMonth() === Number(match[2]) - 1 &&
    date.getUTCDate() === Number(match[3])
  );
}

/** The day `n` days after `day` (before, for negative n). */
export function addDays(day: CalendarDay, n: number): CalendarDay {
  return new Date(dayToUtcMs(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return Math.round((dayToUtcMs(to) - dayToUtcMs(from)) / DAY_MS);
}
