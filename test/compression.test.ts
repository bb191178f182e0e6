// Response compression over a real socket (node:http, which, unlike fetch, hands back the bytes as
// sent): the web client's files and the API's JSON in brotli and gzip decode to the identity bytes;
// no Accept-Encoding means identity; small answers stay uncompressed; Vary, ETag and Content-Length
// stay true; the streamed export downloads compress, and one that fails mid-stream is still cut.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { connect, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatestOrThrow } from '../src/db/migrate.js';
import { EXPORT_PAGE_SIZE } from '../src/modules/export/export.service.js';
import { COMPRESS_THRESHOLD_BYTES } from '../src/plugins/compress.js';
import { type RawAnswer, type TestUser, abandonedSessionRow, at, completeSession, insertSessionRows, rawGet, registerUser, testConfig } from './app.js';
import { buildWebClient } from './e2e/harness.js';

const T0 = '2026-02-18T08:00:00Z';
const NOW = '2026-02-20T12:00:00Z';

type Answer = RawAnswer;

/** The body decoded by its Content-Encoding. */
function decoded(answer: Answer): Buffer {
  const coding = answer.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(answer.raw);
  if (coding === 'gzip') return gunzipSync(answer.raw);
  if (coding === undefined || coding === 'identity') return answer.raw;
  throw new Error(`unexpected Content-Encoding ${coding}`);
}

