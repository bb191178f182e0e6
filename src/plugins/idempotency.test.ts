import { describe, expect, it } from 'vitest';
import { requestFingerprint } from './idempotency.js';

const print = (body: unknown, method = 'PATCH', path = '/api/v1/sessions/1/pause') => requestFingerprint(method, path, body);

describe('requestFingerprint', () => {
  it('ignores key order, nested ones included', () => {
    expect(print({ a: 1, b: { c: 2, d: [1, 2] } })).toBe(print({ b: { d: [1, 2], c: 2 }, a: 1 }));
  });

  it('takes no body, null and {} as one body', () => {
    expect(print(undefined)).toBe(print({}));
    expect(print(null)).toBe(print({}));
  });

  it('takes a top-level "at": null as no "at", and only that', () => {
    expect(print({ elapsed_seconds: 60, at: null })).toBe(print({ elapsed_seconds: 60 }));
    expect(print({ at: null })).toBe(print({}));
    expect(print({ elapsed_seconds: 60, at: '2026-03-01T10:00:00Z' })).not.toBe(print({ elapsed_seconds: 60 }));
    expect(print({ note: { at: null } })).not.toBe(print({ note: {} }));
    expect(print({ note: null })).not.toBe(print({}));
  });

  it('compares strings and arrays exactly, and the method and path', () => {
    expect(print({ name: 'Ada' })).not.toBe(print({ name: 'Ada ' }));
    expect(print({ name: 'Ada' })).not.toBe(print({ name: 'ada' }));
    expect(print([1, 2])).not.toBe(print([2, 1]));
    expect(print({}, 'POST')).not.toBe(print({}, 'PATCH'));
    expect(print({}, 'PATCH', '/api/v1/sessions/2/pause')).not.toBe(print({}));
  });
});
