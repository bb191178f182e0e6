// The session lifecycle over HTTP on a real database: every transition, allowed and forbidden,
// the elapsed_seconds rules, resume's bodies, the test clock and history pagination.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, at, createTestApp, registerUser } from './app.js';
import { testDatabases } from './databases.js';

const T0 = '2026-02-18T08:00:00Z';

type Status = 'active' | 'paused' | 'completed' | 'abandoned';

function expect409State(res: LightMyRequestResponse, status: Status, allowedFrom: Status[]) {
  expect(res.statusCode, res.body).toBe(409);
  expect(res.json()).toMatchObject({
    success: false,
    error: { code: 'invalid_session_state', details: { status, allowed_from: allowedFrom } },
  });
}

function expect422(res: LightMyRequestResponse, rule: number) {
  expect(res.statusCode, res.body).toBe(422);
  const body = res.json();
  expect(body.error.code).toBe('elapsed_seconds_invalid');
  expect(body.message).toContain(`rule ${rule}`);
  expect(body.error.details).toMatchObject({ field: 'elapsed_seconds', rule });
}

describe.each(testDatabases)('sessions on $name', (database) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  const start = (user: TestUser, duration_seconds = 1500, now = T0) =>
    user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds }, now });
  const pause = (user: TestUser, id: number, elapsed_seconds: number, now: string, extra: Record<string, unknown> = {}) =>
    user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds, ...extra }, now });
  const resume = (user: TestUser, id: number, now: string) => user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now });
  const end = (user: TestUser, id: number, elapsed_seconds: number, status: string, now: string) =>
    user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds, status }, now });
  const active = (user: TestUser) => user.request({ method: 'GET', url: '/api/v1/sessions/active' });

  /** A fresh user with a session in the given state, started at T0 with 1500 s planned. */
  async function sessionIn(status: Status): Promise<{ user: TestUser; id: number }> {
    const user = await registerUser(t.app);
    const id = (await start(user)).json().data.id as number;
    if (status === 'paused') expect((await pause(user, id, 300, at(T0, 300))).statusCode).toBe(200);
    if (status === 'completed') expect((await end(user, id, 1500, 'completed', at(T0, 1500))).statusCode).toBe(200);
    if (status === 'abandoned') expect((await end(user, id, 100, 'abandoned', at(T0, 100))).statusCode).toBe(200);
    return { user, id };
  }

  /** The session as stored, read through history (unaffected by the test clock). */
  async function stored(user: TestUser, id: number) {
    const res = await user.request({ method: 'GET', url: '/api/v1/sessions?limit=100' });
    return (res.json().data as Array<{ id: number }>).find((s) => s.id === id);
  }

  describe('POST /sessions (start)', () => {
    it('answers 201 "focus session started" with the whole session', async () => {
      const user = await registerUser(t.app);
      const res = await start(user, 1500);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toEqual({
        success: true,
        message: 'focus session started',
        data: {
          id: expect.any(Number),
          user_id: user.id,
          duration_seconds: 1500,
          elapsed_seconds: 0,
          status: 'active',
          started_at: T0,
          ended_at: null,
          resumed_at: T0,
          planned_end_at: at(T0, 1500),
          tag: null,
          note: null,
        },
      });
    });

    it.each([1500, 2700, 3600, 60, 86400])('accepts the picker duration %i', async (duration) => {
      const user = await registerUser(t.app);
      const res = await start(user, duration);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data.duration_seconds).toBe(duration);
    });

    it('answers 409 session_already_running while one is active, with that session in details', async () => {
      const { user, id } = await sessionIn('active');
      const res = await start(user, 2700, at(T0, 10));
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toEqual({
        code: 'session_already_running',
        details: { session: expect.objectContaining({ id, status: 'active', duration_seconds: 1500 }) },
      });
    });

    it('answers 409 session_already_running while one is paused', async () => {
      const { user, id } = await sessionIn('paused');
      const res = await start(user, 2700, at(T0, 400));
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details.session).toMatchObject({ id, status: 'paused', elapsed_seconds: 300 });
    });

    it.each(['completed', 'abandoned'] as const)('allows a new start once the last session is %s', async (status) => {
      const { user, id } = await sessionIn(status);
      const res = await start(user, 1500, at(T0, 3600));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data.id).not.toBe(id);
    });

    it("is not blocked by another user's running session", async () => {
      await sessionIn('active');
      const other = await registerUser(t.app);
      expect((await start(other)).statusCode).toBe(201);
    });
  });

  describe('GET /sessions/active', () => {
    it('returns null in data for a user with no session', async () => {
      const user = await registerUser(t.app);
      const res = await active(user);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ success: true, data: null });
    });

    it.each(['active', 'paused'] as const)('returns the %s session', async (status) => {
      const { user, id } = await sessionIn(status);
      expect((await active(user)).json().data).toMatchObject({ id, status, duration_seconds: 1500 });
    });

    it.each(['completed', 'abandoned'] as const)('returns null once the session is %s', async (status) => {
      const { user } = await sessionIn(status);
      expect((await active(user)).json().data).toBeNull();
    });

    it("never shows another user's session", async () => {
      await sessionIn('active');
      const other = await registerUser(t.app);
      expect((await active(other)).json().data).toBeNull();
    });
  });

  describe('allowed transitions', () => {
    it('pause: active → paused, saving elapsed_seconds (with or without "status": "paused")', async () => {
      const { user, id } = await sessionIn('active');
      const res = await pause(user, id, 750, at(T0, 750), { status: 'paused' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ success: true, data: { id, status: 'paused', elapsed_seconds: 750, ended_at: null, started_at: T0 } });

      const again = await sessionIn('active');
      const bare = await pause(again.user, again.id, 10, at(T0, 10));
      expect(bare.statusCode, bare.body).toBe(200);
      expect(bare.json().data).toMatchObject({ status: 'paused', elapsed_seconds: 10 });
    });

    it('resume: paused → active, keeping elapsed_seconds', async () => {
      const { user, id } = await sessionIn('paused');
      const res = await resume(user, id, at(T0, 600));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toMatchObject({ id, status: 'active', elapsed_seconds: 300, ended_at: null });
    });

    it('pause → resume → pause → resume → end, as often as the user likes', async () => {
      const { user, id } = await sessionIn('active');
      expect((await pause(user, id, 100, at(T0, 100))).json().data.status).toBe('paused');
      expect((await resume(user, id, at(T0, 200))).json().data.status).toBe('active');
      expect((await pause(user, id, 250, at(T0, 350))).json().data).toMatchObject({ status: 'paused', elapsed_seconds: 250 });
      expect((await resume(user, id, at(T0, 400))).json().data.status).toBe('active');
      const ended = await end(user, id, 1500, 'completed', at(T0, 1700));
      expect(ended.statusCode, ended.body).toBe(200);
      expect(ended.json().data).toMatchObject({ status: 'completed', elapsed_seconds: 1500, ended_at: at(T0, 1700) });
    });

    it.each([
      ['active', 'completed'],
      ['active', 'abandoned'],
      ['paused', 'completed'],
      ['paused', 'abandoned'],
    ] as const)('end: %s → %s, stamping ended_at with now', async (from, to) => {
      const { user, id } = await sessionIn(from);
      // v1.1 rule 3: paused after 300 s of focus, the session can claim no more than that (+ tolerance)
      const elapsed = to === 'completed' ? 1500 : from === 'paused' ? 300 : 400;
      if (from === 'paused' && to === 'completed') {
        expect((await resume(user, id, at(T0, 400))).statusCode).toBe(200);
        expect((await pause(user, id, 1500, at(T0, 1600))).statusCode).toBe(200);
      }
      const now = at(T0, 2000);
      const res = await end(user, id, elapsed, to, now);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.message).toBe(to === 'completed' ? 'focus session completed' : 'focus session abandoned');
      expect(body.data).toMatchObject({ id, status: to, elapsed_seconds: elapsed, started_at: T0, ended_at: now });
      expect(body.data).toHaveProperty('rewards');
      if (to === 'abandoned') expect(body.data.rewards).toBeNull();
      expect(await stored(user, id)).toMatchObject({ status: to, elapsed_seconds: elapsed, ended_at: now });
    });
  });

  describe('forbidden transitions answer 409 invalid_session_state and change nothing', () => {
    const cases: Array<[string, Status, Status[]]> = [
      ['pause', 'paused', ['active']],
      ['pause', 'completed', ['active']],
      ['pause', 'abandoned', ['active']],
      ['resume', 'active', ['paused']],
      ['resume', 'completed', ['paused']],
      ['resume', 'abandoned', ['paused']],
      ['end', 'completed', ['active', 'paused']],
      ['end', 'abandoned', ['active', 'paused']],
    ];

    it.each(cases)('%s from %s', async (action, status, allowedFrom) => {
      const { user, id } = await sessionIn(status);
      const before = await stored(user, id);
      const now = at(T0, 1500);
      const res =
        action === 'pause'
          ? await pause(user, id, 1500, now)
          : action === 'resume'
            ? await resume(user, id, now)
            : await end(user, id, 1500, 'abandoned', now);
      expect409State(res, status, allowedFrom);
      expect(await stored(user, id)).toEqual(before);
    });

    it('ending twice: the second end is 409 and the first result stands', async () => {
      const { user, id } = await sessionIn('active');
      expect((await end(user, id, 200, 'abandoned', at(T0, 200))).statusCode).toBe(200);
      expect409State(await end(user, id, 1500, 'completed', at(T0, 1500)), 'abandoned', ['active', 'paused']);
      expect(await stored(user, id)).toMatchObject({ status: 'abandoned', elapsed_seconds: 200, ended_at: at(T0, 200) });
    });
  });

  describe('404 for a session that is not the caller’s', () => {
    it.each(['pause', 'resume', 'end'])("answers %s on another user's session with 404 and leaves it alone", async (action) => {
      const { user: owner, id } = await sessionIn(action === 'resume' ? 'paused' : 'active');
      const before = await stored(owner, id);
      const intruder = await registerUser(t.app);
      const now = at(T0, 600);
      const res =
        action === 'pause'
          ? await pause(intruder, id, 500, now)
          : action === 'resume'
            ? await resume(intruder, id, now)
            : await end(intruder, id, 500, 'abandoned', now);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.code).toBe('not_found');
      expect(await stored(owner, id)).toEqual(before);
    });

    it('answers a session id that does not exist with 404', async () => {
      const user = await registerUser(t.app);
      const res = await pause(user, 2147483647, 0, T0);
      expect(res.statusCode).toBe(404);
    });
  });

  describe('resume bodies', () => {
    const variants: Array<[string, { payload?: string; headers?: Record<string, string> }]> = [
      ['no body and no content type', {}],
      ['an empty body with a JSON content type', { payload: '', headers: { 'content-type': 'application/json' } }],
      ['{} with a JSON content type', { payload: '{}', headers: { 'content-type': 'application/json' } }],
      ['{} without a content type', { payload: '{}' }],
      ['{} as text/plain', { payload: '{}', headers: { 'content-type': 'text/plain' } }],
      ['an empty body as text/plain', { payload: '', headers: { 'content-type': 'text/plain' } }],
      ['whitespace with a JSON content type', { payload: '  \n', headers: { 'content-type': 'application/json; charset=utf-8' } }],
    ];

    it.each(variants)('accepts %s', async (_label, options) => {
      const { user, id } = await sessionIn('paused');
      const res = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now: at(T0, 600), ...options });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toMatchObject({ id, status: 'active' });
    });

    it('rejects a body with fields as validation_error and leaves the session paused', async () => {
      const { user, id } = await sessionIn('paused');
      const res = await user.request({
        method: 'PATCH',
        url: `/api/v1/sessions/${id}/resume`,
        payload: '{"elapsed_seconds": 300}',
        headers: { 'content-type': 'application/json' },
        now: at(T0, 600),
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
      expect(await stored(user, id)).toMatchObject({ status: 'paused' });
    });

    it('rejects malformed JSON as invalid_json', async () => {
      const { user, id } = await sessionIn('paused');
      const res = await user.request({
        method: 'PATCH',
        url: `/api/v1/sessions/${id}/resume`,
        payload: '{',
        headers: { 'content-type': 'application/json' },
        now: at(T0, 600),
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('invalid_json');
    });

    it('rejects a body over 16 KiB with 413', async () => {
      const { user, id } = await sessionIn('paused');
      const res = await user.request({
        method: 'PATCH',
        url: `/api/v1/sessions/${id}/resume`,
        payload: ' '.repeat(17 * 1024),
        headers: { 'content-type': 'application/json' },
        now: at(T0, 600),
      });
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json().error.code).toBe('payload_too_large');
    });
  });

  describe('pause and end bodies', () => {
    it.each([
      ['a string elapsed_seconds', { elapsed_seconds: '750' }],
      ['a negative elapsed_seconds', { elapsed_seconds: -1 }],
      ['a fractional elapsed_seconds', { elapsed_seconds: 7.5 }],
      ['a missing elapsed_seconds', {}],
      ['status "active"', { elapsed_seconds: 10, status: 'active' }],
      ['status "completed" on pause', { elapsed_seconds: 10, status: 'completed' }],
      ['an unknown field', { elapsed_seconds: 10, note: 'x' }],
    ])('pause rejects %s with 400 validation_error', async (_label, payload) => {
      const { user, id } = await sessionIn('active');
      const res = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload, now: at(T0, 100) });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
      expect(await stored(user, id)).toMatchObject({ status: 'active', elapsed_seconds: 0 });
    });

    it.each([
      ['a missing status', { elapsed_seconds: 100 }],
      ['status "paused"', { elapsed_seconds: 100, status: 'paused' }],
      ['status "done"', { elapsed_seconds: 100, status: 'done' }],
      ['a string elapsed_seconds', { elapsed_seconds: '100', status: 'abandoned' }],
      ['a negative elapsed_seconds', { elapsed_seconds: -5, status: 'abandoned' }],
    ])('end rejects %s with 400 validation_error', async (_label, payload) => {
      const { user, id } = await sessionIn('active');
      const res = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload, now: at(T0, 200) });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
      expect(await stored(user, id)).toMatchObject({ status: 'active', elapsed_seconds: 0, ended_at: null });
    });
  });

  describe('the elapsed_seconds rules (422 naming the rule, nothing stored)', () => {
    it('rule 1: more than duration_seconds', async () => {
      const { user, id } = await sessionIn('active');
      expect422(await pause(user, id, 1501, at(T0, 3000)), 1);
      expect422(await end(user, id, 1501, 'abandoned', at(T0, 3000)), 1);
      expect(await stored(user, id)).toMatchObject({ status: 'active', elapsed_seconds: 0 });
    });

    it('rule 2: lower than the value already stored', async () => {
      const { user, id } = await sessionIn('paused'); // 300 stored
      expect((await resume(user, id, at(T0, 400))).statusCode).toBe(200);
      expect422(await pause(user, id, 299, at(T0, 500)), 2);
      expect422(await end(user, id, 299, 'abandoned', at(T0, 500)), 2);
      expect(await stored(user, id)).toMatchObject({ status: 'active', elapsed_seconds: 300 });
      // the same value is fine
      expect((await pause(user, id, 300, at(T0, 500))).statusCode).toBe(200);
    });

    it('rule 3: more than the active time since the start plus the 5 s tolerance', async () => {
      const { user, id } = await sessionIn('active');
      expect422(await pause(user, id, 16, at(T0, 10)), 3);
      expect422(await end(user, id, 1500, 'completed', at(T0, 10)), 3);
      expect(await stored(user, id)).toMatchObject({ status: 'active', elapsed_seconds: 0 });
      expect((await pause(user, id, 15, at(T0, 10))).statusCode).toBe(200);
    });

    it('rule 3 counts active time only, with the tolerance once (v1.1; v1 counted wall-clock time)', async () => {
      const { user, id } = await sessionIn('paused'); // 300 s active, paused at T0+300
      expect((await resume(user, id, at(T0, 1000))).statusCode).toBe(200);
      // 300 + 5 active, 1005 s since the start: 305 + 5 tolerance is the most anyone can claim
      expect422(await pause(user, id, 311, at(T0, 1005)), 3);
      expect((await pause(user, id, 310, at(T0, 1005))).statusCode).toBe(200);
    });

    it('rule 3 uses ELAPSED_TOLERANCE_SECONDS', async () => {
      const strict = await createTestApp(database, { ELAPSED_TOLERANCE_SECONDS: '0' });
      try {
        const user = await registerUser(strict.app);
        const id = (await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: T0 })).json().data.id;
        const over = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 11 }, now: at(T0, 10) });
        expect422(over, 3);
        const exact = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 10 }, now: at(T0, 10) });
        expect(exact.statusCode, exact.body).toBe(200);
      } finally {
        await strict.close();
      }
    });

    it('rule 4: completed needs elapsed_seconds == duration_seconds; abandoned is how to quit early', async () => {
      const { user, id } = await sessionIn('active');
      expect422(await end(user, id, 1499, 'completed', at(T0, 1600)), 4);
      expect(await stored(user, id)).toMatchObject({ status: 'active', elapsed_seconds: 0, ended_at: null });
      const res = await end(user, id, 1499, 'abandoned', at(T0, 1600));
      expect(res.statusCode).toBe(200);
    });

    it('reports the first broken rule when several are broken', async () => {
      const { user, id } = await sessionIn('paused'); // 300 stored at T0+300
      // 200 < 300 (rule 2), and completed with 200 != 1500 (rule 4)
      expect422(await end(user, id, 200, 'completed', at(T0, 400)), 2);
      // 1600 > 1500 (rule 1) and far beyond the wall clock (rule 3)
      expect422(await end(user, id, 1600, 'completed', at(T0, 400)), 1);
    });
  });

  describe('the test clock (FOCUS_TEST_CLOCK=1 + X-Test-Now)', () => {
    it('takes X-Test-Now as now for started_at and ended_at', async () => {
      const user = await registerUser(t.app);
      const res = await start(user, 1500, '2030-06-01T12:34:56Z');
      expect(res.json().data.started_at).toBe('2030-06-01T12:34:56Z');
      const ended = await end(user, res.json().data.id, 100, 'abandoned', '2030-06-01T14:40:00+02:00');
      expect(ended.json().data.ended_at).toBe('2030-06-01T12:40:00Z');
    });

    it('truncates X-Test-Now to whole seconds', async () => {
      const user = await registerUser(t.app);
      const res = await start(user, 1500, '2030-06-01T12:34:56.999Z');
      expect(res.json().data.started_at).toBe('2030-06-01T12:34:56Z');
    });

    it('answers an X-Test-Now that is not RFC 3339 with 400', async () => {
      const user = await registerUser(t.app);
      for (const now of ['yesterday', '2030-06-01', '2030-06-01 12:00:00', '1750000000']) {
        const res = await start(user, 1500, now);
        expect(res.statusCode, now).toBe(400);
        expect(res.json().error.code).toBe('validation_error');
      }
      expect((await active(user)).json().data).toBeNull();
    });

    it('is ignored when FOCUS_TEST_CLOCK is unset: the real clock is used', async () => {
      const real = await createTestApp(database, { FOCUS_TEST_CLOCK: '' });
      try {
        const user = await registerUser(real.app);
        const before = Date.now();
        const res = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: 'not even a date' });
        expect(res.statusCode, res.body).toBe(201);
        const startedAt = Date.parse(res.json().data.started_at);
        expect(startedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
        expect(startedAt).toBeLessThanOrEqual(Date.now());
        // with the real clock, 25 minutes cannot be claimed seconds after the start
        const id = res.json().data.id;
        const res2 = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds: 1500, status: 'completed' }, now: '2099-01-01T00:00:00Z' });
        expect422(res2, 3);
      } finally {
        await real.close();
      }
    });
  });

  describe('GET /sessions (history)', () => {
    /** A user with `count` finished sessions, one per hour from T0, alternating completed and abandoned. */
    async function userWithHistory(count: number): Promise<{ user: TestUser; ids: number[] }> {
      const user = await registerUser(t.app);
      const ids: number[] = [];
      for (let i = 0; i < count; i += 1) {
        const startedAt = at(T0, i * 3600);
        const id = (await start(user, 60, startedAt)).json().data.id as number;
        const status = i % 2 === 0 ? 'completed' : 'abandoned';
        const res = await end(user, id, status === 'completed' ? 60 : 30, status, at(startedAt, 60));
        expect(res.statusCode, res.body).toBe(200);
        ids.push(id);
      }
      return { user, ids };
    }

    const history = (user: TestUser, query = '') => user.request({ method: 'GET', url: `/api/v1/sessions${query ? `?${query}` : ''}` });

    it('lists newest first with meta {limit, has_more, next_cursor}', async () => {
      const { user, ids } = await userWithHistory(3);
      const res = await history(user);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ success: true, meta: { limit: 20, has_more: false, next_cursor: null } });
      expect(body.data.map((s: { id: number }) => s.id)).toEqual([...ids].reverse());
      expect(body.data[0]).toEqual({
        id: ids[2],
        user_id: user.id,
        duration_seconds: 60,
        elapsed_seconds: 60,
        status: 'completed',
        started_at: at(T0, 7200),
        ended_at: at(T0, 7260),
        resumed_at: null,
        planned_end_at: null,
        tag: null,
        note: null,
      });
    });

    it('includes the running session', async () => {
      const { user, id } = await sessionIn('paused');
      expect((await history(user)).json().data).toEqual([expect.objectContaining({ id, status: 'paused' })]);
    });

    it('is empty for a new user', async () => {
      const user = await registerUser(t.app);
      expect((await history(user)).json()).toMatchObject({ data: [], meta: { has_more: false, next_cursor: null } });
    });

    it('walks every page with the cursor, each row exactly once', async () => {
      const { user, ids } = await userWithHistory(7);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await history(user, `limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body.meta.limit).toBe(3);
        seen.push(...body.data.map((s: { id: number }) => s.id));
        cursor = body.meta.next_cursor;
        expect(body.meta.has_more).toBe(cursor !== null);
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('breaks ties on started_at by id, so no row is skipped or repeated', async () => {
      const user = await registerUser(t.app);
      const ids: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const id = (await start(user, 60, T0)).json().data.id as number;
        await end(user, id, 0, 'abandoned', T0);
        ids.push(id);
      }
      const first = (await history(user, 'limit=2')).json();
      const second = (await history(user, `limit=2&cursor=${first.meta.next_cursor}`)).json();
      const third = (await history(user, `limit=2&cursor=${second.meta.next_cursor}`)).json();
      const all = [...first.data, ...second.data, ...third.data].map((s: { id: number }) => s.id);
      expect(all).toEqual([...ids].reverse());
      expect(third.meta).toMatchObject({ has_more: false, next_cursor: null });
    });

    it('says has_more false when the last page is exactly full', async () => {
      const { user } = await userWithHistory(4);
      const first = (await history(user, 'limit=2')).json();
      expect(first.meta.has_more).toBe(true);
      const second = (await history(user, `limit=2&cursor=${first.meta.next_cursor}`)).json();
      expect(second.data).toHaveLength(2);
      expect(second.meta).toMatchObject({ has_more: false, next_cursor: null });
    });

    it('filters by one or several statuses', async () => {
      const { user, ids } = await userWithHistory(4);
      const completed = (await history(user, 'status=completed')).json().data;
      expect(completed.map((s: { id: number }) => s.id)).toEqual([ids[2], ids[0]]);
      const both = (await history(user, 'status=completed,abandoned')).json().data;
      expect(both).toHaveLength(4);
      expect((await history(user, 'status=active')).json().data).toEqual([]);
    });

    it('filters by from and to on started_at, both inclusive, any offset', async () => {
      const { user, ids } = await userWithHistory(5); // started at T0 + 0h..4h
      const res = await history(user, `from=${at(T0, 3600)}&to=${encodeURIComponent('2026-02-18T11:00:00+01:00')}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data.map((s: { id: number }) => s.id)).toEqual([ids[2], ids[1]]);
    });

    it('combines filters with the cursor', async () => {
      const { user, ids } = await userWithHistory(6);
      const first = (await history(user, 'status=abandoned&limit=2')).json();
      expect(first.data.map((s: { id: number }) => s.id)).toEqual([ids[5], ids[3]]);
      const second = (await history(user, `status=abandoned&limit=2&cursor=${first.meta.next_cursor}`)).json();
      expect(second.data.map((s: { id: number }) => s.id)).toEqual([ids[1]]);
      expect(second.meta.has_more).toBe(false);
    });

    it('answers a bad cursor with 400 validation_error naming cursor', async () => {
      const user = await registerUser(t.app);
      for (const cursor of ['garbage', 'bm90LWEtY3Vyc29y', Buffer.from('2026-02-18T08:00:00Z|0').toString('base64url')]) {
        const res = await history(user, `cursor=${cursor}`);
        expect(res.statusCode, cursor).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'validation_error', details: [{ field: 'cursor' }] });
      }
    });

    it('answers limits outside 1..100 with 400 and accepts both ends', async () => {
      const user = await registerUser(t.app);
      expect((await history(user, 'limit=1')).json().meta.limit).toBe(1);
      expect((await history(user, 'limit=100')).json().meta.limit).toBe(100);
      expect((await history(user, 'limit=0')).statusCode).toBe(400);
      expect((await history(user, 'limit=101')).statusCode).toBe(400);
    });

    it("never lists another user's sessions", async () => {
      await userWithHistory(2);
      const user = await registerUser(t.app);
      expect((await history(user)).json().data).toEqual([]);
    });
  });
});
