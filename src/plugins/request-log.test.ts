import { describe, expect, it } from 'vitest';
import { loggedUrl } from './request-log.js';

describe('loggedUrl', () => {
  it('keeps a URL without a query string as it is', () => {
    expect(loggedUrl('/api/v1/sessions/12/end')).toBe('/api/v1/sessions/12/end');
  });

  it('keeps the parameter names and redacts every value', () => {
    expect(loggedUrl('/api/v1/sessions?limit=20&cursor=abc%3D&status=completed,abandoned')).toBe(
      '/api/v1/sessions?limit=[redacted]&cursor=[redacted]&status=[redacted]',
    );
    expect(loggedUrl('/api/v1/progress?from=')).toBe('/api/v1/progress?from=[redacted]');
  });

  it('redacts a part without "=" whole: it may be a bare secret', () => {
    expect(loggedUrl('/healthz?s3cr3t&a=1')).toBe('/healthz?[redacted]&a=[redacted]');
  });

  it('cuts a very long name and drops empty parts', () => {
    expect(loggedUrl(`/x?${'n'.repeat(100)}=v&&`)).toBe(`/x?${'n'.repeat(64)}=[redacted]`);
    expect(loggedUrl('/x?')).toBe('/x?');
  });
});
