import { describe, expect, it } from 'vitest';
import { COLOR_PATTERN, TAG_PALETTE, compareTagNames, normalizeColor, paletteColor, tagName, tagNameKey } from './tag-rules.js';

describe('tag names', () => {
  it('a name is trimmed and its key is the lower-cased name', () => {
    expect(tagName('  Deep Work \u00a0')).toEqual({ name: 'Deep Work', key: 'deep work' });
  });

  it('"Über" and "über" have one key, so they cannot both exist', () => {
    expect(tagNameKey('Über')).toBe(tagNameKey('über'));
    expect(tagNameKey('ÉCOLE')).toBe('école');
  });

  it('a decomposed accent is stored composed (NFC) and keys like the composed one', () => {
    const decomposed = 'Cafe\u0301';
    const result = tagName(decomposed);
    expect(result).toEqual({ name: 'Café', key: 'café' });
    expect(tagNameKey('CAFÉ')).toBe('café');
  });

  it('lower-casing is not locale-dependent: "I" becomes "i" everywhere', () => {
    expect(tagNameKey('INBOX')).toBe('inbox');
  });

  it('40 code points are accepted, 41 refused; an emoji counts as one', () => {
    expect(tagName('😀'.repeat(40))).toEqual({ name: '😀'.repeat(40), key: '😀'.repeat(40) });
    expect(tagName('a'.repeat(41))).toEqual({ problem: 'must have at most 40 characters' });
  });

  it('the length is counted after NFC and trimming: 40 decomposed accents with padding fit', () => {
    const raw = `   ${'e\u0301'.repeat(40)}   `;
    const result = tagName(raw);
    expect(result).toEqual({ name: 'é'.repeat(40), key: 'é'.repeat(40) });
  });

  it('a blank name is refused', () => {
    expect(tagName('   ')).toEqual({ problem: 'must not be blank' });
  });
});

describe('tag colours', () => {
  it('a colour is returned in upper case', () => {
    expect(normalizeColor('#a1b2c3')).toBe('#A1B2C3');
    expect(normalizeColor('#A1B2C3')).toBe('#A1B2C3');
  });

  it('a colour is "#" and six hex digits in either case, nothing else', () => {
    const color = new RegExp(COLOR_PATTERN, 'u');
    for (const ok of ['#abcdef', '#ABCDEF', '#09aF3c']) expect(color.test(ok), ok).toBe(true);
    for (const bad of ['#abc', 'abcdef', '#abcdeg', '#abcdef0', ' #abcdef', '#abcde ', '']) expect(color.test(bad), bad).toBe(false);
  });

  it('the palette is upper-case #RRGGBB and has no repeats', () => {
    for (const color of TAG_PALETTE) expect(color).toMatch(/^#[0-9A-F]{6}$/);
    expect(new Set(TAG_PALETTE).size).toBe(TAG_PALETTE.length);
  });

  it('the palette is used in turn and starts again after its last colour', () => {
    expect(paletteColor(0)).toBe(TAG_PALETTE[0]);
    expect(paletteColor(1)).toBe(TAG_PALETTE[1]);
    expect(paletteColor(TAG_PALETTE.length)).toBe(TAG_PALETTE[0]);
    expect(paletteColor(TAG_PALETTE.length + 3)).toBe(TAG_PALETTE[3]);
  });
});

describe('tag order', () => {
  const sorted = (names: string[]) =>
    names
      .map((name) => ({ name, name_key: tagNameKey(name) }))
      .sort(compareTagNames)
      .map((t) => t.name);

  it('orders by name regardless of case', () => {
    expect(sorted(['beta', 'Alpha', 'gamma', 'Delta'])).toEqual(['Alpha', 'beta', 'Delta', 'gamma']);
  });

  it('names the collation calls equal (an invisible zero-width space) still have one order, whatever came first', () => {
    expect(sorted(['a\u200bb', 'ab'])).toEqual(['ab', 'a\u200bb']);
    expect(sorted(['ab', 'a\u200bb'])).toEqual(['ab', 'a\u200bb']);
  });

  it('puts accented names beside their base letter, not after "z"', () => {
    expect(sorted(['zebra', 'Écriture', 'deep', 'Über', 'reading'])).toEqual(['deep', 'Écriture', 'reading', 'Über', 'zebra']);
  });
});
