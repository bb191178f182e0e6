// Pure calendar rules: the local day and hour of an instant in an IANA zone, and day arithmetic on
// "YYYY-MM-DD" strings (done on UTC dates, so no zone or DST can shift a day).

/** A calendar day, "YYYY-MM-DD". */
export type CalendarDay = string;

const DAY_MS = 86_400_000;

// Building an Intl.DateTimeFormat costs far more than using one: one per zone, kept for the process.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  // Stryker disable next-line ConditionalExpression: a new formatter each call gives the same answer, only slower
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
  // Stryker disable next-line StringLiteral: formatToParts always yields a year, a month and a day, so these start values are never read
  let year = '', month = '', day = '';
  let hour = 0;
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        year = part.value;
        break;
      case 'month':
        month = part.value;
        break;
      case 'day':
        day = part.value;
        break;
      case 'hour':
        hour = Number(part.value) % 24;
        break;
    }
  }
  return { day: `${year.padStart(4, '0')}-${month}-${day}`, hour };
}

export function localDay(instant: Date, timeZone: string): CalendarDay {
  return localTime(instant, timeZone).day;
}

export function localHour(instant: Date, timeZone: string): number {
  return localTime(instant, timeZone).hour;
}

/** Midnight UTC of a "YYYY-MM-DD" string ("2026-02-30" rolls over to 2 March), or null for another shape. */
function utcMidnight(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return date;
}

function dayToUtcMs(day: CalendarDay): number {
  const date = utcMidnight(day);
  if (!date) throw new RangeError(`not a calendar day: ${day}`);
  return date.getTime();
}

/** True for a real date written "YYYY-MM-DD" ("2026-02-30" is not one). */
export function isCalendarDay(value: string): boolean {
  const date = utcMidnight(value);
  // A day that rolled over to another one does not write back as itself.
  return date !== null && date.toISOString().slice(0, 10) === value;
}

/** The day `n` days after `day` (before, for negative n). */
export function addDays(day: CalendarDay, n: number): CalendarDay {
  return new Date(dayToUtcMs(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return Math.round((dayToUtcMs(to) - dayToUtcMs(from)) / DAY_MS);
}
