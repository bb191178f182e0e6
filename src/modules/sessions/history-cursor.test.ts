import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './history-cursor.js';

describe('the history cursor', () => {
  it('decodes what it encodes', () => {
    const cursor = { startedAt: '2026-02-18T08:00:00Z', id: 42 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('round-trips any whole-second timestamp and positive 32-bit id (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 2147483647 }),
        (date, id) => {
          const cursor = { startedAt: date.toISOString().slice(0, 19) + 'Z', id };
          expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
        },
      ),
    );
  });

  it('decodes the largest id, 2147483647', () => {
    const cursor = { startedAt: '2026-02-18T08:00:00Z', id: 2147483647 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('is URL-safe: only base64url characters', () => {
    expect(encodeCursor({ startedAt: '2026-02-18T08:00:00Z', id: 2147483647 })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  // Node's base64url decoder reads each of these as the valid cursor ...|42; only the server's own form is accepted.
  const valid = b64('2026-02-18T08:00:00Z|42');

  it.each([
    ['an empty string', ''],
    ['characters outside base64url', 'abc+/='],
    ['garbage', 'not-a-cursor'],
    ['a missing id', b64('2026-02-18T08:00:00Z')],
    ['an extra part', b64('2026-02-18T08:00:00Z|1|2')],
    ['id zero', b64('2026-02-18T08:00:00Z|0')],
    ['a negative id', b64('2026-02-18T08:00:00Z|-1')],
    ['an id with a leading zero', b64('2026-02-18T08:00:00Z|01')],
    ['an id beyond 32 bits', b64('2026-02-18T08:00:00Z|2147483648')],
    ['an id of 11 digits', b64('2026-02-18T08:00:00Z|12345678901')],
    ['a prefix before the timestamp', b64('x2026-02-18T08:00:00Z|1')],
    ['a valid cursor written in standard base64, with = padding', Buffer.from('2026-02-18T08:00:00Z|42').toString('base64')],
    ['a valid cursor with a trailing =', `${valid}=`],
    ['a valid cursor with a leading space', ` ${valid}`],
    ['a valid cursor with a space inside', `${valid.slice(0, 8)} ${valid.slice(8)}`],
    ['a fractional id', b64('2026-02-18T08:00:00Z|1.5')],
    ['a timestamp with an offset', b64('2026-02-18T08:00:00+01:00|1')],
    ['a timestamp with milliseconds', b64('2026-02-18T08:00:00.000Z|1')],
    ['an impossible date', b64('2026-13-45T08:00:00Z|1')],
    ['SQL in place of the timestamp', b64("' or 1=1 --|1")],
  ])('rejects %s', (_label, value) => {
    expect(decodeCursor(value)).toBeNull();
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const decoded = decodeCursor(value);
        if (decoded !== null) expect(decoded.id).toBeGreaterThan(0);
      }),
    );
  });
});
