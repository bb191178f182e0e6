// Running time that holds across devices and offline (contract 10) and v1.1's rule 3 (contract 4),
// over HTTP on each database: resumed_at and planned_end_at, the device's `at` and each of its bounds,
// time spent paused not counted as focus, a late end counted on its own day, and migration 0009.
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { Kysely, Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { migrations } from '../src/db/migrations/index.js';
import { type TestUser, asUser, at, registerUser, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

const T0 = '2026-02-18T08:00:00Z';
const TOLERANCE = 5;

function expectActionTime(res: LightMyRequestResponse, earliest: string) {
  expect(res.statusCode, res.body).toBe(422);
  expect(res.json()).toMatchObject({ success: false, error: { code: 'action_time_invalid', details: { earliest } } });
}

function expectRule(res: LightMyRequestResponse, rule: number) {
  expect(res.statusCode, res.body).toBe(422);
  expect(res.json().error).toMatchObject({ code: 'elapsed_seconds_invalid', details: { rule } });
  expect(res.json().message).toContain(`rule ${rule}`);
}

describe.each(testDatabases)('session time on $name', (database) => {
  const t = suiteApp(database);

  const start = (user: TestUser, now: string, body: Record<string, unknown> = {}) =>
    user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500, ...body }, now });
  const pause = (user: TestUser, id: number, elapsed_seconds: number, now: string, body: Record<string, unknown> = {}) =>
    user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds, ...body }, now });
  const resume = (user: TestUser, id: number, now: string, body?: Record<string, unknown>) =>
    user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now, ...(body ? { payload: body } : {}) });
  const end = (user: TestUser, id: number, elapsed_seconds: number, status: string, now: string, body: Record<string, unknown> = {}) =>
    user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds, status, ...body }, now });
  const active = (user: TestUser, now: string) => user.request({ method: 'GET', url: '/api/v1/sessions/active', now });
  const row = (id: number) => t.handle.db.selectFrom('focus_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function started(now = T0, body: Record<string, unknown> = {}): Promise<{ user: TestUser; id: number }> {
    const user = await registerUser(t.app);
    const res = await start(user, now, body);
    expect(res.statusCode, res.body).toBe(201);
    return { user, id: res.json().data.id as number };
  }

  async function ok(res: Promise<LightMyRequestResponse>) {
    const done = await res;
    expect(done.statusCode, done.body).toBe(200);
    return done.json().data;
  }

  /** The same account signed in again, as a second device would. */
  async function secondDevice(user: TestUser): Promise<TestUser> {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } });
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data;
    return asUser(t.app, { ...user, accessToken: data.access_token, refreshToken: data.refresh_token });
  }

  describe('resumed_at and planned_end_at', () => {
    it('follow start, pause, resume and end, and a second device restores the countdown from them', async () => {
      const { user, id } = await started();
      const phone = await secondDevice(user);
      expect(phone.accessToken).not.toBe(user.accessToken);
      const times = (s: { resumed_at: string | null; planned_end_at: string | null }) => [s.resumed_at, s.planned_end_at];

      // started at T0 with 1500 s planned
      expect(times((await active(user, T0)).json().data)).toEqual([T0, at(T0, 1500)]);
      // 100 s later on the other device: the same run and planned end, nothing to reconstruct
      expect((await active(phone, at(T0, 100))).json().data).toMatchObject({ id, status: 'active', elapsed_seconds: 0, resumed_at: T0, planned_end_at: at(T0, 1500) });

      const paused = await ok(pause(user, id, 300, at(T0, 300)));
      expect(times(paused)).toEqual([null, null]);
      expect((await active(phone, at(T0, 600))).json().data).toMatchObject({ status: 'paused', elapsed_seconds: 300, resumed_at: null, planned_end_at: null });

      // resumed at T0+1000 with 1200 s left
      const resumed = await ok(resume(user, id, at(T0, 1000)));
      expect(times(resumed)).toEqual([at(T0, 1000), at(T0, 2200)]);
      expect(times((await active(phone, at(T0, 1500))).json().data)).toEqual([at(T0, 1000), at(T0, 2200)]);

      const ended = await ok(end(phone, id, 1500, 'completed', at(T0, 2200)));
      expect(ended).toMatchObject({ status: 'completed', ended_at: at(T0, 2200), resumed_at: null, planned_end_at: null });
      expect((await active(user, at(T0, 2300))).json().data).toBeNull();
      const history = await user.request({ method: 'GET', url: '/api/v1/sessions' });
      expect(times(history.json().data[0])).toEqual([null, null]);
    });

    it('start at a device moment: the run and the planned end count from it', async () => {
      const { user } = await started(at(T0, 120), { at: T0 });
      expect((await active(user, at(T0, 120))).json().data).toMatchObject({ started_at: T0, resumed_at: T0, planned_end_at: at(T0, 1500) });
    });
  });

  describe('`at` on pause, resume and end', () => {
    it('an `at` later than now is taken as now', async () => {
      const { user, id } = await started();
      await ok(pause(user, id, 300, at(T0, 300), { at: at(T0, 3600) }));
      // the pause was recorded at T0+300: a resume cannot be dated before T0+295
      expectActionTime(await resume(user, id, at(T0, 400), { at: at(T0, 294) }), at(T0, 295));
      const resumed = await ok(resume(user, id, at(T0, 400), { at: at(T0, 9999) }));
      expect(resumed.resumed_at).toBe(at(T0, 400));
      const ended = await ok(end(user, id, 400, 'abandoned', at(T0, 500), { at: '2027-01-01T00:00:00Z' }));
      expect(ended.ended_at).toBe(at(T0, 500));
    });

    it('an `at` within the tolerance before the last transition is taken as the last transition', async () => {
      const { user, id } = await started();
      // T0-3 is T0: no active time at all, so only the tolerance can be claimed
      expectRule(await pause(user, id, TOLERANCE + 1, at(T0, 600), { at: at(T0, -3) }), 3);
      await ok(pause(user, id, TOLERANCE, at(T0, 600), { at: at(T0, -3) }));
      expectActionTime(await resume(user, id, at(T0, 700), { at: at(T0, -6) }), at(T0, -5));
      const resumed = await ok(resume(user, id, at(T0, 700), { at: at(T0, -5) }));
      expect(resumed).toMatchObject({ resumed_at: T0, planned_end_at: at(T0, 1500 - TOLERANCE) });
      const ended = await ok(end(user, id, TOLERANCE, 'abandoned', at(T0, 800), { at: at(T0, -1) }));
      expect(ended.ended_at).toBe(T0);
    });

    it('an `at` more than the tolerance before the last transition is 422 action_time_invalid with the earliest, and nothing changes', async () => {
      const { user, id } = await started();
      expectActionTime(await pause(user, id, 0, at(T0, 60), { at: at(T0, -6) }), at(T0, -5));
      expectActionTime(await end(user, id, 0, 'abandoned', at(T0, 60), { at: '2026-02-18T08:59:54+01:00' }), at(T0, -5));
      expect(await row(id)).toMatchObject({ status: 'active', elapsed_seconds: 0, last_transition_at: T0, resumed_at: T0, active_seconds: 0 });

      await ok(pause(user, id, 100, at(T0, 100)));
      expectActionTime(await resume(user, id, at(T0, 200), { at: at(T0, 94) }), at(T0, 95));
      expectActionTime(await end(user, id, 100, 'abandoned', at(T0, 200), { at: at(T0, 94) }), at(T0, 95));
      expect(await row(id)).toMatchObject({ status: 'paused', elapsed_seconds: 100, last_transition_at: at(T0, 100), resumed_at: null, active_seconds: 100 });
    });

    it('is the moment recorded: a pause closes the run at `at`, an end is stamped with it', async () => {
      const { user, id } = await started();
      // queued offline: paused at T0+200, sent at T0+900
      await ok(pause(user, id, 200, at(T0, 900), { at: at(T0, 200) }));
      expect(await row(id)).toMatchObject({ active_seconds: 200, last_transition_at: at(T0, 200) });
      const resumed = await ok(resume(user, id, at(T0, 950), { at: at(T0, 300) }));
      expect(resumed).toMatchObject({ resumed_at: at(T0, 300), planned_end_at: at(T0, 1600) });
      // 200 + (1600 - 300) = 1500 s active by T0+1600, whenever the end arrives
      const ended = await ok(end(user, id, 1500, 'completed', at(T0, 5000), { at: at(T0, 1600) }));
      expect(ended).toMatchObject({ status: 'completed', ended_at: at(T0, 1600) });
      expect(await row(id)).toMatchObject({ active_seconds: 1500, last_transition_at: at(T0, 1600) });
    });

    it('drops sub-seconds and reads any offset; null is the same as no `at`', async () => {
      const { user, id } = await started();
      await ok(pause(user, id, 60, at(T0, 500), { at: '2026-02-18T09:01:00.999+01:00' }));
      expect((await row(id)).last_transition_at).toBe(at(T0, 60));
      const resumed = await ok(resume(user, id, at(T0, 600), { at: null }));
      expect(resumed.resumed_at).toBe(at(T0, 600));
      const ended = await ok(end(user, id, 60, 'abandoned', at(T0, 700), { at: null }));
      expect(ended.ended_at).toBe(at(T0, 700));
    });

    it('resume takes {"at": …} with or without a JSON content type, and still no body at all', async () => {
      const { user, id } = await started();
      await ok(pause(user, id, 10, at(T0, 10)));
      const plain = await user.request({
        method: 'PATCH',
        url: `/api/v1/sessions/${id}/resume`,
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify({ at: at(T0, 20) }),
        now: at(T0, 30),
      });
      expect(plain.statusCode, plain.body).toBe(200);
      expect(plain.json().data.resumed_at).toBe(at(T0, 20));
      await ok(pause(user, id, 20, at(T0, 40)));
      expect((await ok(resume(user, id, at(T0, 50)))).resumed_at).toBe(at(T0, 50));
      await ok(pause(user, id, 30, at(T0, 60)));
      expect((await ok(resume(user, id, at(T0, 70), {}))).resumed_at).toBe(at(T0, 70));
    });

    it('an `at` that is not an RFC 3339 date-time with an offset is 400 validation_error naming at', async () => {
      const { user, id } = await started();
      for (const value of ['yesterday', '2026-02-18T08:00:00', '2026-02-18', 1771401600, true]) {
        for (const res of [await pause(user, id, 0, at(T0, 60), { at: value }), await resume(user, id, at(T0, 60), { at: value }), await end(user, id, 0, 'abandoned', at(T0, 60), { at: value })]) {
          expect(res.statusCode, `${String(value)}: ${res.body}`).toBe(400);
          expect(res.json().error.code).toBe('validation_error');
          expect(JSON.stringify(res.json().error.details)).toContain('at');
        }
      }
      expect((await start(await registerUser(t.app), T0, { at: 'soon' })).statusCode).toBe(400);
      expect(await row(id)).toMatchObject({ status: 'active', last_transition_at: T0 });
    });
  });

  describe('the order of checks: 400, 404, 409, 422 action_time_invalid, 422 elapsed_seconds_invalid', () => {
    it('404 before 422 for another user’s session', async () => {
      const { id } = await started();
      const other = await registerUser(t.app);
      const res = await pause(other, id, 0, at(T0, 60), { at: at(T0, -3600) });
      expect(res.statusCode).toBe(404);
    });

    it('409 invalid_session_state before action_time_invalid', async () => {
      const { user, id } = await started();
      await ok(end(user, id, 10, 'abandoned', at(T0, 10)));
      for (const res of [await pause(user, id, 10, at(T0, 60), { at: at(T0, -3600) }), await resume(user, id, at(T0, 60), { at: at(T0, -3600) })]) {
        expect(res.statusCode).toBe(409);
        expect(res.json().error.code).toBe('invalid_session_state');
      }
    });

    it('action_time_invalid before every elapsed_seconds rule', async () => {
      const { user, id } = await started();
      expectActionTime(await pause(user, id, 99999, at(T0, 60), { at: at(T0, -3600) }), at(T0, -5));
      expectActionTime(await end(user, id, 1499, 'completed', at(T0, 60), { at: at(T0, -3600) }), at(T0, -5));
    });
  });

  describe('`at` on a start', () => {
    it('may go back 24 hours exactly, not one second more', async () => {
      const user = await registerUser(t.app);
      expectActionTime(await start(user, T0, { at: at(T0, -86401) }), at(T0, -86400));
      const res = await start(user, T0, { at: at(T0, -86400) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data).toMatchObject({ started_at: at(T0, -86400), resumed_at: at(T0, -86400), planned_end_at: at(T0, -86400 + 1500) });
    });

    it('may not go before the user’s latest end', async () => {
      const { user, id } = await started();
      await ok(end(user, id, 600, 'abandoned', at(T0, 700), { at: at(T0, 600) }));
      expectActionTime(await start(user, at(T0, 900), { at: at(T0, 599) }), at(T0, 600));
      const res = await start(user, at(T0, 900), { at: at(T0, 600) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data.started_at).toBe(at(T0, 600));
    });

    it('later than now is now; null is now', async () => {
      const user = await registerUser(t.app);
      const res = await start(user, T0, { at: at(T0, 3600) });
      expect(res.json().data).toMatchObject({ started_at: T0, resumed_at: T0 });
      const other = await registerUser(t.app);
      expect((await start(other, T0, { at: null })).json().data.started_at).toBe(T0);
    });

    it('a running session is 409 session_already_running, before any check of `at`', async () => {
      const { user } = await started();
      const res = await start(user, at(T0, 60), { at: at(T0, -999999) });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('session_already_running');
    });
  });

  describe('rule 3: active time seen plus one tolerance', () => {
    it('refuses the paused-time hole: start, pause at 1 min, wait 24 min, resume, complete at once', async () => {
      const { user, id } = await started();
      await ok(pause(user, id, 60, at(T0, 60)));
      await ok(resume(user, id, at(T0, 60 + 24 * 60)));
      const res = await end(user, id, 1500, 'completed', at(T0, 60 + 24 * 60));
      expectRule(res, 3);
      expect(res.json().message).toContain('60 seconds');
      expect(await row(id)).toMatchObject({ status: 'active', elapsed_seconds: 60 });
      // the remaining 1440 s of real focus complete it
      await ok(end(user, id, 1500, 'completed', at(T0, 60 + 24 * 60 + 1440)));
    });

    it('grants the tolerance once, not once per pause', async () => {
      const { user, id } = await started();
      await ok(pause(user, id, 10 + TOLERANCE, at(T0, 10)));
      await ok(resume(user, id, at(T0, 100)));
      // 20 s active: 20 + 5 at most, though 15 + 10 + 5 would pass a per-run tolerance
      expectRule(await pause(user, id, 26, at(T0, 110)), 3);
      await ok(pause(user, id, 25, at(T0, 110)));
    });

    it('counts the run of a migrated or queued resume from its resume moment', async () => {
      const { user, id } = await started();
      await ok(pause(user, id, 100, at(T0, 100)));
      await ok(resume(user, id, at(T0, 5000), { at: at(T0, 200) }));
      // 100 + (T0+1600 - T0+200) = 1500
      await ok(end(user, id, 1500, 'completed', at(T0, 5000), { at: at(T0, 1600) }));
    });

    it('for random pauses, resumes and ends with `at`, accepted elapsed_seconds never exceeds the active runs plus one tolerance (property)', async () => {
      const step = fc.record({
        action: fc.constantFrom('pause', 'resume', 'end'),
        wait: fc.nat({ max: 900 }),
        atOffset: fc.option(fc.integer({ min: -1200, max: 120 }), { nil: null }),
        claim: fc.nat({ max: 1600 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
          const { user, id } = await started();
          let now = T0;
          let elapsed = 0;
          const runs: Array<[string, string]> = [];
          let runStart: string | null = T0;
          for (const { action, wait, atOffset, claim } of steps) {
            now = at(now, wait);
            const body = atOffset === null ? {} : { at: at(now, atOffset) };
            const claimed = Math.max(elapsed, Math.min(claim, 1500));
            const res =
              action === 'resume'
                ? await resume(user, id, now, body)
                : action === 'pause'
                  ? await pause(user, id, claimed, now, body)
                  : await end(user, id, claimed, claimed === 1500 ? 'completed' : 'abandoned', now, body);
            expect([200, 409, 422], res.body).toContain(res.statusCode);
            if (res.statusCode !== 200) continue;
            const stored = await row(id);
            if (action === 'resume') {
              runStart = stored.resumed_at;
              continue;
            }
            if (runStart !== null && stored.last_transition_at !== null) runs.push([runStart, stored.last_transition_at]);
            runStart = null;
            const seen = runs.reduce((sum, [from, to]) => sum + (Date.parse(to) - Date.parse(from)) / 1000, 0);
            expect(claimed).toBeLessThanOrEqual(seen + TOLERANCE);
            expect(stored.active_seconds).toBe(seen);
            elapsed = claimed;
            if (action === 'end') break;
          }
        }),
        { numRuns: 15 },
      );
    });
  });

  it('OpenAPI documents `at` and the 422 on start, pause, resume and end, and the new session fields', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const routes: Array<[string, string]> = [
      ['/api/v1/sessions', 'post'],
      ['/api/v1/sessions/{id}/pause', 'patch'],
      ['/api/v1/sessions/{id}/resume', 'patch'],
      ['/api/v1/sessions/{id}/end', 'patch'],
    ];
    for (const [path, method] of routes) {
      const operation = doc.paths[path][method];
      expect(JSON.stringify(operation.requestBody), `${method} ${path}`).toMatch(/"at":\{/);
      expect(Object.keys(operation.responses), `${method} ${path}`).toContain('422');
    }
    const session = JSON.stringify(doc.components.schemas.FocusSession);
    expect(session).toContain('"resumed_at"');
    expect(session).toContain('"planned_end_at"');
  });

  describe('a late end counts on the day it happened', () => {
    it('an end at 23:50 sent the next morning goes to that day: progress, streak, ended_day', async () => {
      const user = await registerUser(t.app, { timezone: 'Europe/Berlin' });
      // day 1 (Berlin): a completion at 09:25
      const first = (await start(user, '2026-03-01T08:00:00Z')).json().data.id as number;
      await ok(end(user, first, 1500, 'completed', '2026-03-01T08:25:00Z'));
      // day 2: started 23:25 Berlin, finished 23:50 offline, sent at 08:00 on day 3
      const second = (await start(user, '2026-03-02T22:25:00Z')).json().data.id as number;
      const late = await ok(end(user, second, 1500, 'completed', '2026-03-03T07:00:00Z', { at: '2026-03-02T23:50:00+01:00' }));
      expect(late.ended_at).toBe('2026-03-02T22:50:00Z');
      expect(late.rewards.daily_progress).toMatchObject({ date: '2026-03-02', focus_seconds: 1500, sessions_completed: 1 });
      expect(late.rewards.streak).toMatchObject({ current_streak: 2, last_active_date: '2026-03-02' });
      expect((await row(second)).ended_day).toBe('2026-03-02');
      const progress = await user.request({ method: 'GET', url: '/api/v1/progress?from=2026-03-01&to=2026-03-03', now: '2026-03-03T07:00:00Z' });
      expect(progress.json().data.map((d: { date: string; focus_seconds: number }) => [d.date, d.focus_seconds])).toEqual([
        ['2026-03-01', 1500],
        ['2026-03-02', 1500],
        ['2026-03-03', 0],
      ]);
      // a completion on day 3 continues the streak
      const third = (await start(user, '2026-03-03T07:05:00Z')).json().data.id as number;
      const next = await ok(end(user, third, 1500, 'completed', '2026-03-03T07:30:00Z'));
      expect(next.rewards.streak).toMatchObject({ current_streak: 3, longest_streak: 3 });
    });

    it('an abandoned end keeps the local day of its `at` too', async () => {
      const user = await registerUser(t.app, { timezone: 'America/New_York' });
      const id = (await start(user, '2026-03-03T04:00:00Z')).json().data.id as number;
      await ok(end(user, id, 600, 'abandoned', '2026-03-03T14:00:00Z', { at: '2026-03-03T04:10:00Z' }));
      expect(await row(id)).toMatchObject({ ended_at: '2026-03-03T04:10:00Z', ended_day: '2026-03-02' });
    });
  });
});

describe.each(testDatabases)('migration 0009_session_time on $name', (database) => {
  it('fills the time columns of sessions written before it, ended days in pages, and goes down and up again', async () => {
    const created = await database.create();
    try {
      const db = created.handle.db as Kysely<Database>;
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => migrations },
        ...(created.schema ? { migrationTableSchema: created.schema } : {}),
      });
      expect((await migrator.migrateTo('0007_tags')).error).toBeUndefined();
      const users = await db
        .insertInto('users')
        .values(['UTC', 'America/New_York'].map((timezone, i) => ({ email: `m${i}@example.com`, password_hash: 'x', display_name: null, timezone, created_at: T0, updated_at: T0 })))
        .returning('id')
        .execute();
      const [utc, newYork] = users.map((u) => u.id) as [number, number];
      const session = (userId: number, status: 'active' | 'paused' | 'completed' | 'abandoned', startedAt: string, elapsed: number, updatedAt: string, endedAt: string | null = null) => ({
        user_id: userId,
        duration_seconds: 1500,
        elapsed_seconds: elapsed,
        status,
        started_at: startedAt,
        ended_at: endedAt,
        updated_at: updatedAt,
      });
      // more ended sessions than one page of the migration (1000)
      const history = Array.from({ length: 1203 }, (_, i) => {
        const startedAt = at('2026-01-01T02:00:00Z', i * 3600);
        return session(newYork, i % 3 === 0 ? 'abandoned' : 'completed', startedAt, 1500, at(startedAt, 1800), at(startedAt, 1800));
      });
      for (let i = 0; i < history.length; i += 400) await db.insertInto('focus_sessions').values(history.slice(i, i + 400)).execute();
      // never paused; resumed at T0+900 after 300 s; paused at T0+600 after 420 s
      const [neverPaused, resumed] = await db
        .insertInto('focus_sessions')
        .values([session(utc, 'active', T0, 0, T0), session(newYork, 'active', T0, 300, at(T0, 900))])
        .returning('id')
        .execute();
      const paused = await db
        .insertInto('users')
        .values({ email: 'p@example.com', password_hash: 'x', display_name: null, timezone: 'Asia/Tokyo', created_at: T0, updated_at: T0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const [pausedSession] = await db.insertInto('focus_sessions').values([session(paused.id, 'paused', T0, 420, at(T0, 600))]).returning('id').execute();

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const read = (id: number) =>
        db.selectFrom('focus_sessions').select(['status', 'resumed_at', 'last_transition_at', 'active_seconds', 'ended_day']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(await read(neverPaused!.id)).toEqual({ status: 'active', resumed_at: T0, last_transition_at: T0, active_seconds: 0, ended_day: null });
      expect(await read(resumed!.id)).toEqual({ status: 'active', resumed_at: at(T0, 900), last_transition_at: at(T0, 900), active_seconds: 300, ended_day: null });
      expect(await read(pausedSession!.id)).toEqual({ status: 'paused', resumed_at: null, last_transition_at: at(T0, 600), active_seconds: 420, ended_day: null });

      const ended = await db.selectFrom('focus_sessions').select(['ended_at', 'ended_day', 'last_transition_at', 'resumed_at', 'active_seconds']).where('user_id', '=', newYork).where('ended_at', 'is not', null).orderBy('id').execute();
      expect(ended).toHaveLength(1203);
      for (const s of ended) {
        // New York is 5 hours behind UTC until March: the day of each end there
        expect(s).toEqual({ ended_at: s.ended_at, ended_day: at(s.ended_at as string, -5 * 3600).slice(0, 10), last_transition_at: s.ended_at, resumed_at: null, active_seconds: 1500 });
      }
      // the first end, 02:30 UTC on 1 January, was 31 December in New York
      expect(ended[0]?.ended_day).toBe('2025-12-31');

      expect((await migrator.migrateTo('0008_settings_goals')).error).toBeUndefined();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await read(resumed!.id)).toEqual({ status: 'active', resumed_at: at(T0, 900), last_transition_at: at(T0, 900), active_seconds: 300, ended_day: null });
    } finally {
      await created.drop();
    }
    // every migration down to 0007 and up again, twice, on a loaded machine
  }, 60_000);
});
