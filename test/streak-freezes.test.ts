// Streak freezes (contract 13) over HTTP: earned at each multiple of 7 up to 2, spent on the next
// completion for missed days they cover (those days stored as frozen days), kept on a larger gap,
// and the read that stays alive while the freezes held cover the days missed.
import { describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations/index.js';
import { addDays } from '../src/time/calendar.js';
import { type TestUser, completeSession, registerUser, suiteApp } from './app.js';
import { migratorOf, testDatabases, userWithOneDay } from './databases.js';

const FIRST = '2026-03-01';
const dayN = (n: number) => addDays(FIRST, n - 1);

/** Completes one 25-minute session at noon UTC on `day`; the end's streak rewards. */
async function completeOn(user: TestUser, day: string) {
  return (await completeSession(user, `${day}T12:00:00Z`)).json().data.rewards;
}

/** Completes a session on each day from day `from` to day `to` (1 = FIRST); the last rewards. */
async function completeDays(user: TestUser, from: number, to: number) {
  let rewards;
  for (let n = from; n <= to; n += 1) rewards = await completeOn(user, dayN(n));
  return rewards;
}

const streakRead = async (user: TestUser, day: string) => {
  const res = await user.request({ method: 'GET', url: '/api/v1/streaks', now: `${day}T18:00:00Z` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
};

const progress = async (user: TestUser, from: string, to: string) => {
  const res = await user.request({ method: 'GET', url: `/api/v1/progress?from=${from}&to=${to}`, now: `${to}T18:00:00Z` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
};

const streak = (current: number, longest: number, last: string, freezes: number) => ({
  current_streak: current,
  longest_streak: longest,
  last_active_date: last,
  freezes_available: freezes,
});
const reward = (current: number, longest: number, last: string, freezes: number, used = 0, earned = false) => ({
  ...streak(current, longest, last, freezes),
  freezes_used: used,
  freeze_earned: earned,
});

describe.each(testDatabases)('streak freezes on $name', (database) => {
  const t = suiteApp(database);
  const newUser = (timezone = 'UTC') => registerUser(t.app, { timezone });

  it('a new user holds no freeze', async () => {
    const user = await newUser();
    expect(await streakRead(user, FIRST)).toEqual({ current_streak: 0, longest_streak: 0, last_active_date: null, freezes_available: 0 });
    expect((await completeOn(user, FIRST)).streak).toEqual(reward(1, 1, FIRST, 0));
  });

  it('earns a freeze when the streak reaches 7, not before', async () => {
    const user = await newUser();
    expect((await completeDays(user, 1, 6)).streak).toEqual(reward(6, 6, dayN(6), 0));
    const seventh = await completeOn(user, dayN(7));
    expect(seventh.streak).toEqual(reward(7, 7, dayN(7), 1, 0, true));
    expect(seventh.badges_awarded.map((badge: { code: string }) => badge.code)).toContain('streak_7');
    // a second completion the same day does not raise the streak, so it earns nothing
    expect((await completeOn(user, dayN(7))).streak).toEqual(reward(7, 7, dayN(7), 1));
    expect(await streakRead(user, dayN(7))).toEqual(streak(7, 7, dayN(7), 1));
    const home = await user.request({ method: 'GET', url: '/api/v1/home', now: `${dayN(7)}T18:00:00Z` });
    expect(home.json().data.streak).toEqual(streak(7, 7, dayN(7), 1));
  });

  it('spends one freeze on one missed day: the streak stays alive, goes +1, and the day shows as frozen with the goal in force', async () => {
    const user = await newUser();
    await completeDays(user, 1, 7);
    const goal = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { settings: { daily_goal_seconds: 1800 } } });
    expect(goal.statusCode, goal.body).toBe(200);

    // day 8 missed: read on day 9, the held freeze covers it
    expect(await streakRead(user, dayN(9))).toEqual(streak(7, 7, dayN(7), 1));
    const ninth = await completeOn(user, dayN(9));
    expect(ninth.streak).toEqual(reward(8, 8, dayN(9), 0, 1));
    expect(ninth.daily_progress).toEqual({ date: dayN(9), focus_seconds: 1500, sessions_completed: 1, goal_seconds: 1800, goal_met: false, frozen: false });

    // the frozen day keeps the goal it was stored with when the goal changes later
    await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { settings: { daily_goal_seconds: 3600 } } });
    expect(await progress(user, dayN(7), dayN(10))).toEqual([
      { date: dayN(7), focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false },
      { date: dayN(8), focus_seconds: 0, sessions_completed: 0, goal_seconds: 1800, goal_met: false, frozen: true },
      { date: dayN(9), focus_seconds: 1500, sessions_completed: 1, goal_seconds: 1800, goal_met: false, frozen: false },
      { date: dayN(10), focus_seconds: 0, sessions_completed: 0, goal_seconds: 3600, goal_met: false, frozen: false },
    ]);
    const stats = await user.request({ method: 'GET', url: '/api/v1/stats', now: `${dayN(9)}T18:00:00Z` });
    expect(stats.json().data).toMatchObject({ total_sessions_completed: 8, total_focus_seconds: 8 * 1500 });
  });

  it('reads the streak alive on a day the freezes held cover and 0 on the first day they do not', async () => {
    const user = await newUser();
    await completeDays(user, 1, 7);
    expect(await streakRead(user, dayN(8))).toEqual(streak(7, 7, dayN(7), 1));
    expect(await streakRead(user, dayN(9))).toEqual(streak(7, 7, dayN(7), 1));
    expect(await streakRead(user, dayN(10))).toEqual(streak(0, 7, dayN(7), 1));
    const home = await user.request({ method: 'GET', url: '/api/v1/home', now: `${dayN(10)}T18:00:00Z` });
    expect(home.json().data.streak).toEqual(streak(0, 7, dayN(7), 1));
  });

  it('earns again at 14, then spends two freezes on two missed days', async () => {
    const user = await newUser();
    await completeDays(user, 1, 13);
    expect((await completeOn(user, dayN(14))).streak).toEqual(reward(14, 14, dayN(14), 2, 0, true));
    // two missed days, 15 and 16: covered on day 17
    expect(await streakRead(user, dayN(17))).toEqual(streak(14, 14, dayN(14), 2));
    expect(await streakRead(user, dayN(18))).toEqual(streak(0, 14, dayN(14), 2));
    expect((await completeOn(user, dayN(17))).streak).toEqual(reward(15, 15, dayN(17), 0, 2));
    const frozen = (await progress(user, dayN(14), dayN(17))).map((day: { date: string; frozen: boolean }) => [day.date, day.frozen]);
    expect(frozen).toEqual([
      [dayN(14), false],
      [dayN(15), true],
      [dayN(16), true],
      [dayN(17), false],
    ]);
  });

  it('spends none on a gap larger than the freezes held: the streak restarts at 1, the freezes are kept and no day is frozen', async () => {
    const user = await newUser();
    await completeDays(user, 1, 7);
    // days 8 and 9 missed with one freeze held
    expect((await completeOn(user, dayN(10))).streak).toEqual(reward(1, 7, dayN(10), 1));
    expect((await progress(user, dayN(7), dayN(10))).map((day: { frozen: boolean }) => day.frozen)).toEqual([false, false, false, false]);
    // the kept freeze is there for the next missed day
    expect((await completeOn(user, dayN(12))).streak).toEqual(reward(2, 7, dayN(12), 0, 1));
  });

  it('holds at most 2: reaching 21 with 2 held earns nothing, and one spent is earned back at 28', async () => {
    const user = await newUser();
    await completeDays(user, 1, 20);
    expect((await completeOn(user, dayN(21))).streak).toEqual(reward(21, 21, dayN(21), 2));
    // day 22 missed: one spent, the streak goes on to 28 where one is earned back
    expect((await completeOn(user, dayN(23))).streak).toEqual(reward(22, 22, dayN(23), 1, 1));
    expect((await completeDays(user, 24, 29)).streak).toEqual(reward(28, 28, dayN(29), 2, 0, true));
  });

  it('a late end on a frozen day (the user moved west) reads frozen: false and changes no streak field nor freeze', async () => {
    // Kiritimati is UTC+14, Etc/GMT+12 is UTC-12: moving west puts "today" back two days
    const user = await newUser('Pacific/Kiritimati');
    for (let n = 1; n <= 7; n += 1) await completeSession(user, `${addDays(dayN(n), -1)}T22:00:00Z`); // noon local on day n
    // day 8 missed; day 9 at 00:30 local (10:30Z on day 8) spends the freeze on it
    const ninth = await completeSession(user, `${dayN(8)}T10:05:00Z`);
    expect(ninth.json().data.rewards.streak).toEqual(reward(8, 8, dayN(9), 0, 1));

    const moved = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { timezone: 'Etc/GMT+12' } });
    expect(moved.statusCode, moved.body).toBe(200);
    // 20:30Z on day 8 is 08:30 on day 8 in Etc/GMT+12: a completion on the frozen day
    const late = (await completeSession(user, `${dayN(8)}T20:05:00Z`)).json().data.rewards;
    expect(late.daily_progress).toEqual({ date: dayN(8), focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false });
    expect(late.streak).toEqual(reward(8, 8, dayN(9), 0));

    const read = await user.request({ method: 'GET', url: '/api/v1/streaks', now: `${dayN(8)}T21:00:00Z` });
    expect(read.json().data).toEqual(streak(8, 8, dayN(9), 0));
    const days = await user.request({ method: 'GET', url: `/api/v1/progress?from=${dayN(8)}&to=${dayN(9)}`, now: `${dayN(8)}T21:00:00Z` });
    expect(days.json().data.map((day: { date: string; frozen: boolean; sessions_completed: number }) => [day.date, day.frozen, day.sessions_completed])).toEqual([
      [dayN(8), false, 1],
      [dayN(9), false, 1],
    ]);
    // the freeze stays spent on that day
    const row = await t.handle.db.selectFrom('daily_progress').select('frozen').where('user_id', '=', user.id).where('day', '=', dayN(8)).executeTakeFirstOrThrow();
    expect(row.frozen).toBe(1);
  });

  it('the streak_days badge compares with the longest streak, which frozen days do not lengthen', async () => {
    const user = await newUser();
    await completeDays(user, 1, 7);
    // day 8 frozen; streak_30 needs 30 days with completions, so 29 of them over 30 calendar days do not earn it
    await completeDays(user, 9, 30);
    const badges = (await user.request({ method: 'GET', url: '/api/v1/badges' })).json().data;
    const month = badges.find((badge: { code: string }) => badge.code === 'streak_30');
    expect(month).toMatchObject({ earned_at: null, progress: { current: 29, target: 30 } });
    const thirtieth = await completeOn(user, dayN(31));
    expect(thirtieth.streak).toEqual(reward(30, 30, dayN(31), 2));
    expect(thirtieth.badges_awarded.map((badge: { code: string }) => badge.code)).toContain('streak_30');
  });
});

