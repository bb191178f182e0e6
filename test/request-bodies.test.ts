// Request bodies are JSON in UTF-8, uncompressed: anything else is 415 unsupported_media_type (not a
// 400 invalid_json, and never a body read with the wrong charset), and nothing changes.
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestUser, registerUser, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

describe.each(testDatabases)('request body encodings on $name', (database) => {
  const t = suiteApp(database);
  let user: TestUser;
  beforeAll(async () => {
    user = await registerUser(t.app, { display_name: 'Before' });
  });

  const rename = (payload: string | Buffer, headers: Record<string, string>) =>
    user.request({ method: 'PATCH', url: '/api/v1/users/me', payload, headers: { 'content-type': 'application/json', ...headers } });
  const displayName = async () => (await user.request({ method: 'GET', url: '/api/v1/users/me' })).json().data.display_name;

  it('a gzip, deflate or br body is 415 unsupported_media_type with Accept-Encoding: identity, and changes nothing', async () => {
    const body = JSON.stringify({ display_name: 'Compressed' });
    for (const [coding, payload] of [
      ['gzip', gzipSync(body)],
      ['deflate', Buffer.from(body)],
      ['br', Buffer.from(body)],
      ['gzip, identity', gzipSync(body)],
    ] as const) {
      const res = await rename(payload, { 'content-encoding': coding });
      expect(res.statusCode, `${coding}: ${res.body}`).toBe(415);
      expect(res.json()).toMatchObject({ success: false, error: { code: 'unsupported_media_type', details: null } });
      expect(res.headers['accept-encoding']).toBe('identity');
    }
    expect(await displayName()).toBe('Before');
  });

  it('resume, which reads any content type, refuses a compressed body alike', async () => {
    const runner = await registerUser(t.app);
    const start = await runner.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-03-01T10:00:00Z' });
    const id = start.json().data.id;
    const pause = await runner.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 60 }, now: '2026-03-01T10:01:00Z' });
    expect(pause.statusCode, pause.body).toBe(200);
    const res = await runner.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, payload: gzipSync('{}'), headers: { 'content-encoding': 'gzip' }, now: '2026-03-01T10:02:00Z' });
    expect(res.statusCode, res.body).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
    expect((await runner.request({ method: 'GET', url: '/api/v1/sessions/active' })).json().data.status).toBe('paused');
  });

  it('Content-Encoding: identity is an ordinary body', async () => {
    const res = await rename(JSON.stringify({ display_name: 'Identity' }), { 'content-encoding': 'identity' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await displayName()).toBe('Identity');
  });

  it('a charset other than UTF-8 is 415 and changes nothing', async () => {
    const before = await displayName();
    for (const [charset, payload] of [
      ['iso-8859-1', Buffer.from('{"display_name":"Zo\u00eb"}', 'latin1')],
      ['utf-16le', Buffer.from('{"display_name":"Zo\u00eb"}', 'utf16le')],
      ['"windows-1252"', Buffer.from('{"display_name":"Zo\u00eb"}', 'latin1')],
    ] as const) {
      const res = await rename(payload, { 'content-type': `application/json; charset=${charset}` });
      expect(res.statusCode, `${charset}: ${res.body}`).toBe(415);
      expect(res.json().error.code).toBe('unsupported_media_type');
    }
    expect(await displayName()).toBe(before);
  });

  it('UTF-8 however it is spelled, or no charset, is read as UTF-8', async () => {
    for (const charset of ['utf-8', 'UTF-8', '"utf-8"', 'utf8', null]) {
      const name = `Zo\u00eb ${charset ?? 'none'}`;
      const type = charset === null ? 'application/json' : `application/json; charset=${charset}`;
      const res = await rename(Buffer.from(JSON.stringify({ display_name: name }), 'utf8'), { 'content-type': type });
      expect(res.statusCode, `${type}: ${res.body}`).toBe(200);
      expect(res.json().data.display_name).toBe(name);
    }
  });
});
