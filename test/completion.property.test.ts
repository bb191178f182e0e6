// Property tests through HTTP: for any sequence of ended sessions at random instants, the stored
// progress, streak, freezes and frozen days agree with what the sessions themselves say.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../src/time/calendar.js';
import { addDays, daysBetween } from '../src/time/calendar.js';
import { NO_STREAK, type StreakState, nextStreak } from '../src/modules/streaks/streak-rules.js';
import { type TestApp, type TestUser, at, completeSession, createTestApp, registerUser } from './app.js';
import { testDatabases } from './databases.js';

const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'Europe/Berlin',
  'Pacific/Kiritimati',
  'Etc/GMT+12',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'Australia/Lord_Howe',
];

interface Step {
  /** seconds from the previous session's end to this session's start */
  gap: number;
  duration: number;
  completed: boolean;
  /** a zone to move to before this session (only in the travelling property) */
  zone: string;
}

const step = fc.record({
  // mostly whole days apart (same day, next day, a gap of one or two days), give or take a few hours
  gap: fc
    .tuple(fc.constantFrom(0, 0, 1, 1, 1, 2, 3), fc.integer({ min: -5 * 3600, max: 5 * 3600 }))
    .map(([days, jitter]) => Math.max(0, days * 86400 + jitter)),
  duration: fc.constantFrom(60, 1500, 2700, 3600),
  completed: fc.boolean(),
  zone: fc.constantFrom(...ZONES),
});

const scenario = fc.record({
  start: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }).map((ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19) + 'Z'),
  zone: fc.constantFrom(...ZONES),
  steps: fc.array(step, { minLength: 1, maxLength: 12 }),
});

/** The UTC instant (RFC 3339) at which the wall clock in `zone` reads `day` `hour`:`minute`. */
function utcOf(day: string, hour: number, minute: number, zone: string): string {
  const wall = Date.parse(`${day}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  let guess = wall;
  // two corrections settle it away from a DST change (the hours used are 09:00 to 22:00)
  for (let i = 0; i < 2; i += 1) {
    const p = Object.fromEntries(format.formatToParts(new Date(guess)).map((part) => [part.type, part.value]));
    guess += wall - Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:00Z`);
  }
  return new Date(guess).toISOString().slice(0, 19) + 'Z';
}

interface Ended {
  endedAt: string;
  day: string;
  seconds: number;
}

/** Runs the steps over HTTP; returns the completed sessions with the local day they belong to. */
async function play(user: TestUser, start: string, zone: string, steps: Step[], travel: boolean): Promise<Ended[]> {
  let t = start;
  let currentZone = zone;
  const completed: Ended[] = [];
  for (const s of steps) {
    if (travel && s.zone !== currentZone) {
      const moved = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { timezone: s.zone } });
      expect(moved.statusCode, moved.body).toBe(200);
      currentZone = s.zone;
    }
    const startAt = at(t, s.gap);
    const started = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: s.duration }, now: startAt });
    expect(started.statusCode, started.body).toBe(201);
    const endedAt = at(startAt, s.duration);
    const elapsed = s.completed ? s.duration : Math.floor(s.duration / 2);
    const ended = await user.request({
      method: 'PATCH',
      url: `/api/v1/sessions/${started.json().data.id}/end`,
      payload: { elapsed_seconds: elapsed, status: s.completed ? 'completed' : 'abandoned' },
      now: endedAt,
    });
    expect(ended.statusCode, ended.body).toBe(200);
    if (s.completed) completed.push({ endedAt, day: localDay(new Date(endedAt), currentZone), seconds: elapsed });
    t = endedAt;
  }
  return completed;
}

/**
 * Current and longest streak recomputed from the days with completions and the frozen days: a run
 * is consecutive days, each with a completion or frozen; only the days with completions count.
 */