describe.each(testDatabases)('migration 0011_streak_freezes on $name', (database) => {
  it('gives existing users no freeze and existing days frozen 0, refuses values out of range, and goes down and up again', async () => {
    const created = await database.create();
    try {
      const { db } = created.handle;
      const migrator = migratorOf(created);
      const names = Object.keys(migrations);
      const before = names[names.indexOf('0011_streak_freezes') - 1]!;
      expect((await migrator.migrateTo(before)).error).toBeUndefined();
      const now = '2026-02-18T08:00:00Z';
      const user = await userWithOneDay(db, { focus_seconds: 1500, sessions_completed: 1 }, now);
      await db
        .insertInto('user_totals')
        .values({
          user_id: user.id,
          sessions_completed: 1,
          sessions_abandoned: 0,
          focus_seconds: 1500,
          current_streak: 1,
          longest_streak: 1,
          last_active_day: '2026-02-18',
          longest_session_seconds: 1500,
          best_day_sessions: 1,
          best_day_focus_seconds: 1500,
          updated_at: now,
        })
        .execute();

      expect((await migrator.migrateTo('0011_streak_freezes')).error).toBeUndefined();
      expect(await db.selectFrom('user_totals').select(['current_streak', 'freezes_available']).where('user_id', '=', user.id).execute()).toEqual([
        { current_streak: 1, freezes_available: 0 },
      ]);
      expect(await db.selectFrom('daily_progress').select(['focus_seconds', 'frozen']).where('user_id', '=', user.id).execute()).toEqual([{ focus_seconds: 1500, frozen: 0 }]);
      // the database refuses what the rules never write
      await expect(db.updateTable('user_totals').set({ freezes_available: 3 }).where('user_id', '=', user.id).execute()).rejects.toThrow();
      await expect(db.updateTable('user_totals').set({ freezes_available: -1 }).where('user_id', '=', user.id).execute()).rejects.toThrow();
      await expect(db.updateTable('daily_progress').set({ frozen: 2 }).where('user_id', '=', user.id).execute()).rejects.toThrow();

      expect((await migrator.migrateTo(before)).error).toBeUndefined();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await db.selectFrom('daily_progress').select(['focus_seconds', 'frozen']).where('user_id', '=', user.id).execute()).toEqual([{ focus_seconds: 1500, frozen: 0 }]);
    } finally {
      await created.drop();
    }
  });
});
