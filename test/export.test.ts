// Export (contract section 15) over HTTP on every database: the JSON download against the read
// endpoints, the CSV read back with a real CSV parser against the history, file names by the user's
// day, oldest first across pages, another user's data never present, quoting and the formula guard,
// and a failure mid-stream that cuts the connection.
import { parse } from 'csv-parse/sync';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_PAGE_SIZE } from '../src/modules/export/export.service.js';
import { type TestUser, abandonedSessionRow, at, completeSession, insertSessionRows, rawGet, registerUser, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

const T0 = '2026-02-18T08:00:00Z';
const NOW = '2026-02-20T12:00:00Z';
const CSV_HEADER = 'id,status,started_at,ended_at,duration_seconds,elapsed_seconds,tag,note';

interface Session {
  id: number;
  user_id: number;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_seconds: number;
  elapsed_seconds: number;
  tag: { id: number; name: string; color: string } | null;
  note: string | null;
}

describe.each(testDatabases)('export on $name', (database) => {
  const t = suiteApp(database);

  const get = (user: TestUser, url: string, now = NOW) => user.request({ method: 'GET', url, now });
  const exportJson = (user: TestUser, now = NOW) => get(user, '/api/v1/users/me/export', now);
  const exportCsv = (user: TestUser, now = NOW) => get(user, '/api/v1/sessions/export.csv', now);
  const data = async (user: TestUser, url: string) => {
    const res = await get(user, url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  };

  /** Every session through the history endpoint, newest first, page by page. */
  async function history(user: TestUser): Promise<Session[]> {
    const out: Session[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(user, `/api/v1/sessions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      out.push(...res.json().data);
      cursor = res.json().meta.next_cursor;
    } while (cursor);
    return out;
  }

  async function start(user: TestUser, now: string, body: Record<string, unknown> = {}): Promise<Session> {
    const res = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500, ...body }, now });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data;
  }

  async function end(user: TestUser, id: number, now: string, elapsed: number, status: 'completed' | 'abandoned') {
    const res = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds: elapsed, status }, now });
    expect(res.statusCode, res.body).toBe(200);
  }

  async function tag(user: TestUser, name: string): Promise<{ id: number }> {
    const res = await user.request({ method: 'POST', url: '/api/v1/tags', payload: { name } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data;
  }

  /** Sessions seeded with SQL, `count` of them a minute apart from `from`, inserted newest first (ids run against time). */
  async function seed(userId: number, count: number, from = '2025-01-01T00:00:00Z', overrides: (i: number) => Record<string, unknown> = () => ({})) {
    const rows = [];
    for (let i = count - 1; i >= 0; i--) {
      rows.push({ ...abandonedSessionRow(userId, at(from, i * 60), `seeded ${i}`), ...overrides(i) });
    }
    await insertSessionRows(t.handle, rows);
  }

  function expectDownload(res: LightMyRequestResponse, type: RegExp, fileName: string) {
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(type);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${fileName}"`);
    expect(res.headers['cache-control']).toBe('no-store');
  }

  const csvRecords = (body: string): Record<string, string>[] => parse(body, { columns: true, record_delimiter: '\r\n' });

  describe('the JSON export', () => {
    let user: TestUser;
    let other: TestUser;

    beforeAll(async () => {
      user = await registerUser(t.app, { timezone: 'America/New_York', display_name: 'Ada' });
      other = await registerUser(t.app);
      const settings = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { settings: { daily_goal_seconds: 1500, week_starts_on: 'sunday' } } });
      expect(settings.statusCode, settings.body).toBe(200);
      const reading = await tag(user, 'Reading');
      const doomed = await tag(user, 'Doomed');
      const archived = await tag(user, 'archived one');
      await completeSession(user, T0);
      await completeSession(user, at(T0, 3600));
      const tagged = await start(user, at(T0, 86400), { tag_id: reading.id, note: 'chapter 3' });
      await end(user, tagged.id, at(T0, 86400 + 1500), 1500, 'completed');
      const gone = await start(user, at(T0, 90000), { tag_id: doomed.id });
      await end(user, gone.id, at(T0, 90000 + 300), 300, 'abandoned');
      expect((await user.request({ method: 'DELETE', url: `/api/v1/tags/${doomed.id}` })).statusCode).toBe(200);
      expect((await user.request({ method: 'PATCH', url: `/api/v1/tags/${archived.id}`, payload: { archived: true } })).statusCode).toBe(200);
      await start(user, at(T0, 100000), { note: 'still going' });
      await tag(other, 'Other tag');
      await completeSession(other, T0);
    });

    it('is a download of the whole document, not an envelope, named by the day in the user zone', async () => {
      const res = await exportJson(user);
      expectDownload(res, /^application\/json; charset=utf-8$/, 'focus-export-2026-02-20.json');
      const doc = res.json();
      expect(Object.keys(doc)).toEqual(['format', 'version', 'exported_at', 'user', 'tags', 'sessions', 'daily_progress', 'streak', 'badges']);
      expect(doc).toMatchObject({ format: 'focus-export', version: 1, exported_at: NOW });
      expect(doc.success).toBeUndefined();
    });

    it('holds what /users/me, /tags, /streaks and /badges answer', async () => {
      const doc = (await exportJson(user)).json();
      expect(doc.user).toEqual(await data(user, '/api/v1/users/me'));
      expect(doc.user.settings).toMatchObject({ daily_goal_seconds: 1500, week_starts_on: 'sunday' });
      expect(doc.tags).toEqual(await data(user, '/api/v1/tags'));
      expect(doc.tags.map((x: { name: string }) => x.name)).toEqual(['archived one', 'Reading']);
      expect(doc.streak).toEqual(await data(user, '/api/v1/streaks'));
      const badges = (await data(user, '/api/v1/badges')) as Array<{ code: string; name: string; earned_at: string | null }>;
      const earned = badges.filter((b) => b.earned_at !== null).map((b) => ({ code: b.code, name: b.name, earned_at: b.earned_at }));
      expect(earned.length).toBeGreaterThan(0);
      expect(doc.badges).toEqual(earned);
    });

    it('holds every session of every status, oldest first, as the history shows them', async () => {
      const doc = (await exportJson(user)).json();
      const sessions = (await history(user)).reverse();
      expect(doc.sessions).toEqual(sessions);
      expect(doc.sessions.map((s: Session) => s.status)).toEqual(['completed', 'completed', 'completed', 'abandoned', 'active']);
      expect(doc.sessions[2]).toMatchObject({ tag: { name: 'Reading' }, note: 'chapter 3' });
      expect(doc.sessions[3].tag).toBeNull(); // its tag was deleted
    });

    it('holds every stored day as the /progress items of those days', async () => {
      const doc = (await exportJson(user)).json();
      const days = (await data(user, '/api/v1/progress?from=2026-02-17&to=2026-02-20')) as Array<{ date: string; sessions_completed: number }>;
      expect(doc.daily_progress).toEqual(days.filter((d) => d.sessions_completed > 0));
      expect(doc.daily_progress.map((d: { date: string }) => d.date)).toEqual(['2026-02-18', '2026-02-19']);
    });

    it('holds a day a streak freeze covered, as /progress shows it', async () => {
      const keeper = await registerUser(t.app);
      for (let day = 0; day < 7; day++) await completeSession(keeper, at(T0, day * 86400)); // 7 days: a freeze earned
      await completeSession(keeper, at(T0, 8 * 86400)); // the 8th day (2026-02-25) missed, then covered
      const later = at(T0, 9 * 86400);
      const doc = (await exportJson(keeper, later)).json();
      const days = (await data(keeper, '/api/v1/progress?from=2026-02-18&to=2026-02-26')) as Array<{ date: string; sessions_completed: number; frozen: boolean }>;
      expect(days.find((d) => d.date === '2026-02-25')).toMatchObject({ sessions_completed: 0, frozen: true });
      expect(doc.daily_progress).toEqual(days.filter((d) => d.sessions_completed > 0 || d.frozen));
      expect(doc.daily_progress).toHaveLength(9);
    });

    it("never holds another user's data", async () => {
      const text = (await exportJson(user)).body;
      const doc = JSON.parse(text);
      expect(doc.user.id).toBe(user.id);
      expect(doc.sessions.every((s: Session) => s.user_id === user.id)).toBe(true);
      expect(text).not.toContain('Other tag');
      expect(text).not.toContain(other.email);
      const theirs = (await exportJson(other)).json();
      expect(theirs.user.id).toBe(other.id);
      expect(theirs.sessions).toHaveLength(1);
      expect(theirs.tags.map((x: { name: string }) => x.name)).toEqual(['Other tag']);
      expect(JSON.stringify(theirs)).not.toContain('chapter 3');
    });

    it('for a new user is an empty document with zeros', async () => {
      const fresh = await registerUser(t.app);
      const doc = (await exportJson(fresh)).json();
      expect(doc).toMatchObject({ tags: [], sessions: [], daily_progress: [], badges: [], streak: { current_streak: 0, longest_streak: 0, last_active_date: null } });
    });
  });

  describe('file names', () => {
    it("take today's date in the user's zone, on the test clock", async () => {
      const auckland = await registerUser(t.app, { timezone: 'Pacific/Auckland' });
      const angeles = await registerUser(t.app, { timezone: 'America/Los_Angeles' });
      const late = '2026-02-18T20:00:00Z'; // 09:00 on the 19th in Auckland, 12:00 on the 18th in Los Angeles
      expectDownload(await exportJson(auckland, late), /^application\/json/, 'focus-export-2026-02-19.json');
      expectDownload(await exportCsv(auckland, late), /^text\/csv/, 'focus-sessions-2026-02-19.csv');
      const early = '2026-02-18T05:00:00Z'; // 21:00 on the 17th in Los Angeles
      expectDownload(await exportJson(angeles, early), /^application\/json/, 'focus-export-2026-02-17.json');
      expectDownload(await exportCsv(angeles, early), /^text\/csv/, 'focus-sessions-2026-02-17.csv');
      expect((await exportJson(angeles, early)).json().exported_at).toBe(early);
    });
  });

  describe('many sessions', () => {
    const count = 2 * EXPORT_PAGE_SIZE + 137;
    let user: TestUser;

    beforeAll(async () => {
      user = await registerUser(t.app);
      // three sessions share one started_at across the first page boundary: id decides among them
      const tie = at('2025-01-01T00:00:00Z', (EXPORT_PAGE_SIZE - 1) * 60);
      await seed(user.id, count, '2025-01-01T00:00:00Z', (i) => (i >= EXPORT_PAGE_SIZE - 1 && i <= EXPORT_PAGE_SIZE + 1 ? { started_at: tie } : {}));
    });

    it('come oldest first across pages (started_at, then id), each once, as the history reversed', async () => {
      const doc = (await exportJson(user)).json();
      const expected = (await history(user)).reverse();
      expect(expected).toHaveLength(count);
      expect(doc.sessions).toHaveLength(count);
      expect(doc.sessions).toEqual(expected);
      const keys = doc.sessions.map((s: Session) => `${s.started_at}|${String(s.id).padStart(10, '0')}`);
      expect(keys).toEqual([...keys].sort());
      expect(new Set(doc.sessions.map((s: Session) => s.id)).size).toBe(count);
    });

    it('come in the same order in the CSV', async () => {
      const res = await exportCsv(user);
      const records = csvRecords(res.body);
      expect(records.map((r) => Number(r.id))).toEqual((await history(user)).reverse().map((s) => s.id));
    });
  });

  describe('the CSV export', () => {
    let user: TestUser;
    const notes = ['plain', 'a, b', 'say "hi"', 'line 1\r\nline 2', 'only\nLF', '=SUM(A1:A9)', '+1', '-2', '@cmd', '\tTab', '\rCR first', ' =not guarded', 'x=1'];
    const guarded: Record<string, string> = {
      '=SUM(A1:A9)': "'=SUM(A1:A9)",
      '+1': "'+1",
      '-2': "'-2",
      '@cmd': "'@cmd",
      '\tTab': "'\tTab",
      '\rCR first': "'\rCR first",
    };

    beforeAll(async () => {
      user = await registerUser(t.app);
      const formula = await tag(user, '=HYPERLINK("http://evil",1)');
      const comma = await tag(user, 'work, deep');
      let clock = T0;
      for (const [i, note] of notes.entries()) {
        const s = await start(user, clock, { note, tag_id: i % 3 === 0 ? formula.id : i % 3 === 1 ? comma.id : null });
        clock = at(clock, 600);
        await end(user, s.id, clock, 600, 'abandoned');
        clock = at(clock, 60);
      }
      await completeSession(user, clock); // no note, no tag
      await start(user, at(clock, 7200)); // running: no ended_at
    });

    it('is text/csv in UTF-8 with no BOM, a header row, and CRLF after every row', async () => {
      const res = await exportCsv(user);
      expectDownload(res, /^text\/csv; charset=utf-8$/, 'focus-sessions-2026-02-20.csv');
      const raw = res.rawPayload;
      expect([...raw.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
      expect(res.body.startsWith(`${CSV_HEADER}\r\n`)).toBe(true);
      expect(res.body.endsWith('\r\n')).toBe(true);
      const unquoted = res.body.replace(/"(?:[^"]|"")*"/g, '');
      expect(unquoted).not.toMatch(/[^\r]\n|\r(?!\n)/);
      expect(unquoted.split('\r\n')).toHaveLength(notes.length + 2 + 2); // header, rows, the empty rest after the last CRLF
    });

    it('reads back with a CSV parser as the history shows the sessions, guarded cells aside', async () => {
      const records = csvRecords((await exportCsv(user)).body);
      const sessions = (await history(user)).reverse();
      expect(records).toHaveLength(sessions.length);
      const guard = (text: string | null) => (text === null ? '' : (guarded[text] ?? (text.startsWith('=') ? `'${text}` : text)));
      expect(records).toEqual(
        sessions.map((s) => ({
          id: String(s.id),
          status: s.status,
          started_at: s.started_at,
          ended_at: s.ended_at ?? '',
          duration_seconds: String(s.duration_seconds),
          elapsed_seconds: String(s.elapsed_seconds),
          tag: guard(s.tag?.name ?? null),
          note: guard(s.note),
        })),
      );
    });

    it("quotes commas, quotes and line breaks, and puts ' before a formula start", async () => {
      const res = await exportCsv(user);
      const records = csvRecords(res.body);
      expect(records.slice(0, notes.length).map((r) => r.note)).toEqual(notes.map((n) => guarded[n] ?? n));
      expect(res.body).toContain(',"a, b"\r\n');
      expect(res.body).toContain(',"say ""hi"""\r\n');
      expect(res.body).toContain(',"line 1\r\nline 2"\r\n');
      expect(res.body).toContain(`,"'\rCR first"\r\n`);
      expect(res.body).toContain(`,'=SUM(A1:A9)\r\n`);
      expect(res.body).toContain(`,"'=HYPERLINK(""http://evil"",1)",`);
      expect(res.body).toContain(',"work, deep",');
      expect(records[0]?.tag).toBe(`'=HYPERLINK("http://evil",1)`);
    });

    it('writes null as an empty cell: no tag, no note, no end yet', async () => {
      const records = csvRecords((await exportCsv(user)).body);
      const running = records.at(-1);
      expect(running).toMatchObject({ status: 'active', ended_at: '', tag: '', note: '' });
      expect(records.at(-2)).toMatchObject({ status: 'completed', tag: '', note: '' });
      expect((await exportCsv(user)).body.endsWith(`,${running?.elapsed_seconds},,\r\n`)).toBe(true);
    });

    it("holds only the caller's sessions", async () => {
      const stranger = await registerUser(t.app);
      await completeSession(stranger, T0);
      const ids = new Set((await history(stranger)).map((s) => String(s.id)));
      const records = csvRecords((await exportCsv(user)).body);
      expect(records.some((r) => ids.has(r.id as string))).toBe(false);
      expect(csvRecords((await exportCsv(stranger)).body).map((r) => r.id)).toEqual([...ids]);
    });

    it('for a user without sessions is the header row alone', async () => {
      const fresh = await registerUser(t.app);
      expect((await exportCsv(fresh)).body).toBe(`${CSV_HEADER}\r\n`);
    });
  });

  describe('routes', () => {
    it('GET /sessions/export.csv is the static route, not /sessions/:id; PATCH there is still a 400 for the id', async () => {
      const user = await registerUser(t.app);
      expect((await exportCsv(user)).statusCode).toBe(200);
      const patch = await user.request({ method: 'PATCH', url: '/api/v1/sessions/export.csv', payload: { note: 'x' } });
      expect(patch.statusCode, patch.body).toBe(400);
      expect(patch.json().error.code).toBe('validation_error');
      expect((await get(user, '/api/v1/sessions/active')).statusCode).toBe(200);
    });

    it('answer no HEAD (it would read the whole history for nobody)', async () => {
      const user = await registerUser(t.app);
      for (const url of ['/api/v1/users/me/export', '/api/v1/sessions/export.csv']) {
        expect((await user.request({ method: 'HEAD', url })).statusCode).toBe(404);
      }
    });

    it('both need a bearer token (401 in the envelope)', async () => {
      for (const url of ['/api/v1/users/me/export', '/api/v1/sessions/export.csv']) {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ success: false, error: { code: 'unauthorized' } });
      }
    });

    it('are in the OpenAPI document with their content types and the Content-Disposition header', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const json = doc.paths['/api/v1/users/me/export'].get.responses['200'];
      expect(Object.keys(json.content)).toEqual(['application/json']);
      expect(json.content['application/json'].schema.properties).toHaveProperty('sessions');
      expect(json.headers).toHaveProperty('Content-Disposition');
      const csv = doc.paths['/api/v1/sessions/export.csv'].get.responses['200'];
      expect(Object.keys(csv.content)).toEqual(['text/csv']);
      expect(csv.headers).toHaveProperty('Content-Disposition');
      for (const path of ['/api/v1/users/me/export', '/api/v1/sessions/export.csv']) {
        expect(doc.paths[path].get.security).toEqual([{ bearer: [] }]);
        expect(doc.paths[path].get.responses).toHaveProperty('401');
      }
    });
  });

  describe('a failure', () => {
    let base: string;
    beforeAll(async () => {
      base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });

    /** A GET over a real socket: the status, what arrived, and whether the transfer ended cleanly. */
    async function download(path: string, token: string): Promise<{ status: number; body: string; complete: boolean }> {
      const { status, raw, complete } = await rawGet(`${base}${path}`, { authorization: `Bearer ${token}`, 'x-test-now': NOW });
      return { status, body: raw.toString('utf8'), complete };
    }

    it('before the first byte is an ordinary error answer in the envelope, not a cut connection', async () => {
      const user = await registerUser(t.app);
      // a stored time zone no calendar knows: the file name's day cannot be found, before anything is sent
      await t.handle.db.updateTable('users').set({ timezone: 'Nowhere/Atlantis' }).where('id', '=', user.id).execute();
      const res = await download('/api/v1/sessions/export.csv', user.accessToken);
      expect(res).toMatchObject({ status: 500, complete: true });
      expect(JSON.parse(res.body)).toMatchObject({ success: false, error: { code: 'internal_error' } });
    });

    it('cuts the connection: the client sees a truncated transfer, never a clean end', async () => {
      const user = await registerUser(t.app);
      // a stored row the session mapper cannot read (a resume time that is not a time), on the last page
      await seed(user.id, 2 * EXPORT_PAGE_SIZE + 10, '2025-01-01T00:00:00Z', (i) =>
        i === 2 * EXPORT_PAGE_SIZE + 9 ? { status: 'active', ended_at: null, ended_day: null, resumed_at: 'not a time' } : {},
      );
      const res = await download('/api/v1/users/me/export', user.accessToken);
      expect(res.status).toBe(200);
      expect(res.complete).toBe(false);
      expect(res.body.startsWith('{"format":"focus-export","version":1,')).toBe(true);
      expect(res.body).toContain(`"note":"seeded ${EXPORT_PAGE_SIZE}"`); // the first pages did arrive
      expect(() => JSON.parse(res.body)).toThrow();
      // the server itself goes on
      const after = await download('/api/v1/sessions/export.csv', user.accessToken);
      expect(after).toMatchObject({ status: 200, complete: true });
      expect(csvRecords(after.body)).toHaveLength(2 * EXPORT_PAGE_SIZE + 10);
    });
  });
});
