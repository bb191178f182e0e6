// Pure rules for account input: email normalisation and IANA time zone names.
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length === 0 || email.length > 254) return null;
  // one @, a non-empty local part, a dotted domain, no spaces: what a mail server would take
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) return null;
  return email;
}

const zoneCache = new Map<string, boolean>();

/** An IANA zone name the runtime knows ("Europe/Berlin", "UTC"); not an offset like "+05:00". */
export function isIanaTimeZone(name: string): boolean {
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached;
  let valid = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name);
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
    } catch {
      valid = false;
    }
  }
  if (zoneCache.size < 1000) zoneCache.set(name, valid);
  return valid;
}