function streakFromDays(active: string[], frozen: string[]): { current: number; longest: number; last: string | null } {
  const frozenDays = new Set(frozen);
  const sorted = [...new Set([...active, ...frozen])].sort();
  let run = 0;
  let longest = 0;
  let previous: string | null = null;
  let last: string | null = null;
  for (const day of sorted) {
    if (previous === null || daysBetween(previous, day) !== 1) run = 0;
    if (!frozenDays.has(day)) {
      run += 1;
      last = day;
    }
    longest = Math.max(longest, run);
    previous = day;
  }
  return { current: run, longest, last };
}

/** The streak rules replayed over completion days in order: the state and every day a freeze covered. */
function replay(days: string[]): { state: StreakState; frozen: string[] } {
  let state = NO_STREAK;
  const frozen: string[] = [];
  for (const day of days) {
    const step = nextStreak(state, day);
    frozen.push(...step.frozenDays);
    state = step.state;
  }
  return { state, frozen: frozen.sort() };
}

function sumsByDay(ended: Ended[]): Map<string, { focus_seconds: number; sessions_completed: number }> {
  const sums = new Map<string, { focus_seconds: number; sessions_completed: number }>();
  for (const e of ended) {
    const sum = sums.get(e.day) ?? { focus_seconds: 0, sessions_completed: 0 };
    sums.set(e.day, { focus_seconds: sum.focus_seconds + e.seconds, sessions_completed: sum.sessions_completed + 1 });
  }
  return sums;
}

