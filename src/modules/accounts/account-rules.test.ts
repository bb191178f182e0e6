import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, isIanaTimeZone, normalizeEmail } from './account-rules.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM \n')).toBe('ada.lovelace@example.com');
  });

  it('accepts plus addressing and subdomains', () => {
    expect(normalizeEmail('ada+focus@mail.example.co.uk')).toBe('ada+focus@mail.example.co.uk');
  });

  /** An address of `length` characters with a 64-character local part and labels of at most 63. */
  const addressOf = (length: number) => {
    const labels = 'b'.repeat(63) + '.' + 'c'.repeat(63) + '.' + 'd'.repeat(length - 64 - 1 - 63 - 1 - 63 - 1 - 4) + '.com';
    return `${'a'.repeat(64)}@${labels}`;
  };

  it('accepts exactly 254 characters and rejects 255', () => {
    expect(normalizeEmail(addressOf(254))).toHaveLength(254);
    expect(normalizeEmail(addressOf(255))).toBeNull();
  });

  it('measures the length after trimming', () => {
    expect(normalizeEmail('   ' + addressOf(254) + '   ')).toHaveLength(254);
  });

  it('accepts a local part of 64 characters and refuses 65', () => {
    expect(normalizeEmail(`${'a'.repeat(64)}@example.com`)).toBe(`${'a'.repeat(64)}@example.com`);
    expect(normalizeEmail(`${'a'.repeat(65)}@example.com`)).toBeNull();
  });

  it('accepts domain labels of 63 characters and refuses 64, in any position', () => {
    expect(normalizeEmail(`ada@${'b'.repeat(63)}.${'c'.repeat(63)}.com`)).not.toBeNull();
    expect(normalizeEmail(`ada@${'b'.repeat(64)}.com`)).toBeNull();
    expect(normalizeEmail(`ada@example.${'c'.repeat(64)}`)).toBeNull();
  });

  it('counts the local part in code points', () => {
    expect(normalizeEmail(`${'é'.repeat(64)}@example.com`)).not.toBeNull();
    expect(normalizeEmail(`${'😀'.repeat(64)}@example.com`)).not.toBeNull();
    expect(normalizeEmail(`${'😀'.repeat(65)}@example.com`)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['no @', 'ada.example.com'],
    ['two @', 'ada@lovelace@example.com'],
    ['no local part', '@example.com'],
    ['no dot in the domain', 'ada@localhost'],
    ['an empty domain label', 'ada@example..com'],
    ['a trailing dot', 'ada@example.com.'],
    ['a space inside', 'ada lovelace@example.com'],
  ])('rejects %s', (_label, raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });
});

describe('isIanaTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Etc/GMT+5', 'America/Port-au-Prince'])(
    'accepts %s',
    (zone) => {
      expect(isIanaTimeZone(zone)).toBe(true);
    },
  );

  it.each([
    ['an unknown zone', 'Mars/Olympus_Mons'],
    ['an offset', '+05:00'],
    ['an offset with a prefix', 'UTC+5'],
    ['an empty string', ''],
    ['a path traversal', '../etc/passwd'],
    ['a trailing slash', 'Europe/'],
    ['a space', 'Europe/ Berlin'],
  ])('rejects %s', (_label, zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });

  it('answers the same the second time (the cache keeps the verdict)', () => {
    expect(isIanaTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isIanaTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isIanaTimeZone('Europe/Berlin')).toBe(true);
    expect(isIanaTimeZone('Europe/Berlin')).toBe(true);
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['europe/berlin', 'Europe/Berlin'],
    ['EUROPE/BERLIN', 'Europe/Berlin'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['utc', 'UTC'],
    ['america/port-au-prince', 'America/Port-au-Prince'],
    ['etc/gmt+5', 'Etc/GMT+5'],
  ])('spells %s as %s', (sent, stored) => {
    expect(canonicalTimeZone(sent)).toBe(stored);
  });

  it.each(['Asia/Kolkata', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'US/Pacific', 'Etc/UTC'])('keeps the link %s as a phone names it', (zone) => {
    expect(canonicalTimeZone(zone)).toBe(zone);
  });

  it('spells a zone Intl does not list by its resolved name, whatever the case (ETC/GMT+5 is Etc/GMT+5)', () => {
    expect(Intl.supportedValuesOf('timeZone')).not.toContain('Etc/GMT+5');
    expect(canonicalTimeZone('ETC/GMT+5')).toBe('Etc/GMT+5');
    expect(canonicalTimeZone('Etc/Gmt-14')).toBe('Etc/GMT-14');
  });

  it.each(['asia/Kolkata', 'Asia/kolkata'])(
    'gives %s, a link not spelled as IANA spells it, the one name every such spelling gets',
    (sent) => {
      const stored = canonicalTimeZone(sent);
      expect(stored).not.toBe(sent);
      expect(stored).toBe(canonicalTimeZone('asia/kolkata'));
    },
  );

  it('gives a link in another case the zone it resolves to, which keeps the same clock', () => {
    const stored = canonicalTimeZone('asia/kolkata');
    expect(stored).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
    const instant = new Date('2026-02-18T18:30:00Z');
    const hour = (zone: string) => new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(instant);
    expect(hour(stored)).toBe(hour('Asia/Kolkata'));
  });
});
