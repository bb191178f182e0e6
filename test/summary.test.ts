// Contract 14 over HTTP on every database: GET /summary for a week (Monday or Sunday start) and a
// calendar month, the period before, by_day as /progress shows it, by_tag, the stored end day
// (zones, DST, a zone change afterwards), defaults, 400s and other users' data.
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { type TestUser, at, registerUser, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

type Status = 'completed' | 'abandoned';

/** A session of `seconds` that ends at `endAt` (UTC), completed unless told, with a tag or none. */
async function endedSession(user: TestUser, endAt: string, options: { seconds?: number; status?: Status; tagId?: number } = {}): Promise<number> {
  const seconds = options.seconds ?? 1500;
  const status = options.status ?? 'completed';
  const startAt = at(endAt, -seconds);
  const payload = { duration_seconds: seconds, ...(options.tagId === undefined ? {} : { tag_id: options.tagId }) };
  const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload, now: startAt });
  expect(start.statusCode, start.body).toBe(201);
  const id: number = start.json().data.id;
  const elapsed = status === 'completed' ? seconds : Math.floor(seconds / 2);
  const end = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds: elapsed, status }, now: endAt });
  expect(end.statusCode, end.body).toBe(200);
  return id;
}

async function createTag(user: TestUser, name: string, color = '#4F46E5'): Promise<{ id: number; name: string; color: string }> {
  const res = await user.request({ method: 'POST', url: '/api/v1/tags', payload: { name, color } });
  expect(res.statusCode, res.body).toBe(201);
  const { id } = res.json().data;
  return { id, name, color };
}

async function patch(user: TestUser, url: string, payload: object): Promise<void> {
  const res = await user.request({ method: 'PATCH', url, payload });
  expect(res.statusCode, res.body).toBe(200);
}

const settings = (user: TestUser, values: object) => patch(user, '/api/v1/users/me', { settings: values });

function getSummary(user: TestUser, query = '', now = '2026-06-15T12:00:00Z'): Promise<LightMyRequestResponse> {
  return user.request({ method: 'GET', url: `/api/v1/summary${query}`, now });
}

async function summary(user: TestUser, query: string, now?: string) {
  const res = await getSummary(user, query, now);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(body).toMatchObject({ success: true, message: 'focus summary' });
  return body.data;
}

