import { describe, expect, it } from 'vitest';
import { isIanaTimeZone, normalizeEmail } from './account-rules.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM \n')).toBe('ada.lovelace@example.com');
  });

  it('accepts plus addressing and subdomains', () => {
    expect(normalizeEmail('ada+focus@mail.example.co.uk')).toBe('ada+focus@mail.example.co.uk');
  });

  it('accepts exactly 254 characters and rejects 255', () => {
    const domain = '@example.com';
    expect(normalizeEmail('a'.repeat(254 - domain.length) + domain)).toHaveLength(254);
    expect(normalizeEmail('a'.repeat(255 - domain.length) + domain)).toBeNull();
  });

  it('measures the length after trimming', () => {
    const domain = '@example.com';
    expect(normalizeEmail('   ' + 'a'.repeat(254 - domain.length) + domain + '   ')).toHaveLength(254);
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
