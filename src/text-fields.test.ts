import { describe, expect, it } from 'vitest';
import { NOTE_RULE, codePointLength, normalizeText } from './text-fields.js';
import { MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN } from './text-patterns.js';

const controls = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), '\u007f'];

describe('the control-character patterns', () => {
  // Ajv compiles patterns in unicode mode; a client may not: both must agree.
  for (const flags of ['u', '']) {
    const single = new RegExp(SINGLE_LINE_PATTERN, flags);
    const multi = new RegExp(MULTI_LINE_PATTERN, flags);

    it(`a single-line field refuses every C0 control character and DEL, anywhere (flags "${flags}")`, () => {
      for (const c of controls) {
        expect(single.test(`a${c}b`), JSON.stringify(c)).toBe(false);
        expect(single.test(`${c}ab`), JSON.stringify(c)).toBe(false);
      }
    });

    it(`a note allows only tab, line feed and carriage return among them (flags "${flags}")`, () => {
      const allowed = controls.filter((c) => multi.test(`a${c}b`));
      expect(allowed).toEqual(['\t', '\n', '\r']);
    });

    it(`text around the control range is accepted: U+0080, U+00A0, emoji, CJK (flags "${flags}")`, () => {
      for (const text of ['', 'plain', '\u0080\u009f', 'a\u00a0b', '😀 集中', 'e\u0301']) {
        expect(single.test(text), text).toBe(true);
        expect(multi.test(text), text).toBe(true);
      }
    });
  }
});

describe('lengths and normalisation', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('😀😀')).toBe(2);
    expect(codePointLength('e\u0301')).toBe(2);
    expect(codePointLength('')).toBe(0);
  });

  it('a note is NFC-normalised, not trimmed, and may be empty', () => {
    expect(normalizeText('  Cafe\u0301\n', NOTE_RULE)).toEqual({ value: '  Café\n' });
    expect(normalizeText('', NOTE_RULE)).toEqual({ value: '' });
  });

  it('a note of 500 code points after NFC fits and 501 does not', () => {
    expect(normalizeText('e\u0301'.repeat(500), NOTE_RULE)).toEqual({ value: 'é'.repeat(500) });
    expect(normalizeText('😀'.repeat(501), NOTE_RULE)).toEqual({ problem: 'must have at most 500 characters' });
  });

  it('a lone surrogate is refused; a surrogate pair is one character', () => {
    expect(normalizeText('a\ud800', NOTE_RULE)).toEqual({ problem: 'must be well-formed Unicode (no lone surrogates)' });
    expect(normalizeText('\udc00a', { maxLength: 10, trim: true })).toEqual({ problem: 'must be well-formed Unicode (no lone surrogates)' });
    expect(normalizeText('😀', { maxLength: 1, trim: true })).toEqual({ value: '😀' });
  });
});