/** The /progress items of the same days: by_day must be exactly these. */
async function progress(user: TestUser, from: string, to: string) {
  const res = await user.request({ method: 'GET', url: `/api/v1/progress?from=${from}&to=${to}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
}

const EMPTY_TOTALS = { focus_seconds: 0, sessions_completed: 0, sessions_abandoned: 0, days_active: 0, goal_days_met: 0, best_day: null, by_tag: [] };

describe.each(testDatabases)('GET /summary on $name', (database) => {
  const t = suiteApp(database);

  describe('the week', () => {
    it('runs Monday to Sunday by default, with its totals, by_day as /progress shows it and the week before', async () => {
      const user = await registerUser(t.app);
      await endedSession(user, '2026-02-26T10:00:00Z', { seconds: 600 }); // Thursday of the week before
      await endedSession(user, '2026-03-01T10:00:00Z'); // Sunday: the week before, for a Monday start
      await endedSession(user, '2026-03-02T08:00:00Z'); // Monday
      await endedSession(user, '2026-03-02T09:00:00Z', { seconds: 3000 });
      await endedSession(user, '2026-03-04T08:00:00Z', { seconds: 900, status: 'abandoned' });
      await endedSession(user, '2026-03-08T23:59:59Z', { seconds: 60 }); // the Sunday that ends it
      await endedSession(user, '2026-03-09T00:00:00Z'); // the next Monday

      const week = await summary(user, '?period=week&date=2026-03-04');
      expect(week).toEqual({
        period: 'week',
        from: '2026-03-02',
        to: '2026-03-08',
        focus_seconds: 4560,
        sessions_completed: 3,
        sessions_abandoned: 1,
        days_active: 2,
        goal_days_met: 0,
        best_day: { date: '2026-03-02', focus_seconds: 4500 },
        by_day: await progress(user, '2026-03-02', '2026-03-08'),
        by_tag: [{ tag: null, focus_seconds: 4560, sessions_completed: 3 }],
        previous: { from: '2026-02-23', to: '2026-03-01', focus_seconds: 2100, sessions_completed: 2 },
      });
      expect(week.by_day.map((d: { date: string }) => d.date)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
      expect(week.by_day[0]).toMatchObject({ focus_seconds: 4500, sessions_completed: 2 });
      expect(week.by_day[1]).toMatchObject({ focus_seconds: 0, sessions_completed: 0 });
      // any day of the week gives the same week
      expect(await summary(user, '?date=2026-03-02')).toEqual(week);
      expect(await summary(user, '?date=2026-03-08')).toEqual(week);
    });

    it("runs Sunday to Saturday once the user's week starts on Sunday", async () => {
      const user = await registerUser(t.app);
      await endedSession(user, '2026-02-28T10:00:00Z'); // Saturday
      await endedSession(user, '2026-03-01T10:00:00Z', { seconds: 600 }); // Sunday
      await endedSession(user, '2026-03-07T10:00:00Z', { seconds: 900 }); // Saturday
      await endedSession(user, '2026-03-08T10:00:00Z', { seconds: 300 }); // Sunday
      await settings(user, { week_starts_on: 'sunday' });

      const week = await summary(user, '?period=week&date=2026-03-04');
      expect(week).toMatchObject({
        from: '2026-03-01',
        to: '2026-03-07',
        focus_seconds: 1500,
        sessions_completed: 2,
        days_active: 2,
        best_day: { date: '2026-03-07', focus_seconds: 900 },
        previous: { from: '2026-02-22', to: '2026-02-28', focus_seconds: 1500, sessions_completed: 1 },
      });
      expect(week.by_day).toEqual(await progress(user, '2026-03-01', '2026-03-07'));
      expect(await summary(user, '?date=2026-03-08')).toMatchObject({ from: '2026-03-08', to: '2026-03-14', focus_seconds: 300 });
      // the month does not depend on it
      expect(await summary(user, '?period=month&date=2026-03-04')).toMatchObject({ from: '2026-03-01', to: '2026-03-31', focus_seconds: 1800 });
    });

    it('crosses a month: the days of both months count', async () => {
      const user = await registerUser(t.app);
      await endedSession(user, '2026-03-31T10:00:00Z');
      await endedSession(user, '2026-04-02T10:00:00Z', { seconds: 600 });
      await endedSession(user, '2026-04-02T11:00:00Z', { seconds: 600, status: 'abandoned' });
      const week = await summary(user, '?date=2026-04-01');
      expect(week).toMatchObject({ from: '2026-03-30', to: '2026-04-05', focus_seconds: 2100, sessions_completed: 2, sessions_abandoned: 1, days_active: 2 });
      expect(week.by_day).toEqual(await progress(user, '2026-03-30', '2026-04-05'));
      expect(await summary(user, '?period=month&date=2026-03-15')).toMatchObject({ focus_seconds: 1500, sessions_abandoned: 0 });
      expect(await summary(user, '?period=month&date=2026-04-15')).toMatchObject({ focus_seconds: 600, sessions_abandoned: 1, previous: { focus_seconds: 1500 } });
    });

    it('across the change to summer time counts each end on its local day (Europe/Berlin, 29 March 2026)', async () => {
      const user = await registerUser(t.app, { timezone: 'Europe/Berlin' });
      await endedSession(user, '2026-03-22T22:30:00Z', { seconds: 300 }); // Sunday 22nd, 23:30 CET: the week before
      await endedSession(user, '2026-03-22T23:30:00Z', { seconds: 600 }); // Monday 23rd, 00:30 CET: this week
      await endedSession(user, '2026-03-22T23:40:00Z', { seconds: 300, status: 'abandoned' }); // 00:40 CET: this week
      await endedSession(user, '2026-03-29T00:59:00Z', { seconds: 900 }); // Sunday 01:59 CET, a minute before the change
      await endedSession(user, '2026-03-29T21:30:00Z', { seconds: 1200 }); // Sunday 23:30 CEST: this week still
      await endedSession(user, '2026-03-29T22:30:00Z', { seconds: 1500 }); // Monday 30th, 00:30 CEST: the next week
      await endedSession(user, '2026-03-29T22:40:00Z', { seconds: 300, status: 'abandoned' }); // next week

      const week = await summary(user, '?date=2026-03-25');
      expect(week).toMatchObject({
        from: '2026-03-23',
        to: '2026-03-29',
        focus_seconds: 2700,
        sessions_completed: 3,
        sessions_abandoned: 1,
        days_active: 2,
        best_day: { date: '2026-03-29', focus_seconds: 2100 },
        by_tag: [{ tag: null, focus_seconds: 2700, sessions_completed: 3 }],
        previous: { from: '2026-03-16', to: '2026-03-22', focus_seconds: 300, sessions_completed: 1 },
      });
      expect(week.by_day).toEqual(await progress(user, '2026-03-23', '2026-03-29'));
      expect(week.by_day).toHaveLength(7);
      expect(await summary(user, '?date=2026-03-30')).toMatchObject({
        from: '2026-03-30',
        focus_seconds: 1500,
        sessions_abandoned: 1,
        previous: { from: '2026-03-23', to: '2026-03-29', focus_seconds: 2700, sessions_completed: 3 },
      });
    });
  });

  describe('the month', () => {
    it('has 28, 29, 30 or 31 days, zero-filled', async () => {
      const user = await registerUser(t.app);
      for (const [date, length, previous] of [
        ['2026-02-10', 28, ['2026-01-01', '2026-01-31']],
        ['2028-02-29', 29, ['2028-01-01', '2028-01-31']],
        ['2026-04-15', 30, ['2026-03-01', '2026-03-31']],
        ['2026-03-01', 31, ['2026-02-01', '2026-02-28']],
        ['2026-01-31', 31, ['2025-12-01', '2025-12-31']],
      ] as const) {
        const month = await summary(user, `?period=month&date=${date}`);
        const from = `${date.slice(0, 7)}-01`;
        const to = `${date.slice(0, 7)}-${length}`;
        expect(month).toMatchObject({ period: 'month', from, to, ...EMPTY_TOTALS, previous: { from: previous[0], to: previous[1], focus_seconds: 0, sessions_completed: 0 } });
        expect(month.by_day).toHaveLength(length);
        expect(month.by_day).toEqual(await progress(user, from, to));
      }
    });

    it('counts the first and last day of the month and not the days around it, and gives the month before', async () => {
      const user = await registerUser(t.app);
      await endedSession(user, '2028-01-31T23:00:00Z', { seconds: 600 });
      await endedSession(user, '2028-02-01T00:30:00Z');
      await endedSession(user, '2028-02-29T23:30:00Z', { seconds: 3000 });
      await endedSession(user, '2028-03-01T00:30:00Z', { seconds: 900 });
      await endedSession(user, '2028-03-01T01:30:00Z', { seconds: 900, status: 'abandoned' });
      const february = await summary(user, '?period=month&date=2028-02-14');
      expect(february).toMatchObject({
        from: '2028-02-01',
        to: '2028-02-29',
        focus_seconds: 4500,
        sessions_completed: 2,
        sessions_abandoned: 0,
        days_active: 2,
        best_day: { date: '2028-02-29', focus_seconds: 3000 },
        previous: { from: '2028-01-01', to: '2028-01-31', focus_seconds: 600, sessions_completed: 1 },
      });
      expect(await summary(user, '?period=month&date=2028-03-31')).toMatchObject({
        focus_seconds: 900,
        sessions_abandoned: 1,
        previous: { from: '2028-02-01', to: '2028-02-29', focus_seconds: 4500, sessions_completed: 2 },
      });
    });
  });

  describe('the figures', () => {
    it('count the days whose goal was met, each day with the goal stored with it or the current goal', async () => {
      const user = await registerUser(t.app);
      await settings(user, { daily_goal_seconds: 1800 });
      await endedSession(user, '2026-03-02T10:00:00Z'); // 1500 of 1800: missed
      await endedSession(user, '2026-03-03T10:00:00Z', { seconds: 1800 }); // met
      await settings(user, { daily_goal_seconds: 3600 });
      await endedSession(user, '2026-03-04T10:00:00Z', { seconds: 3600 }); // met
      await endedSession(user, '2026-03-05T10:00:00Z'); // missed
      await settings(user, { daily_goal_seconds: 600 }); // the past days keep theirs

      const week = await summary(user, '?date=2026-03-04');
      expect(week).toMatchObject({ focus_seconds: 8400, sessions_completed: 4, days_active: 4, goal_days_met: 2 });
      expect(week.by_day).toEqual(await progress(user, '2026-03-02', '2026-03-08'));
      expect(week.by_day.map((d: { goal_seconds: number; goal_met: boolean }) => [d.goal_seconds, d.goal_met])).toEqual([
        [1800, false],
        [1800, true],
        [3600, true],
        [3600, false],
        [600, false],
        [600, false],
        [600, false],
      ]);
    });

    it('give the earliest of the days with the most focus as the best day', async () => {
      const user = await registerUser(t.app);
      await endedSession(user, '2026-03-03T10:00:00Z', { seconds: 600 });
      await endedSession(user, '2026-03-04T10:00:00Z', { seconds: 3000 });
      await endedSession(user, '2026-03-05T10:00:00Z');
      await endedSession(user, '2026-03-05T11:00:00Z');
      await endedSession(user, '2026-03-06T10:00:00Z', { seconds: 3000 });
      expect((await summary(user, '?date=2026-03-04')).best_day).toEqual({ date: '2026-03-04', focus_seconds: 3000 });
    });

    it('count abandoned sessions on the day they ended, and only those', async () => {
      const user = await registerUser(t.app);
      await endedSession(user, '2026-03-01T23:59:00Z', { status: 'abandoned' });
      await endedSession(user, '2026-03-02T10:00:00Z', { status: 'abandoned' });
      await endedSession(user, '2026-03-05T10:00:00Z', { status: 'abandoned' });
      await endedSession(user, '2026-03-08T23:59:00Z', { status: 'abandoned' });
      await endedSession(user, '2026-03-09T00:30:00Z', { status: 'abandoned' });
      // a running and a paused session have no end day
      const running = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-03-09T10:00:00Z' });
      expect(running.statusCode, running.body).toBe(201);
      expect(await summary(user, '?date=2026-03-05')).toMatchObject({ ...EMPTY_TOTALS, sessions_abandoned: 3, previous: { focus_seconds: 0, sessions_completed: 0 } });
      expect(await summary(user, '?date=2026-03-09')).toMatchObject({ sessions_abandoned: 1 });
    });

    it('keep a session on the day stored at its end after the user changes time zone', async () => {
      const user = await registerUser(t.app);
      await endedSession(user, '2026-03-08T20:00:00Z', { seconds: 600 }); // Sunday in UTC; Monday in Tokyo
      await endedSession(user, '2026-03-08T21:00:00Z', { seconds: 600, status: 'abandoned' });
      await patch(user, '/api/v1/users/me', { timezone: 'Asia/Tokyo' });
      expect(await summary(user, '?date=2026-03-08')).toMatchObject({ focus_seconds: 600, sessions_abandoned: 1, by_tag: [{ tag: null, focus_seconds: 600, sessions_completed: 1 }] });
      expect(await summary(user, '?date=2026-03-09')).toMatchObject({ ...EMPTY_TOTALS, previous: { focus_seconds: 600, sessions_completed: 1 } });
    });
  });

  describe('by_tag', () => {
    it('groups completed sessions by their current tag: archived under itself, untagged and deleted together as null', async () => {
      const user = await registerUser(t.app);
      const writing = await createTag(user, 'Writing', '#10B981');
      const reading = await createTag(user, 'reading', '#F59E0B');
      const gone = await createTag(user, 'Gone', '#EF4444');
      const idle = await createTag(user, 'Idle');
      await endedSession(user, '2026-03-02T10:00:00Z', { tagId: writing.id });
      await endedSession(user, '2026-03-03T10:00:00Z', { tagId: writing.id, seconds: 1800 });
      await endedSession(user, '2026-03-03T12:00:00Z', { tagId: writing.id, status: 'abandoned' });
      await endedSession(user, '2026-03-04T10:00:00Z', { tagId: reading.id, seconds: 3300 });
      await endedSession(user, '2026-03-05T10:00:00Z', { tagId: gone.id, seconds: 600 });
      await endedSession(user, '2026-03-05T11:00:00Z', { seconds: 900 });
      await endedSession(user, '2026-03-06T10:00:00Z', { tagId: idle.id, status: 'abandoned' });
      await endedSession(user, '2026-03-09T10:00:00Z', { tagId: idle.id }); // next week
      await patch(user, `/api/v1/tags/${reading.id}`, { archived: true, color: '#0EA5E9' });
      const deleted = await user.request({ method: 'DELETE', url: `/api/v1/tags/${gone.id}` });
      expect(deleted.statusCode, deleted.body).toBe(200);

      const week = await summary(user, '?date=2026-03-04');
      expect(week.by_tag).toEqual([
        // same focus: the one with more sessions first
        { tag: { id: writing.id, name: 'Writing', color: '#10B981' }, focus_seconds: 3300, sessions_completed: 2 },
        { tag: { id: reading.id, name: 'reading', color: '#0EA5E9' }, focus_seconds: 3300, sessions_completed: 1 },
        { tag: null, focus_seconds: 1500, sessions_completed: 2 },
      ]);
      expect(week).toMatchObject({ focus_seconds: 8100, sessions_completed: 5, sessions_abandoned: 2 });
    });

    it('orders equal lines by name regardless of case, the untagged line after them but before smaller ones', async () => {
      const user = await registerUser(t.app);
      const beta = await createTag(user, 'beta');
      const alpha = await createTag(user, 'Alpha');
      const big = await createTag(user, 'zz big');
      const small = await createTag(user, 'aa small');
      await endedSession(user, '2026-03-02T10:00:00Z', { tagId: beta.id });
      await endedSession(user, '2026-03-02T11:00:00Z', { tagId: alpha.id });
      await endedSession(user, '2026-03-02T12:00:00Z');
      await endedSession(user, '2026-03-02T13:00:00Z', { tagId: big.id, seconds: 3000 });
      await endedSession(user, '2026-03-02T14:00:00Z', { tagId: small.id, seconds: 60 });
      const names = (await summary(user, '?date=2026-03-02')).by_tag.map((line: { tag: { name: string } | null }) => line.tag?.name ?? null);
      expect(names).toEqual(['zz big', 'Alpha', 'beta', null, 'aa small']);
    });
  });

  describe('defaults and errors', () => {
    it("defaults to this week, today being the test clock's day in the user's zone", async () => {
      const user = await registerUser(t.app, { timezone: 'Pacific/Auckland' });
      // 2026-03-08T12:00Z is Monday 9 March 01:00 in Auckland
      const week = await summary(user, '', '2026-03-08T12:00:00Z');
      expect(week).toMatchObject({ period: 'week', from: '2026-03-09', to: '2026-03-15', ...EMPTY_TOTALS, previous: { from: '2026-03-02', to: '2026-03-08' } });
      expect(await summary(user, '?period=month', '2026-03-31T12:00:00Z')).toMatchObject({ period: 'month', from: '2026-04-01', to: '2026-04-30' });
      expect(await summary(user, '?date=2026-03-04', '2026-03-08T12:00:00Z')).toMatchObject({ from: '2026-03-02' });
    });

    it('answers 400 validation_error for a bad period or date, or an unknown parameter', async () => {
      const user = await registerUser(t.app);
      for (const [query, field] of [
        ['?period=year', 'period'],
        ['?period=', 'period'],
        ['?period=Week', 'period'],
        ['?date=2026-02-30', 'date'],
        ['?date=2026-13-01', 'date'],
        ['?date=2026/03/01', 'date'],
        ['?date=20260301', 'date'],
        ['?date=', 'date'],
        ['?date=9999-12-31', 'date'],
        ['?period=month&date=0000-01-15', 'date'],
        ['?from=2026-03-01', 'from'],
      ] as const) {
        const res = await getSummary(user, query);
        expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
        const body = res.json();
        expect(body).toMatchObject({ success: false, error: { code: 'validation_error' } });
        expect(body.error.details.map((d: { field: string }) => d.field), query).toContain(field);
      }
    });

    it('is documented in OpenAPI from its schemas: the query, the summary and the error answers', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const operation = doc.paths['/api/v1/summary'].get;
      expect(operation.parameters.map((p: { name: string; in: string }) => `${p.in} ${p.name}`).sort()).toEqual(['query date', 'query period']);
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
      const data = operation.responses['200'].content['application/json'].schema.properties.data;
      expect(Object.keys(data.properties)).toEqual([
        'period',
        'from',
        'to',
        'focus_seconds',
        'sessions_completed',
        'sessions_abandoned',
        'days_active',
        'goal_days_met',
        'best_day',
        'by_day',
        'by_tag',
        'previous',
      ]);
    });

    it('answers 401 without a token', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/summary' });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    });

    it("never counts another user's sessions, days or tags", async () => {
      const other = await registerUser(t.app);
      const tag = await createTag(other, 'Writing');
      await endedSession(other, '2026-02-25T10:00:00Z', { tagId: tag.id });
      await endedSession(other, '2026-03-03T10:00:00Z', { tagId: tag.id });
      await endedSession(other, '2026-03-04T10:00:00Z', { status: 'abandoned' });
      await endedSession(other, '2026-03-05T10:00:00Z', { seconds: 600 });
      const user = await registerUser(t.app);
      await createTag(user, 'Writing');
      const week = await summary(user, '?date=2026-03-04');
      expect(week).toMatchObject({ ...EMPTY_TOTALS, previous: { focus_seconds: 0, sessions_completed: 0 } });
      expect(week.by_day).toEqual(await progress(user, '2026-03-02', '2026-03-08'));
      expect(await summary(other, '?date=2026-03-04')).toMatchObject({ focus_seconds: 2100, sessions_abandoned: 1, previous: { focus_seconds: 1500 } });
    });
  });
});