describe('compressed responses', () => {
  let dir: string;
  let webRoot: string;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let base: string;
  let user: TestUser;

  /** A GET over a real socket, with exactly the headers given (no Accept-Encoding unless given). */
  const get = (path: string, headers: Record<string, string> = {}): Promise<Answer> => rawGet(`${base}${path}`, headers);
  const asUser = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${user.accessToken}`, 'x-test-now': NOW, ...extra });

  /** The same path as identity, gzip and br: each decodes to the identity bytes; returns the three. */
  async function inEveryEncoding(path: string, headers: Record<string, string> = {}) {
    const identity = await get(path, headers);
    const gzip = await get(path, { ...headers, 'accept-encoding': 'gzip' });
    const br = await get(path, { ...headers, 'accept-encoding': 'br' });
    for (const answer of [identity, gzip, br]) {
      expect(answer.status, path).toBe(200);
      expect(answer.complete).toBe(true);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      // a length, when given, is the length of what was sent (not of the uncompressed body)
      if (answer.headers['content-length'] !== undefined) expect(Number(answer.headers['content-length'])).toBe(answer.raw.length);
    }
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(decoded(gzip).equals(identity.raw)).toBe(true);
    expect(decoded(br).equals(identity.raw)).toBe(true);
    expect(br.raw.length).toBeLessThan(identity.raw.length);
    expect(gzip.raw.length).toBeLessThan(identity.raw.length);
    return { identity, gzip, br };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'focus-compress-'));
    webRoot = join(dir, 'web');
    await buildWebClient(webRoot);
    const config = testConfig(`sqlite:${join(dir, 'focus.db')}`);
    handle = connect(config.databaseUrl);
    await migrateToLatestOrThrow(handle.db);
    app = await buildApp(config, handle, { webRoot });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    user = await registerUser(app, { timezone: 'Europe/Berlin' });
    for (let i = 0; i < 12; i += 1) await completeSession(user, at(T0, i * 3600));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the client's script in brotli and gzip, byte for byte the built file, with one weak ETag", async () => {
    const script = readdirSync(join(webRoot, 'assets')).find((f) => f.endsWith('.js'))!;
    const { identity, gzip, br } = await inEveryEncoding(`/assets/${script}`);
    expect(identity.raw.equals(readFileSync(join(webRoot, 'assets', script)))).toBe(true);
    expect(br.raw.length, 'brotli at its quality beats gzip on the script').toBeLessThan(gzip.raw.length);
    for (const answer of [identity, gzip, br]) {
      expect(answer.headers['content-type']).toMatch(/javascript/);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    // A weak ETag names the content, whatever its encoding: the same for all three, and a revalidation
    // with it is answered 304 in any encoding.
    const etag = identity.headers.etag!;
    expect(etag).toMatch(/^W\//);
    expect([gzip.headers.etag, br.headers.etag]).toEqual([etag, etag]);
    const revalidated = await get(`/assets/${script}`, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.raw.length).toBe(0);
  });

  it('serves the stylesheet compressed too', async () => {
    const style = readdirSync(join(webRoot, 'assets')).find((f) => f.endsWith('.css'))!;
    const { br } = await inEveryEncoding(`/assets/${style}`);
    expect(br.headers['content-type']).toMatch(/^text\/css/);
  });

  it('compresses a JSON list answer, with the exact Content-Length of the compressed bytes', async () => {
    const { identity, gzip, br } = await inEveryEncoding('/api/v1/sessions?limit=12', asUser());
    expect(identity.raw.length).toBeGreaterThan(COMPRESS_THRESHOLD_BYTES);
    expect(JSON.parse(identity.raw.toString('utf8')).data).toHaveLength(12);
    for (const answer of [gzip, br]) {
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(Number(answer.headers['content-length'])).toBe(answer.raw.length);
    }
  });

  it('takes the encoding the browser prefers, and identity when none it offers is usable', async () => {
    const path = '/api/v1/sessions?limit=12';
    expect((await get(path, asUser({ 'accept-encoding': 'gzip, deflate, br, zstd' }))).headers['content-encoding']).toBe('br');
    expect((await get(path, asUser({ 'accept-encoding': 'br;q=0.5, gzip' }))).headers['content-encoding']).toBe('gzip');
    for (const refused of ['identity', 'br;q=0, gzip;q=0', 'compress']) {
      const answer = await get(path, asUser({ 'accept-encoding': refused }));
      expect(answer.status, refused).toBe(200);
      expect(answer.headers['content-encoding'], refused).toBeUndefined();
      expect(JSON.parse(answer.raw.toString('utf8')).data).toHaveLength(12);
    }
  });

  it(`leaves answers under ${COMPRESS_THRESHOLD_BYTES} bytes uncompressed, still saying they vary`, async () => {
    for (const path of ['/healthz', '/api/v1/users/me']) {
      const answer = await get(path, asUser({ 'accept-encoding': 'gzip, br' }));
      expect(answer.status, path).toBe(200);
      expect(answer.raw.length, path).toBeLessThan(COMPRESS_THRESHOLD_BYTES);
      expect(answer.headers['content-encoding'], path).toBeUndefined();
      expect(answer.headers.vary, path).toMatch(/accept-encoding/i);
      expect(JSON.parse(answer.raw.toString('utf8'))).toBeTypeOf('object');
    }
  });

  it('compresses the streamed JSON and CSV export downloads', async () => {
    for (const path of ['/api/v1/users/me/export', '/api/v1/sessions/export.csv']) {
      const { identity, br } = await inEveryEncoding(path, asUser());
      expect(br.headers['content-disposition']).toBe(identity.headers['content-disposition']);
      expect(br.headers['content-length']).toBeUndefined(); // streamed: chunked, no stale length
    }
  });

  /** A user whose export fails on its last row (one the session mapper cannot read), `pages` pages in. */
  async function brokenExport(pages: number): Promise<Answer> {
    const broken = await registerUser(app);
    // notes that differ in more than a counter, so the compressed stream fills its buffer page by page
    const rows = Array.from({ length: pages * EXPORT_PAGE_SIZE + 10 }, (_, i) =>
      abandonedSessionRow(broken.id, at('2025-01-01T00:00:00Z', i * 60), `seeded ${i}, ${(i * 7919) % 104729}`),
    );
    Object.assign(rows[rows.length - 1]!, { status: 'active', ended_at: null, ended_day: null, resumed_at: 'not a time' });
    await insertSessionRows(handle, rows);
    return get('/api/v1/users/me/export', { authorization: `Bearer ${broken.accessToken}`, 'x-test-now': NOW, 'accept-encoding': 'gzip' });
  }

  it('answers a compressed download that fails before its first compressed byte with the plain error envelope', async () => {
    const answer = await brokenExport(1);
    expect(answer).toMatchObject({ status: 500, complete: true });
    expect(answer.headers['content-encoding']).toBeUndefined();
    // nor is the envelope offered as the download's file (a browser would save it as focus-export-….json)
    expect(answer.headers['content-disposition']).toBeUndefined();
    expect(JSON.parse(answer.raw.toString('utf8'))).toMatchObject({ success: false, error: { code: 'internal_error' } });
  });

  it('cuts a compressed download that fails after its first compressed bytes, so a truncated file never looks whole', async () => {
    const answer = await brokenExport(6);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(answer.raw.length).toBeGreaterThan(0);
    expect(answer.complete).toBe(false);
    expect(() => gunzipSync(answer.raw)).toThrow();
  });
});
