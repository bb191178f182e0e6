// Contract 12 over HTTP: the user's settings, partial PATCH and its bounds, and the daily goal on
// every day entry, a day keeping the goal in force at its last completion.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../src/time/calendar.js';
import { type TestUser, at, completeSession, registerUser, suiteApp } from './app.js';
import { migratorOf, testDatabases, userWithOneDay } from './databases.js';

const DEFAULTS = { daily_goal_seconds: 0, default_duration_seconds: 1500, week_starts_on: 'monday' };

const day = (date: string, focus: number, sessions: number, goal: number) => ({
  date,
  focus_seconds: focus,
  sessions_completed: sessions,
  goal_seconds: goal,
  goal_met: goal > 0 && focus >= goal,
  frozen: false,
});

const patchMe = (user: TestUser, payload: object) => user.request({ method: 'PATCH', url: '/api/v1/users/me', payload });
const setGoal = async (user: TestUser, seconds: number) => {
  const res = await patchMe(user, { settings: { daily_goal_seconds: seconds } });
  expect(res.statusCode, res.body).toBe(200);
};
const progress = async (user: TestUser, from: string, to: string) => {
  const res = await user.request({ method: 'GET', url: `/api/v1/progress?from=${from}&to=${to}`, now: `${to}T23:00:00Z` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
};

describe.each(testDatabases)('settings and goals on $name', (database) => {
  const t = suiteApp(database);

  describe('settings on the user', () => {
    it('gives a new user the defaults, on register, login and GET /users/me', async () => {
      const user = await registerUser(t.app);
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } });
      expect(login.json().data.user.settings).toEqual(DEFAULTS);
      const me = await user.request({ method: 'GET', url: '/api/v1/users/me' });
      expect(me.json().data.settings).toEqual(DEFAULTS);
    });

    it('changes only the settings a PATCH names, and keeps them', async () => {
      const user = await registerUser(t.app);
      const goal = await patchMe(user, { settings: { daily_goal_seconds: 3600 } });
      expect(goal.statusCode, goal.body).toBe(200);
      expect(goal.json().data.settings).toEqual({ ...DEFAULTS, daily_goal_seconds: 3600 });
      const week = await patchMe(user, { settings: { week_starts_on: 'sunday', default_duration_seconds: 3000 } });
      expect(week.json().data.settings).toEqual({ daily_goal_seconds: 3600, default_duration_seconds: 3000, week_starts_on: 'sunday' });
      const me = await user.request({ method: 'GET', url: '/api/v1/users/me' });
      expect(me.json().data.settings).toEqual({ daily_goal_seconds: 3600, default_duration_seconds: 3000, week_starts_on: 'sunday' });
    });

    it('takes settings beside the other fields, and an empty settings object changes nothing', async () => {
      const user = await registerUser(t.app, { timezone: 'Europe/Paris' });
      const both = await patchMe(user, { display_name: 'Noor', settings: { daily_goal_seconds: 1800 } });
      expect(both.json().data).toMatchObject({ display_name: 'Noor', timezone: 'Europe/Paris', settings: { ...DEFAULTS, daily_goal_seconds: 1800 } });
      const emptyBeside = await patchMe(user, { display_name: 'Nour', settings: {} });
      expect(emptyBeside.statusCode, emptyBeside.body).toBe(200);
      expect(emptyBeside.json().data).toMatchObject({ display_name: 'Nour', settings: { ...DEFAULTS, daily_goal_seconds: 1800 } });
      const emptyAlone = await patchMe(user, { settings: {} });
      expect(emptyAlone.statusCode, emptyAlone.body).toBe(200);
      expect(emptyAlone.json().data.settings).toEqual({ ...DEFAULTS, daily_goal_seconds: 1800 });
    });

    it('accepts each bound', async () => {
      const user = await registerUser(t.app);
      for (const settings of [
        { daily_goal_seconds: 0, default_duration_seconds: 60 },
        { daily_goal_seconds: 86400, default_duration_seconds: 86400 },
      ]) {
        const res = await patchMe(user, { settings });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().data.settings).toMatchObject(settings);
      }
    });

    it.each([
      ['a goal below 0', { daily_goal_seconds: -1 }, 'settings.daily_goal_seconds'],
      ['a goal above a day', { daily_goal_seconds: 86401 }, 'settings.daily_goal_seconds'],
      ['a goal that is not an integer', { daily_goal_seconds: 1800.5 }, 'settings.daily_goal_seconds'],
      ['a goal written as text', { daily_goal_seconds: '3600' }, 'settings.daily_goal_seconds'],
      ['a default duration under a minute', { default_duration_seconds: 59 }, 'settings.default_duration_seconds'],
      ['a default duration above a day', { default_duration_seconds: 86401 }, 'settings.default_duration_seconds'],
      ['a week starting on Saturday', { week_starts_on: 'saturday' }, 'settings.week_starts_on'],
      ['a week start in capitals', { week_starts_on: 'Monday' }, 'settings.week_starts_on'],
      ['an unknown setting', { theme: 'dark' }, 'settings.theme'],
    ])('answers 400 validation_error for %s and changes nothing', async (_label, settings, field) => {
      const user = await registerUser(t.app);
      await setGoal(user, 1200);
      const res = await patchMe(user, { display_name: 'Changed', settings: { default_duration_seconds: 600, ...settings } });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_error', details: [expect.objectContaining({ field })] });
      const me = (await user.request({ method: 'GET', url: '/api/v1/users/me' })).json().data;
      expect(me).toMatchObject({ display_name: null, settings: { ...DEFAULTS, daily_goal_seconds: 1200 } });
    });

    it('answers 400 for settings that are not an object', async () => {
      const user = await registerUser(t.app);
      for (const settings of [null, 3600, []]) {
        const res = await patchMe(user, { settings });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.details[0].field).toBe('settings');
      }
    });

    it('still needs duration_seconds to start a session, whatever the default', async () => {
      const user = await registerUser(t.app);
      await patchMe(user, { settings: { default_duration_seconds: 600 } });
      const res = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: {} });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'duration_seconds' })]);
    });
  });

  describe('the daily goal on every day entry', () => {
    it('shows the goal in the rewards, met once the focus reaches it', async () => {
      const user = await registerUser(t.app);
      await setGoal(user, 3600);
      const first = await completeSession(user, '2026-02-18T08:00:00Z', 1500);
      expect(first.json().data.rewards.daily_progress).toEqual(day('2026-02-18', 1500, 1, 3600));
      const second = await completeSession(user, '2026-02-18T09:00:00Z', 2100);
      expect(second.json().data.rewards.daily_progress).toEqual(day('2026-02-18', 3600, 2, 3600));
      expect(second.json().data.rewards.daily_progress.goal_met).toBe(true);
    });

    it('shows the same day on /progress, /home and /stats', async () => {
      const user = await registerUser(t.app, { timezone: 'Asia/Tokyo' });
      await setGoal(user, 1800);
      // 23:00Z on 17 Feb is 08:00 on 18 Feb in Tokyo
      await completeSession(user, '2026-02-17T23:00:00Z', 1800);
      const now = '2026-02-18T03:00:00Z';
      const today = day('2026-02-18', 1800, 1, 1800);
      expect(today.goal_met).toBe(true);
      const list = await user.request({ method: 'GET', url: '/api/v1/progress?from=2026-02-17&to=2026-02-18', now });
      expect(list.json().data).toEqual([day('2026-02-17', 0, 0, 1800), today]);
      const home = await user.request({ method: 'GET', url: '/api/v1/home', now });
      expect(home.json().data.today).toEqual(today);
      const stats = await user.request({ method: 'GET', url: '/api/v1/stats', now });
      expect(stats.json().data.today).toEqual(today);
    });

    it('never counts a goal of 0 as met', async () => {
      const user = await registerUser(t.app);
      const end = await completeSession(user, '2026-02-18T08:00:00Z', 3600);
      expect(end.json().data.rewards.daily_progress).toEqual(day('2026-02-18', 3600, 1, 0));
      expect(end.json().data.rewards.daily_progress.goal_met).toBe(false);
    });

    it('keeps a past day at its goal after the goal changes; a day without completions shows the current goal', async () => {
      const user = await registerUser(t.app);
      await setGoal(user, 3600);
      await completeSession(user, '2026-02-16T08:00:00Z', 3600);
      await setGoal(user, 7200);
      expect(await progress(user, '2026-02-16', '2026-02-17')).toEqual([day('2026-02-16', 3600, 1, 3600), day('2026-02-17', 0, 0, 7200)]);
      const home = await user.request({ method: 'GET', url: '/api/v1/home', now: '2026-02-17T12:00:00Z' });
      expect(home.json().data.today).toEqual(day('2026-02-17', 0, 0, 7200));
      const stats = await user.request({ method: 'GET', url: '/api/v1/stats', now: '2026-02-17T12:00:00Z' });
      expect(stats.json().data.today).toEqual(day('2026-02-17', 0, 0, 7200));
    });

    it("gives a day the goal in force at its last completion, which may be met or missed by it", async () => {
      const user = await registerUser(t.app);
      await setGoal(user, 7200);
      await completeSession(user, '2026-02-18T08:00:00Z', 2400);
      await setGoal(user, 3600);
      const end = await completeSession(user, '2026-02-18T09:00:00Z', 1200);
      expect(end.json().data.rewards.daily_progress).toEqual(day('2026-02-18', 3600, 2, 3600));
      await setGoal(user, 0);
      expect(await progress(user, '2026-02-18', '2026-02-19')).toEqual([day('2026-02-18', 3600, 2, 3600), day('2026-02-19', 0, 0, 0)]);
    });

    it('leaves the day alone when a session is abandoned', async () => {
      const user = await registerUser(t.app);
      await setGoal(user, 600);
      await completeSession(user, '2026-02-18T08:00:00Z', 600);
      await setGoal(user, 1200);
      const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-02-18T10:00:00Z' });
      const end = await user.request({
        method: 'PATCH',
        url: `/api/v1/sessions/${start.json().data.id}/end`,
        payload: { elapsed_seconds: 300, status: 'abandoned' },
        now: '2026-02-18T10:05:00Z',
      });
      expect(end.statusCode, end.body).toBe(200);
      expect(await progress(user, '2026-02-18', '2026-02-18')).toEqual([day('2026-02-18', 600, 1, 600)]);
    });
  });

  describe('goals over random histories', () => {
    const GOALS = [0, 600, 1500, 3600, 5400];
    const event = fc.oneof(
      fc.record({ kind: fc.constant('goal' as const), goal: fc.constantFrom(...GOALS) }),
      fc.record({ kind: fc.constant('complete' as const), day: fc.integer({ min: 0, max: 3 }), seconds: fc.constantFrom(300, 900, 1500, 3600) }),
    );
    const FIRST_DAY = '2026-03-01';

    it("gives each day the goal in force at its last completion (in processing order), or the current goal when it has none", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), async (events) => {
          const user = await registerUser(t.app);
          let goal = 0;
          const stored = new Map<string, { focus: number; sessions: number; goal: number }>();
          for (const [index, e] of events.entries()) {
            if (e.kind === 'goal') {
              await setGoal(user, e.goal);
              goal = e.goal;
              continue;
            }
            // days are visited in any order; each session gets its own hour-long slot in its day
            const date = addDays(FIRST_DAY, e.day);
            const end = await completeSession(user, at(`${date}T00:00:00Z`, index * 3700), e.seconds);
            const before = stored.get(date) ?? { focus: 0, sessions: 0, goal };
            const after = { focus: before.focus + e.seconds, sessions: before.sessions + 1, goal };
            stored.set(date, after);
            expect(end.json().data.rewards.daily_progress).toEqual(day(date, after.focus, after.sessions, goal));
          }
          const expected = [0, 1, 2, 3, 4].map((offset) => {
            const date = addDays(FIRST_DAY, offset);
            const row = stored.get(date);
            return row ? day(date, row.focus, row.sessions, row.goal) : day(date, 0, 0, goal);
          });
          expect(await progress(user, FIRST_DAY, addDays(FIRST_DAY, 4))).toEqual(expected);
        }),
        { numRuns: 20 },
      );
      // some 200 requests: well under a minute, with room for a loaded machine
    }, 90_000);
  });
});

