// Instants as the contract writes them (RFC 3339 UTC, whole seconds); request-clock.ts supplies "now".

/** RFC 3339 UTC with whole seconds, the contract's timestamp format: "2026-02-18T08:00:00Z". */
export function toTimestamp(instant: Date): string {
  return instant.toISOString().slice(0, 19) + 'Z';
}

/** Seconds since the epoch of a stored timestamp (whole seconds in, whole seconds out). */
export function epochSeconds(timestamp: string): number {
  return Math.floor(Date.parse(timestamp) / 1000);
}

/** The stored timestamp of a count of seconds since the epoch. */
export function fromEpochSeconds(seconds: number): string {
  return toTimestamp(new Date(seconds * 1000));
}

/** Whole seconds between two stored timestamps. */
export function secondsBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / 1000);
}

const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 date-time with an offset; null when it is not one. */
export function parseRfc3339(value: string): Date | null {
  if (!RFC3339.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** The instant truncated to a whole second (the stored precision). */
export function wholeSecond(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / 1000) * 1000);
}