describe.each(testDatabases)('completion properties on $name', (database) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The day rows with completions (day → sums); frozen days without any are in frozenDays. */
  async function storedDays(userId: number) {
    const rows = await t.handle.db.selectFrom('daily_progress').selectAll().where('user_id', '=', userId).where('sessions_completed', '>', 0).orderBy('day').execute();
    return new Map(rows.map((row) => [row.day, { focus_seconds: row.focus_seconds, sessions_completed: row.sessions_completed }]));
  }

  /** The days stored as frozen (a freeze was spent on them), ascending. */
  async function frozenDays(userId: number): Promise<string[]> {
    const rows = await t.handle.db.selectFrom('daily_progress').select('day').where('user_id', '=', userId).where('frozen', '=', 1).orderBy('day').execute();
    return rows.map((row) => row.day);
  }

  async function storedStreak(userId: number) {
    const totals = await t.handle.db.selectFrom('user_totals').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return {
      currentStreak: totals?.current_streak ?? 0,
      longestStreak: totals?.longest_streak ?? 0,
      lastActiveDay: totals?.last_active_day ?? null,
      freezesAvailable: totals?.freezes_available ?? 0,
    };
  }

  it('in one zone, the stored streak equals the streak recomputed from the daily rows, and each day sums its sessions', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ start, zone, steps }) => {
        const user = await registerUser(t.app, { timezone: zone });
        const ended = await play(user, start, zone, steps, false);
        const days = await storedDays(user.id);
        expect(days).toEqual(sumsByDay(ended));

        const frozen = await frozenDays(user.id);
        const expected = streakFromDays([...days.keys()], frozen);
        const replayed = replay(ended.map((e) => e.day));
        expect(frozen).toEqual(replayed.frozen);
        const lastEnd = ended.at(-1)?.endedAt ?? start;
        const streak = (await user.request({ method: 'GET', url: '/api/v1/streaks', now: lastEnd })).json().data;
        expect(streak).toEqual({
          current_streak: expected.current,
          longest_streak: expected.longest,
          last_active_date: expected.last,
          freezes_available: replayed.state.freezesAvailable,
        });

        const stats = (await user.request({ method: 'GET', url: '/api/v1/stats', now: lastEnd })).json().data;
        expect(stats.total_sessions_completed).toBe(ended.length);
        expect(stats.total_sessions_abandoned).toBe(steps.filter((s) => !s.completed).length);
        expect(stats.total_focus_seconds).toBe(ended.reduce((sum, e) => sum + e.seconds, 0));

        if (expected.last !== null) {
          const range = await user.request({ method: 'GET', url: `/api/v1/progress?from=${addDays(expected.last, -6)}&to=${expected.last}`, now: lastEnd });
          for (const entry of range.json().data) {
            expect(entry).toEqual({
              date: entry.date,
              ...(days.get(entry.date) ?? { focus_seconds: 0, sessions_completed: 0 }),
              goal_seconds: 0,
              goal_met: false,
              frozen: frozen.includes(entry.date),
            });
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('moving between zones, the stored streak, freezes and frozen days equal the streak rule folded over the completion days', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ start, zone, steps }) => {
        const user = await registerUser(t.app, { timezone: zone });
        const ended = await play(user, start, zone, steps, true);
        expect(await storedDays(user.id)).toEqual(sumsByDay(ended));
        const replayed = replay(ended.map((e) => e.day));
        expect(await storedStreak(user.id)).toEqual(replayed.state);
        expect(await frozenDays(user.id)).toEqual(replayed.frozen);
      }),
      { numRuns: 25 },
    );
  });

  // Runs of daily completions long enough to earn freezes, with gaps of one to four days to spend
  // them or not, and a read some days after the last completion.
  const freezeScenario = fc.record({
    first: fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2025-01-01', n)),
    zone: fc.constantFrom(...ZONES),
    // days from one completion to the next: mostly the next day, sometimes the same one or a gap
    deltas: fc.array(fc.constantFrom(0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4), { minLength: 1, maxLength: 30 }),
    hour: fc.integer({ min: 9, max: 20 }),
    readAfter: fc.integer({ min: 0, max: 4 }),
  });

  it('for random completion days, the stored streak, freezes and frozen days equal a replay of the rules from the day rows, and the read follows the freezes', async () => {
    await fc.assert(
      fc.asyncProperty(freezeScenario, async ({ first, zone, deltas, hour, readAfter }) => {
        const user = await registerUser(t.app, { timezone: zone });
        const days: string[] = [];
        let day = first;
        for (const [i, delta] of deltas.entries()) {
          day = addDays(day, delta);
          days.push(day);
          // a few minutes apart on the same day, so two completions of one day never overlap
          const startAt = utcOf(day, hour, i * 2, zone);
          await completeSession(user, startAt, 60);
        }

        // the replay reads only the stored day rows: the days with completions in order, then compares
        const rows = await t.handle.db.selectFrom('daily_progress').selectAll().where('user_id', '=', user.id).orderBy('day').execute();
        const activeDays = rows.filter((row) => row.sessions_completed > 0).map((row) => row.day);
        const replayed = replay(activeDays);
        expect(rows.filter((row) => row.frozen === 1).map((row) => row.day)).toEqual(replayed.frozen);
        for (const row of rows.filter((r) => r.frozen === 1)) expect([row.focus_seconds, row.sessions_completed]).toEqual([0, 0]);
        expect(await storedStreak(user.id)).toEqual(replayed.state);
        expect(activeDays).toEqual([...new Set(days)]);

        const expected = streakFromDays(activeDays, replayed.frozen);
        expect([replayed.state.currentStreak, replayed.state.longestStreak]).toEqual([expected.current, expected.longest]);

        const today = addDays(day, readAfter);
        const read = await user.request({ method: 'GET', url: '/api/v1/streaks', now: utcOf(today, 22, 0, zone) });
        const alive = readAfter - 1 <= replayed.state.freezesAvailable;
        expect(read.json().data).toEqual({
          current_streak: alive ? replayed.state.currentStreak : 0,
          longest_streak: replayed.state.longestStreak,
          last_active_date: day,
          freezes_available: replayed.state.freezesAvailable,
        });
        const home = await user.request({ method: 'GET', url: '/api/v1/home', now: utcOf(today, 22, 0, zone) });
        expect(home.json().data.streak).toEqual(read.json().data);
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
