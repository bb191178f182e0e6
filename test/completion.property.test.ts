// Property tests through HTTP: for any sequence of ended sessions at random instants, the stored
// progress and streak agree with what the sessions themselves say.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../src/time/calendar.js';
import { addDays, daysBetween } from '../src/time/calendar.js';
import { NO_STREAK, nextStreak } from '../src/modules/streaks/streak-rules.js';
import { type TestApp, type TestUser, at, createTestApp, registerUser } from './app.js';
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

/** Current and longest streak recomputed from the set of days with progress. */
function streakFromDays(days: string[]): { current: number; longest: number; last: string | null } {
  const sorted = [...new Set(days)].sort();
  let run = 0;
  let longest = 0;
  let previous: string | null = null;
  for (const day of sorted) {
    run = previous !== null && daysBetween(previous, day) === 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = day;
  }
  return { current: run, longest, last: previous };
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

  async function storedDays(userId: number) {
    const rows = await t.handle.db.selectFrom('daily_progress').selectAll().where('user_id', '=', userId).orderBy('day').execute();
    return new Map(rows.map((row) => [row.day, { focus_seconds: row.focus_seconds, sessions_completed: row.sessions_completed }]));
  }

  it('in one zone, the stored streak equals the streak recomputed from the daily rows, and each day sums its sessions', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ start, zone, steps }) => {
        const user = await registerUser(t.app, { timezone: zone });
        const ended = await play(user, start, zone, steps, false);
        const days = await storedDays(user.id);
        expect(days).toEqual(sumsByDay(ended));

        const expected = streakFromDays([...days.keys()]);
        const lastEnd = ended.at(-1)?.endedAt ?? start;
        const streak = (await user.request({ method: 'GET', url: '/api/v1/streaks', now: lastEnd })).json().data;
        expect(streak).toEqual({ current_streak: expected.current, longest_streak: expected.longest, last_active_date: expected.last });

        const stats = (await user.request({ method: 'GET', url: '/api/v1/stats', now: lastEnd })).json().data;
        expect(stats.total_sessions_completed).toBe(ended.length);
        expect(stats.total_sessions_abandoned).toBe(steps.filter((s) => !s.completed).length);
        expect(stats.total_focus_seconds).toBe(ended.reduce((sum, e) => sum + e.seconds, 0));

        if (expected.last !== null) {
          const range = await user.request({ method: 'GET', url: `/api/v1/progress?from=${addDays(expected.last, -6)}&to=${expected.last}`, now: lastEnd });
          for (const entry of range.json().data) {
            expect(entry).toEqual({ date: entry.date, ...(days.get(entry.date) ?? { focus_seconds: 0, sessions_completed: 0 }), goal_seconds: 0, goal_met: false });
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('moving between zones, the stored streak equals the streak rule folded over the completion days', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ start, zone, steps }) => {
        const user = await registerUser(t.app, { timezone: zone });
        const ended = await play(user, start, zone, steps, true);
        expect(await storedDays(user.id)).toEqual(sumsByDay(ended));
        const folded = ended.reduce((state, e) => nextStreak(state, e.day), NO_STREAK);
        const totals = await t.handle.db.selectFrom('user_totals').selectAll().where('user_id', '=', user.id).executeTakeFirst();
        expect({
          current: totals?.current_streak ?? 0,
          longest: totals?.longest_streak ?? 0,
          last: totals?.last_active_day ?? null,
        }).toEqual({ current: folded.currentStreak, longest: folded.longestStreak, last: folded.lastActiveDay });
      }),
      { numRuns: 25 },
    );
  });
});
