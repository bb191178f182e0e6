import { describe, expect, it, vi } from 'vitest';

// download.ts signs requests through auth.ts, which follows other tabs with the browser's
// addEventListener at import: Node has none, and these tests need none.
vi.hoisted(() => {
  globalThis.addEventListener ??= () => {};
});
const { dispositionFilename } = await import('./download.js');

describe('the file name of a Content-Disposition header', () => {
  it('takes the quoted filename the server sends', () => {
    expect(dispositionFilename('attachment; filename="focus-export-2026-02-18.json"', 'x.json')).toBe('focus-export-2026-02-18.json');
  });

  it('takes an unquoted one, and undoes backslash escapes in a quoted one', () => {
    expect(dispositionFilename('attachment; filename=focus-sessions-2026-02-18.csv', 'x')).toBe('focus-sessions-2026-02-18.csv');
    expect(dispositionFilename('attachment; filename="a \\"b\\".csv"', 'x')).toBe('a "b".csv');
  });

  it("prefers filename* (UTF-8, percent-encoded) over filename", () => {
    expect(dispositionFilename(`attachment; filename="plain.json"; filename*=UTF-8''f%C3%B6cus.json`, 'x')).toBe('föcus.json');
  });

  it('never keeps a path, and falls back when there is no usable name', () => {
    expect(dispositionFilename('attachment; filename="../../etc/passwd"', 'x')).toBe('passwd');
    expect(dispositionFilename('attachment; filename="C:\\\\temp\\\\a.csv"', 'x')).toBe('a.csv');
    expect(dispositionFilename(null, 'focus.json')).toBe('focus.json');
    expect(dispositionFilename('attachment', 'focus.json')).toBe('focus.json');
    expect(dispositionFilename('attachment; filename=""', 'focus.json')).toBe('focus.json');
    expect(dispositionFilename(`attachment; filename*=UTF-8''%E0%A4%A`, 'focus.json')).toBe('focus.json');
  });
});
