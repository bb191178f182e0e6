// Tags and notes on sessions (contract section 11) over HTTP on every database: tag_id and note at
// start, the tag and note on every session answer, relabeling (PATCH /sessions/:id) in any status
// without touching time or rewards, the tag_id history filter, deleting a tag, ownership and order
// of errors, note limits, idempotency and the OpenAPI document.
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { type TestUser, at, registerUser, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

const T0 = '2026-02-18T08:00:00Z';

interface Tag {
  id: number;
  name: string;
  color: string;
}

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toMatchObject({ success: false, error: { code } });
}

function expectValidation(res: LightMyRequestResponse, field: string) {
  expectError(res, 400, 'validation_error');
  expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
}

describe.each(testDatabases)('session tags and notes on $name', (database) => {
  const t = suiteApp(database);

  async function tag(user: TestUser, name: string, color?: string): Promise<Tag> {
    const res = await user.request({ method: 'POST', url: '/api/v1/tags', payload: color ? { name, color } : { name }, now: T0 });
    expect(res.statusCode, res.body).toBe(201);
    const { id, color: given } = res.json().data;
    return { id, name, color: given };
  }
  const archive = async (user: TestUser, id: number) => {
    const res = await user.request({ method: 'PATCH', url: `/api/v1/tags/${id}`, payload: { archived: true } });
    expect(res.statusCode, res.body).toBe(200);
  };
  const start = (user: TestUser, payload: Record<string, unknown>, now = T0) =>
    user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500, ...payload }, now });
  const relabel = (user: TestUser, id: number | string, payload: unknown, headers: Record<string, string> = {}) =>
    user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}`, payload: payload as Record<string, unknown>, headers, now: at(T0, 86400) });
  const history = (user: TestUser, query: string) => user.request({ method: 'GET', url: `/api/v1/sessions?${query}` });
  const active = async (user: TestUser) => (await user.request({ method: 'GET', url: '/api/v1/sessions/active' })).json().data;

  /** Starts at `startAt` with `label` and completes 1500 s later; the end's answer. */
  async function completed(user: TestUser, startAt: string, label: Record<string, unknown> = {}) {
    const started = await start(user, label, startAt);
    expect(started.statusCode, started.body).toBe(201);
    const end = await user.request({
      method: 'PATCH',
      url: `/api/v1/sessions/${started.json().data.id}/end`,
      payload: { elapsed_seconds: 1500, status: 'completed' },
      now: at(startAt, 1500),
    });
    expect(end.statusCode, end.body).toBe(200);
    return end.json().data;
  }

  /** Everything a relabel or a tag deletion must leave alone. */
  async function totals(user: TestUser) {
    const now = at(T0, 86400);
    const get = async (url: string) => (await user.request({ method: 'GET', url, now })).json().data;
    return {
      stats: await get('/api/v1/stats'),
      progress: await get('/api/v1/progress?from=2026-02-17&to=2026-02-20'),
      streaks: await get('/api/v1/streaks'),
      badges: await get('/api/v1/badges'),
    };
  }

  describe('start with a tag and a note', () => {
    it('the session carries them, and every answer that returns it shows them', async () => {
      const user = await registerUser(t.app);
      const deep = await tag(user, 'Deep work', '#4f46e5');
      const res = await start(user, { tag_id: deep.id, note: 'chapter 3' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ message: 'focus session started', data: { tag: { id: deep.id, name: 'Deep work', color: '#4F46E5' }, note: 'chapter 3' } });
      const id = res.json().data.id;
      const label = { tag: { id: deep.id, name: 'Deep work', color: '#4F46E5' }, note: 'chapter 3' };

      expect(await active(user)).toMatchObject(label);
      const home = await user.request({ method: 'GET', url: '/api/v1/home', now: at(T0, 60) });
      expect(home.json().data.active_session).toMatchObject({ id, ...label });
      const pause = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 600 }, now: at(T0, 600) });
      expect(pause.json().data, pause.body).toMatchObject(label);
      const resume = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now: at(T0, 700) });
      expect(resume.json().data, resume.body).toMatchObject(label);
      const end = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds: 1500, status: 'completed' }, now: at(T0, 1600) });
      expect(end.json().data, end.body).toMatchObject({ ...label, status: 'completed', rewards: { daily_progress: { focus_seconds: 1500 } } });
      expect((await history(user, '')).json().data[0]).toMatchObject({ id, ...label });
    });

    it('without them, or with nulls, a session has tag null and note null', async () => {
      const user = await registerUser(t.app);
      const plain = await start(user, {});
      expect(plain.json().data).toMatchObject({ tag: null, note: null });
      await user.request({ method: 'PATCH', url: `/api/v1/sessions/${plain.json().data.id}/end`, payload: { elapsed_seconds: 0, status: 'abandoned' }, now: at(T0, 10) });
      const nulls = await start(user, { tag_id: null, note: null }, at(T0, 20));
      expect(nulls.statusCode, nulls.body).toBe(201);
      expect(nulls.json().data).toMatchObject({ tag: null, note: null });
    });

    it('a tag shows its current name and colour on its sessions', async () => {
      const user = await registerUser(t.app);
      const reading = await tag(user, 'Reading');
      const { id } = (await start(user, { tag_id: reading.id })).json().data;
      const renamed = await user.request({ method: 'PATCH', url: `/api/v1/tags/${reading.id}`, payload: { name: 'Books', color: '#00aa00' } });
      expect(renamed.statusCode).toBe(200);
      expect(await active(user)).toMatchObject({ id, tag: { id: reading.id, name: 'Books', color: '#00AA00' } });
    });

    it("another user's tag, or one that does not exist, is 404 and starts nothing", async () => {
      const owner = await registerUser(t.app);
      const theirs = await tag(owner, 'Private');
      const user = await registerUser(t.app);
      const res = await start(user, { tag_id: theirs.id });
      expectError(res, 404, 'not_found');
      expectError(await start(user, { tag_id: 2147483647 }), 404, 'not_found');
      expect(await active(user)).toBeNull();
    });

    it('an archived tag is 422 tag_archived and starts nothing', async () => {
      const user = await registerUser(t.app);
      const old = await tag(user, 'Old project');
      await archive(user, old.id);
      expectError(await start(user, { tag_id: old.id }), 422, 'tag_archived');
      expect(await active(user)).toBeNull();
    });

    it('the order of checks: 400 before 404, 404 before 409, 409 before 422', async () => {
      const owner = await registerUser(t.app);
      const theirs = await tag(owner, 'Theirs');
      const user = await registerUser(t.app);
      const old = await tag(user, 'Archived');
      await archive(user, old.id);
      expectValidation(await start(user, { tag_id: theirs.id, note: 'x'.repeat(501) }), 'note');
      expectValidation(await start(user, { tag_id: theirs.id, duration_seconds: 59 }), 'duration_seconds');
      const running = await start(user, {});
      expect(running.statusCode).toBe(201);
      expectError(await start(user, { tag_id: theirs.id }), 404, 'not_found');
      const conflict = await start(user, { tag_id: old.id });
      expectError(conflict, 409, 'session_already_running');
      expect(conflict.json().error.details.session).toMatchObject({ id: running.json().data.id, tag: null, note: null });
    });

    it('tag_id must be a positive integer or null', async () => {
      const user = await registerUser(t.app);
      for (const tagId of ['1', 0, -1, 1.5, true]) expectValidation(await start(user, { tag_id: tagId }), 'tag_id');
      expect(await active(user)).toBeNull();
    });
  });

  describe('note limits', () => {
    it('500 characters are accepted and 501 refused; an emoji is one character', async () => {
      const user = await registerUser(t.app);
      expectValidation(await start(user, { note: '😀'.repeat(501) }), 'note');
      expectValidation(await start(user, { note: 'a'.repeat(501) }), 'note');
      const res = await start(user, { note: '😀'.repeat(500) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data.note).toBe('😀'.repeat(500));
    });

    it('the length counts after NFC: 500 decomposed accents fit and are stored composed', async () => {
      const user = await registerUser(t.app);
      const res = await start(user, { note: 'e\u0301'.repeat(500) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data.note).toBe('é'.repeat(500));
      expect((await active(user)).note).toBe('é'.repeat(500));
    });

    it('tab, line feed and carriage return are kept as written, spaces included (a note is not trimmed)', async () => {
      const user = await registerUser(t.app);
      const note = ' first line\n\tsecond\r\nthird ';
      const res = await start(user, { note });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data.note).toBe(note);
      expect((await active(user)).note).toBe(note);
    });

    it('an empty note is a note', async () => {
      const user = await registerUser(t.app);
      expect((await start(user, { note: '' })).json().data.note).toBe('');
    });

    it('every other control character is refused (NUL, BEL, ESC, DEL), on start and on relabel', async () => {
      const user = await registerUser(t.app);
      for (const bad of ['a\u0000b', 'bell\u0007', '\u001b[31mred', 'del\u007f', 'vt\u000b', 'ff\u000c']) {
        const refused = await start(user, { note: bad });
        expectValidation(refused, 'note');
        expect(refused.json().error.details).toContainEqual({
          field: 'note',
          message: 'must not contain control characters other than tab, line feed and carriage return',
        });
      }
      expect(await active(user)).toBeNull();
      const { id } = (await start(user, { note: 'ok' })).json().data;
      expectValidation(await relabel(user, id, { note: 'a\u0000b' }), 'note');
      expectValidation(await relabel(user, id, { note: 'x'.repeat(501) }), 'note');
      expect((await active(user)).note).toBe('ok');
    });

    it('a lone surrogate is refused instead of being stored as U+FFFD', async () => {
      const user = await registerUser(t.app);
      const res = await user.request({
        method: 'POST',
        url: '/api/v1/sessions',
        headers: { 'content-type': 'application/json' },
        payload: '{"duration_seconds": 1500, "note": "half \\ud83d"}',
        now: T0,
      });
      expectValidation(res, 'note');
    });
  });

  describe('relabel: PATCH /sessions/:id', () => {
    it('relabels an ended session without touching time, progress, streak or badges', async () => {
      const user = await registerUser(t.app);
      const first = await completed(user, T0);
      await completed(user, at(T0, 3600));
      const before = await totals(user);
      expect(before.stats.total_focus_seconds).toBe(3000);

      const work = await tag(user, 'Work');
      const res = await relabel(user, first.id, { tag_id: work.id, note: 'done in one go' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().message).toBe('focus session updated');
      const { tag: given, note, ...rest } = res.json().data;
      expect(given).toEqual({ id: work.id, name: 'Work', color: work.color });
      expect(note).toBe('done in one go');
      const { rewards: _rewards, tag: _tag, note: _note, ...endedAsItWas } = first;
      expect(rest).toEqual(endedAsItWas);

      expect(await totals(user)).toEqual(before);
      const page = (await history(user, `tag_id=${work.id}`)).json().data;
      expect(page.map((s: { id: number }) => s.id)).toEqual([first.id]);
    });

    it('relabels a running session, which then goes on as before', async () => {
      const user = await registerUser(t.app);
      const { id, started_at } = (await start(user, { note: 'draft' })).json().data;
      const pause = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 300 }, now: at(T0, 300) });
      expect(pause.statusCode).toBe(200);
      const res = await relabel(user, id, { note: 'final' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toMatchObject({ status: 'paused', elapsed_seconds: 300, started_at, note: 'final', tag: null });
      const resume = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now: at(T0, 400) });
      expect(resume.statusCode, resume.body).toBe(200);
      expect(resume.json().data).toMatchObject({ status: 'active', note: 'final' });
    });

    it('a relabel racing a pause loses neither: both the note and the pause are there', async () => {
      const user = await registerUser(t.app);
      for (let round = 0; round < 5; round++) {
        const startAt = at(T0, round * 7200);
        const { id } = (await start(user, {}, startAt)).json().data;
        const [pause, label] = await Promise.all([
          user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 60 }, now: at(startAt, 60) }),
          user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}`, payload: { note: `round ${round}` }, now: at(startAt, 60) }),
        ]);
        expect(pause.statusCode, pause.body).toBe(200);
        expect(label.statusCode, label.body).toBe(200);
        expect(await active(user)).toMatchObject({ id, status: 'paused', elapsed_seconds: 60, note: `round ${round}` });
        const end = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds: 60, status: 'abandoned' }, now: at(startAt, 120) });
        expect(end.statusCode, end.body).toBe(200);
      }
    });

    it('a field left out keeps its value; null clears it', async () => {
      const user = await registerUser(t.app);
      const a = await tag(user, 'A');
      const { id } = (await start(user, { tag_id: a.id, note: 'n' })).json().data;
      expect((await relabel(user, id, { note: 'm' })).json().data).toMatchObject({ tag: { id: a.id }, note: 'm' });
      expect((await relabel(user, id, { tag_id: null })).json().data).toMatchObject({ tag: null, note: 'm' });
      expect((await relabel(user, id, { note: null })).json().data).toMatchObject({ tag: null, note: null });
      expect(await active(user)).toMatchObject({ tag: null, note: null });
    });

    it('an empty body, an unknown field or a time field is 400', async () => {
      const user = await registerUser(t.app);
      const { id } = (await start(user, {})).json().data;
      expectError(await relabel(user, id, {}), 400, 'validation_error');
      expectValidation(await relabel(user, id, { note: 'x', elapsed_seconds: 10 }), 'elapsed_seconds');
      expectValidation(await relabel(user, id, { status: 'completed' }), 'status');
      expectError(await relabel(user, 'abc', { note: 'x' }), 400, 'validation_error');
    });

    it('resending the archived tag a session already carries is allowed; another archived tag is 422', async () => {
      const user = await registerUser(t.app);
      const old = await tag(user, 'Old');
      const older = await tag(user, 'Older');
      const session = await completed(user, T0, { tag_id: old.id });
      await archive(user, old.id);
      await archive(user, older.id);
      const same = await relabel(user, session.id, { tag_id: old.id, note: 'kept' });
      expect(same.statusCode, same.body).toBe(200);
      expect(same.json().data).toMatchObject({ tag: { id: old.id, name: 'Old' }, note: 'kept' });
      expectError(await relabel(user, session.id, { tag_id: older.id }), 422, 'tag_archived');
      const other = await completed(user, at(T0, 3600));
      expectError(await relabel(user, other.id, { tag_id: old.id }), 422, 'tag_archived');
      expect((await history(user, '')).json().data.map((s: { tag: Tag | null }) => s.tag?.id ?? null)).toEqual([null, old.id]);
    });

    it("another user's session, or another user's tag, is 404 and changes nothing", async () => {
      const owner = await registerUser(t.app);
      const theirs = await tag(owner, 'Theirs');
      const { id: theirSession } = (await start(owner, { note: 'mine' })).json().data;
      const user = await registerUser(t.app);
      const { id } = (await start(user, {})).json().data;
      expectError(await relabel(user, theirSession, { note: 'hijacked' }), 404, 'not_found');
      expectError(await relabel(user, 2147483647, { note: 'x' }), 404, 'not_found');
      expectError(await relabel(user, id, { tag_id: theirs.id }), 404, 'not_found');
      expect(await active(owner)).toMatchObject({ id: theirSession, note: 'mine' });
      expect(await active(user)).toMatchObject({ id, tag: null });
    });

    it('404 for the session comes before 422 for an archived tag, and 400 before both', async () => {
      const user = await registerUser(t.app);
      const old = await tag(user, 'Old');
      await archive(user, old.id);
      expectError(await relabel(user, 2147483647, { tag_id: old.id }), 404, 'not_found');
      expectValidation(await relabel(user, 2147483647, { tag_id: old.id, note: 'x'.repeat(501) }), 'note');
    });

    it('an Idempotency-Key replays the first answer; another body with it is 422 idempotency_key_reused', async () => {
      const user = await registerUser(t.app);
      const { id } = (await start(user, {})).json().data;
      const headers = { 'idempotency-key': `relabel-${id}` };
      const first = await relabel(user, id, { note: 'one' }, headers);
      expect(first.statusCode, first.body).toBe(200);
      expect((await relabel(user, id, { note: 'two' })).statusCode).toBe(200);
      const replay = await relabel(user, id, { note: 'one' }, headers);
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toEqual(first.json());
      expect((await active(user)).note).toBe('two');
      expectError(await relabel(user, id, { note: 'three' }, headers), 422, 'idempotency_key_reused');
    });
  });

  describe('history filtered by tag', () => {
    it('only the sessions with that tag, newest first, page by page', async () => {
      const user = await registerUser(t.app);
      const a = await tag(user, 'A');
      const b = await tag(user, 'B');
      const tagged: number[] = [];
      for (let i = 0; i < 7; i++) {
        const session = await completed(user, at(T0, i * 3600), i % 3 === 2 ? { tag_id: b.id } : i % 3 === 1 ? {} : { tag_id: a.id });
        if (i % 3 === 0) tagged.unshift(session.id);
      }
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await history(user, `tag_id=${a.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        for (const session of body.data) expect(session.tag).toEqual({ id: a.id, name: 'A', color: a.color });
        seen.push(...body.data.map((s: { id: number }) => s.id));
        cursor = body.meta.next_cursor;
        expect(body.meta.has_more).toBe(cursor !== null);
        pages += 1;
      } while (cursor !== null && pages < 10);
      expect(tagged).toHaveLength(3);
      expect(seen).toEqual(tagged);
      expect(pages).toBe(Math.ceil(seen.length / 2));
    });

    it('combines with the other filters', async () => {
      const user = await registerUser(t.app);
      const a = await tag(user, 'A');
      const done = await completed(user, T0, { tag_id: a.id });
      const later = await completed(user, at(T0, 7200), { tag_id: a.id });
      const { id: running } = (await start(user, { tag_id: a.id }, at(T0, 10800))).json().data;
      const ids = async (query: string) => (await history(user, query)).json().data.map((s: { id: number }) => s.id);
      expect(await ids(`tag_id=${a.id}&status=completed`)).toEqual([later.id, done.id]);
      expect(await ids(`tag_id=${a.id}&status=active`)).toEqual([running]);
      expect(await ids(`tag_id=${a.id}&from=${at(T0, 3600)}`)).toEqual([running, later.id]);
      const page = (await history(user, `tag_id=${a.id}&status=completed&limit=1`)).json();
      expect(page.data.map((s: { id: number }) => s.id)).toEqual([later.id]);
      expect(await ids(`tag_id=${a.id}&status=completed&limit=1&cursor=${page.meta.next_cursor}`)).toEqual([done.id]);
    });

    it('a tag of the caller without sessions gives an empty page', async () => {
      const user = await registerUser(t.app);
      await completed(user, T0);
      const unused = await tag(user, 'Unused');
      const res = await history(user, `tag_id=${unused.id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ data: [], meta: { has_more: false, next_cursor: null } });
    });

    it("another user's tag, or one that does not exist, is 404; a tag_id that is no id is 400", async () => {
      const owner = await registerUser(t.app);
      const theirs = await tag(owner, 'Theirs');
      await completed(owner, T0, { tag_id: theirs.id });
      const user = await registerUser(t.app);
      expectError(await history(user, `tag_id=${theirs.id}`), 404, 'not_found');
      expectError(await history(user, 'tag_id=2147483647'), 404, 'not_found');
      expectError(await history(user, `tag_id=${theirs.id}&status=completed`), 404, 'not_found');
      for (const bad of ['abc', '0', '-1', '1.5', '']) expectValidation(await history(user, `tag_id=${bad}`), 'tag_id');
    });
  });

  describe('deleting a tag', () => {
    it('leaves its sessions untagged, with every total and every day as it was', async () => {
      const user = await registerUser(t.app);
      const gone = await tag(user, 'Gone');
      const first = await completed(user, T0, { tag_id: gone.id, note: 'kept' });
      const second = await completed(user, at(T0, 3600), { tag_id: gone.id });
      const { id: running } = (await start(user, { tag_id: gone.id }, at(T0, 7200))).json().data;
      const before = await totals(user);
      expect(before.stats.total_focus_seconds).toBe(3000);

      const res = await user.request({ method: 'DELETE', url: `/api/v1/tags/${gone.id}` });
      expect(res.statusCode, res.body).toBe(200);

      expect(await totals(user)).toEqual(before);
      const page = (await history(user, '')).json().data;
      expect(page.map((s: { id: number; tag: Tag | null; note: string | null }) => [s.id, s.tag, s.note])).toEqual([
        [running, null, null],
        [second.id, null, null],
        [first.id, null, 'kept'],
      ]);
      expect(await active(user)).toMatchObject({ id: running, tag: null });
      expectError(await history(user, `tag_id=${gone.id}`), 404, 'not_found');
      expectError(await relabel(user, first.id, { tag_id: gone.id }), 404, 'not_found');
      const end = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${running}/end`, payload: { elapsed_seconds: 1500, status: 'completed' }, now: at(T0, 7200 + 1500) });
      expect(end.statusCode, end.body).toBe(200);
      expect(end.json().data).toMatchObject({ tag: null, rewards: { daily_progress: { focus_seconds: 4500 } } });
    });
  });

  describe('OpenAPI', () => {
    it('documents tag and note on the session, the start and relabel bodies, and the tag_id filter', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const relabelOp = doc.paths['/api/v1/sessions/{id}'].patch;
      expect(Object.keys(relabelOp.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '422']));
      expect(relabelOp.requestBody.content['application/json'].schema).toMatchObject({
        additionalProperties: false,
        minProperties: 1,
        properties: { tag_id: expect.any(Object), note: expect.any(Object) },
      });
      const startOp = doc.paths['/api/v1/sessions'].post;
      expect(Object.keys(startOp.requestBody.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['tag_id', 'note']));
      expect(Object.keys(startOp.responses)).toEqual(expect.arrayContaining(['201', '404', '409', '422']));
      const historyOp = doc.paths['/api/v1/sessions'].get;
      expect(historyOp.parameters.map((p: { name: string }) => p.name)).toContain('tag_id');
      expect(Object.keys(historyOp.responses)).toContain('404');
      const text = JSON.stringify(doc);
      expect(text).toContain('"tag":{');
      expect(text).toContain('"note":{');
    });
  });
});
