// Reads of the completion side effects (contract 6): GET /progress, /stats, /streaks and /home.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, completeSession, createTestApp, registerUser } from './app.js';
import { testDatabases } from './databases.js';

const zero = (date: string) => ({ date, focus_seconds: 0, sessions_completed: 0, goal_seconds: 0, goal_met: false, frozen: false });

describe.each(testDatabases)('progress reads on $name', (database) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('GET /progress', () => {
    it('gives a new user the 7 days ending today in their zone, zero-filled', async () => {
      // 20:00Z on 18 Feb is already 19 Feb in Tokyo
      const user = await registerUser(t.app, { timezone: 'Asia/Tokyo' });
      const res = await user.request({ method: 'GET', url: '/api/v1/progress', now: '2026-02-18T20:00:00Z' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        success: true,
        message: 'daily progress',
        data: ['2026-02-13', '2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19'].map(zero),
      });
    });

    it('sums each local day and leaves the other days at zero', async () => {
      const user = await registerUser(t.app);
      await completeSession(user, '2026-02-16T08:00:00Z', 1500);
      await completeSession(user, '2026-02-18T08:00:00Z', 1500);
      await completeSession(user, '2026-02-18T09:00:00Z', 2700);
      const res = await user.request({ method: 'GET', url: '/api/v1/progress?from=2026-02-15&to=2026-02-18', now: '2026-02-18T12:00:00Z' });
      expect(res.json().data).toEqual([
        zero('2026-02-15'),
        { date: '2026-02-16', focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false },
        zero('2026-02-17'),
        { date: '2026-02-18', focus_seconds: 4200, sessions_completed: 2, goal_seconds: 0, goal_met: false, frozen: false },
      ]);
    });

    it('answers 366 days for a full leap year', async () => {
      const user = await registerUser(t.app);
      const res = await user.request({ method: 'GET', url: '/api/v1/progress?from=2028-01-01&to=2028-12-31' });
      expect(res.statusCode).toBe(200);
      expect(res.json().data).toHaveLength(366);
      expect(res.json().data[59]).toEqual(zero('2028-02-29'));
    });

    it.each([
      ['from=2026-02-30', 'from'],
      ['to=2026-2-18', 'to'],
      ['from=yesterday', 'from'],
      ['from=2026-02-19&to=2026-02-18', 'from'],
      ['from=2026-01-01&to=2027-01-02', 'to'],
      ['days=7', 'days'],
    ])('answers 400 validation_error for ?%s', async (query, field) => {
      const user = await registerUser(t.app);
      const res = await user.request({ method: 'GET', url: `/api/v1/progress?${query}`, now: '2026-02-18T12:00:00Z' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ success: false, error: { code: 'validation_error' } });
      expect(res.json().error.details[0].field).toBe(field);
    });

    it('answers 401 without a token', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/progress' });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    });
  });

  describe('GET /stats', () => {
    it('gives a new user zeros and today', async () => {
      const user = await registerUser(t.app, { timezone: 'America/Los_Angeles' });
      const res = await user.request({ method: 'GET', url: '/api/v1/stats', now: '2026-02-19T06:30:00Z' });
      expect(res.json()).toEqual({
        success: true,
        message: 'focus stats',
        data: { total_sessions_completed: 0, total_sessions_abandoned: 0, total_focus_seconds: 0, today: zero('2026-02-18') },
      });
    });

    it('counts completed and abandoned sessions and today', async () => {
      const user = await registerUser(t.app);
      await completeSession(user, '2026-02-17T08:00:00Z', 600);
      await completeSession(user, '2026-02-18T08:00:00Z', 1500);
      const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-02-18T09:00:00Z' });
      await user.request({
        method: 'PATCH',
        url: `/api/v1/sessions/${start.json().data.id}/end`,
        payload: { elapsed_seconds: 100, status: 'abandoned' },
        now: '2026-02-18T09:05:00Z',
      });
      const res = await user.request({ method: 'GET', url: '/api/v1/stats', now: '2026-02-18T12:00:00Z' });
      expect(res.json().data).toEqual({
        total_sessions_completed: 2,
        total_sessions_abandoned: 1,
        total_focus_seconds: 2100,
        today: { date: '2026-02-18', focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false },
      });
    });
  });

  describe('GET /streaks', () => {
    it('gives a new user zeros and a null date, not an error', async () => {
      const user = await registerUser(t.app);
      const res = await user.request({ method: 'GET', url: '/api/v1/streaks' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ success: true, message: 'focus streak', data: { current_streak: 0, longest_streak: 0, last_active_date: null, freezes_available: 0 } });
    });

    it('keeps the streak through yesterday and reads 0 the day after, with the longest kept', async () => {
      const user = await registerUser(t.app, { timezone: 'America/Los_Angeles' });
      await completeSession(user, '2026-02-17T18:00:00Z'); // 17 Feb local
      await completeSession(user, '2026-02-18T18:00:00Z'); // 18 Feb local
      const read = async (now: string) => (await user.request({ method: 'GET', url: '/api/v1/streaks', now })).json().data;
      const kept = { current_streak: 2, longest_streak: 2, last_active_date: '2026-02-18', freezes_available: 0 };
      expect(await read('2026-02-19T07:59:59Z')).toEqual(kept); // 23:59 on 18 Feb local
      expect(await read('2026-02-20T07:59:59Z')).toEqual(kept); // 23:59 on 19 Feb local: yesterday counts
      expect(await read('2026-02-20T08:00:00Z')).toEqual({ ...kept, current_streak: 0 }); // 00:00 on 20 Feb local
    });
  });

  describe('GET /home', () => {
    it('gives a new user no session, an empty today, a zero streak and no badges', async () => {
      const user = await registerUser(t.app);
      const res = await user.request({ method: 'GET', url: '/api/v1/home', now: '2026-02-18T12:00:00Z' });
      expect(res.json()).toEqual({
        success: true,
        message: 'home screen',
        data: {
          active_session: null,
          today: zero('2026-02-18'),
          streak: { current_streak: 0, longest_streak: 0, last_active_date: null, freezes_available: 0 },
          recent_badges: [],
        },
      });
    });

    it('shows the running session, today, the streak and the 3 newest badges, newest first', async () => {
      const user = await registerUser(t.app);
      await completeSession(user, '2026-02-16T05:00:00Z', 600); // first_focus, early_bird
      await completeSession(user, '2026-02-17T08:00:00Z', 3600); // focus_1h, deep_work
      await completeSession(user, '2026-02-18T22:00:00Z', 600); // streak_3, night_owl
      const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-02-18T23:00:00Z' });
      const res = await user.request({ method: 'GET', url: '/api/v1/home', now: '2026-02-18T23:05:00Z' });
      const data = res.json().data;
      expect(data.active_session).toEqual(start.json().data);
      expect(data.today).toEqual({ date: '2026-02-18', focus_seconds: 600, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false });
      expect(data.streak).toEqual({ current_streak: 3, longest_streak: 3, last_active_date: '2026-02-18', freezes_available: 0 });
      expect(data.recent_badges.map((badge: { code: string; earned_at: string }) => [badge.code, badge.earned_at])).toEqual([
        ['night_owl', '2026-02-18T22:10:00Z'],
        ['streak_3', '2026-02-18T22:10:00Z'],
        ['deep_work', '2026-02-17T09:00:00Z'],
      ]);
    });
  });
});