describe.each(testDatabases)('migration 0008_settings_goals on $name', (database) => {
  it('gives existing users the default settings and existing days no goal, and goes down and up again', async () => {
    const created = await database.create();
    try {
      const { db } = created.handle;
      const migrator = migratorOf(created);
      expect((await migrator.migrateTo('0007_tags')).error).toBeUndefined();
      // the columns as 0007 left them: no settings, no goal
      const user = await userWithOneDay(db, { focus_seconds: 3600, sessions_completed: 2 });

      expect((await migrator.migrateTo('0008_settings_goals')).error).toBeUndefined();
      const settings = await db
        .selectFrom('users')
        .select(['daily_goal_seconds', 'default_duration_seconds', 'week_starts_on'])
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(settings).toEqual({ daily_goal_seconds: 0, default_duration_seconds: 1500, week_starts_on: 'monday' });
      const days = await db.selectFrom('daily_progress').selectAll().where('user_id', '=', user.id).execute();
      expect(days).toEqual([{ user_id: user.id, day: '2026-02-18', focus_seconds: 3600, sessions_completed: 2, goal_seconds: 0 }]);
      // the database refuses what the schema refuses
      await expect(db.updateTable('users').set({ daily_goal_seconds: 86401 }).where('id', '=', user.id).execute()).rejects.toThrow();
      await expect(db.updateTable('users').set({ week_starts_on: 'friday' as 'monday' }).where('id', '=', user.id).execute()).rejects.toThrow();

      expect((await migrator.migrateTo('0007_tags')).error).toBeUndefined();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await db.selectFrom('daily_progress').select(['focus_seconds', 'goal_seconds']).where('user_id', '=', user.id).execute()).toEqual([
        { focus_seconds: 3600, goal_seconds: 0 },
      ]);
    } finally {
      await created.drop();
    }
  });
});
