// Completion side effects (contract 5) through HTTP: progress, streak and badges, once, atomically.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBadgeDefinitions } from '../src/modules/badges/badge-import.js';
import { type TestApp, completeSession, createTestApp, registerUser } from './app.js';
import { testDatabases } from './databases.js';

function awardedCodes(body: { data: { rewards: { badges_awarded: Array<{ code: string }> } } }): string[] {
  return body.data.rewards.badges_awarded.map((badge) => badge.code);
}

describe.each(testDatabases)('completion side effects on $name', (database) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a completed end answers the session with the day progress, the streak and the badges it earned', async () => {
    const user = await registerUser(t.app);
    const res = await completeSession(user, '2026-02-18T08:00:00Z');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.message).toBe('focus session completed');
    expect(body.data).toMatchObject({ status: 'completed', elapsed_seconds: 1500, ended_at: '2026-02-18T08:25:00Z' });
    expect(body.data.rewards.daily_progress).toEqual({ date: '2026-02-18', focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false });
    expect(body.data.rewards.streak).toEqual({ current_streak: 1, longest_streak: 1, last_active_date: '2026-02-18', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    expect(body.data.rewards.badges_awarded).toEqual([
      {
        code: 'first_focus',
        name: 'First Focus',
        description: 'Complete your first focus session.',
        criteria: { type: 'total_sessions', threshold: 1 },
        earned_at: '2026-02-18T08:25:00Z',
        progress: { current: 1, target: 1 },
      },
    ]);
  });

  it('an abandoned end answers rewards null and changes only the abandoned count', async () => {
    const user = await registerUser(t.app);
    const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-02-18T08:00:00Z' });
    const res = await user.request({
      method: 'PATCH',
      url: `/api/v1/sessions/${start.json().data.id}/end`,
      payload: { elapsed_seconds: 400, status: 'abandoned' },
      now: '2026-02-18T08:07:00Z',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ status: 'abandoned', rewards: null });
    const stats = await user.request({ method: 'GET', url: '/api/v1/stats', now: '2026-02-18T09:00:00Z' });
    expect(stats.json().data).toEqual({
      total_sessions_completed: 0,
      total_sessions_abandoned: 1,
      total_focus_seconds: 0,
      today: { date: '2026-02-18', focus_seconds: 0, sessions_completed: 0, goal_seconds: 0, goal_met: false, frozen: false },
    });
    const streak = await user.request({ method: 'GET', url: '/api/v1/streaks', now: '2026-02-18T09:00:00Z' });
    expect(streak.json().data).toEqual({ current_streak: 0, longest_streak: 0, last_active_date: null, freezes_available: 0 });
    const badges = await user.request({ method: 'GET', url: '/api/v1/badges' });
    expect(badges.json().data.filter((badge: { earned_at: string | null }) => badge.earned_at !== null)).toEqual([]);
  });

  it('a user in Los Angeles finishing at 22:30 local time gets the Los Angeles date and night_owl', async () => {
    const user = await registerUser(t.app, { timezone: 'America/Los_Angeles' });
    // 22:30 PST on 18 February is 06:30Z on 19 February
    const res = await completeSession(user, '2026-02-19T06:05:00Z');
    expect(res.statusCode, res.body).toBe(200);
    const rewards = res.json().data.rewards;
    expect(res.json().data.ended_at).toBe('2026-02-19T06:30:00Z');
    expect(rewards.daily_progress).toEqual({ date: '2026-02-18', focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false });
    expect(rewards.streak).toEqual({ current_streak: 1, longest_streak: 1, last_active_date: '2026-02-18', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    expect(awardedCodes(res.json())).toEqual(['first_focus', 'night_owl']);
    const nightOwl = rewards.badges_awarded[1];
    expect(nightOwl).toMatchObject({ criteria: { type: 'ended_at_or_after_hour', threshold: 22 }, progress: { current: 1, target: 1 } });
  });

  it('finishing at 07:59 local time earns early_bird and at 08:00 does not', async () => {
    const berlin = await registerUser(t.app, { timezone: 'Europe/Berlin' });
    // 07:59 CET = 06:59Z
    expect(awardedCodes((await completeSession(berlin, '2026-02-18T06:58:00Z', 60)).json())).toEqual(['first_focus', 'early_bird']);
    const other = await registerUser(t.app, { timezone: 'Europe/Berlin' });
    expect(awardedCodes((await completeSession(other, '2026-02-18T06:59:00Z', 60)).json())).toEqual(['first_focus']);
  });

  it('consecutive local days grow the streak, the same day keeps it, a gap resets it to 1 and longest is kept', async () => {
    const user = await registerUser(t.app, { timezone: 'Asia/Kathmandu' });
    // 23:45 local on 18 Feb (18:00Z), then early on 19 and 20 Feb local time
    const day1 = await completeSession(user, '2026-02-18T17:35:00Z', 600);
    expect(day1.json().data.rewards.streak).toEqual({ current_streak: 1, longest_streak: 1, last_active_date: '2026-02-18', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    const day2 = await completeSession(user, '2026-02-18T18:20:00Z', 600); // 00:05 local on 19 Feb
    expect(day2.json().data.rewards.streak).toEqual({ current_streak: 2, longest_streak: 2, last_active_date: '2026-02-19', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    const sameDay = await completeSession(user, '2026-02-19T10:00:00Z', 600);
    expect(sameDay.json().data.rewards.streak).toEqual({ current_streak: 2, longest_streak: 2, last_active_date: '2026-02-19', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    expect(sameDay.json().data.rewards.daily_progress).toEqual({ date: '2026-02-19', focus_seconds: 1200, sessions_completed: 2, goal_seconds: 0, goal_met: false, frozen: false });
    const day3 = await completeSession(user, '2026-02-20T10:00:00Z', 600);
    expect(day3.json().data.rewards.streak).toEqual({ current_streak: 3, longest_streak: 3, last_active_date: '2026-02-20', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    expect(awardedCodes(day3.json())).toEqual(['streak_3']);
    const afterGap = await completeSession(user, '2026-02-22T10:00:00Z', 600);
    expect(afterGap.json().data.rewards.streak).toEqual({ current_streak: 1, longest_streak: 3, last_active_date: '2026-02-22', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    expect(awardedCodes(afterGap.json())).toEqual([]);
  });

  it('a completion on a day earlier than the last one (the user moved west) keeps the streak and counts that day', async () => {
    const user = await registerUser(t.app, { timezone: 'Pacific/Kiritimati' });
    // 10:25Z on 18 Feb is 00:25 on 19 Feb in Kiritimati (UTC+14)
    const east = await completeSession(user, '2026-02-18T10:00:00Z');
    expect(east.json().data.rewards.streak).toEqual({ current_streak: 1, longest_streak: 1, last_active_date: '2026-02-19', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    const moved = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { timezone: 'Pacific/Honolulu' } });
    expect(moved.statusCode, moved.body).toBe(200);
    // 11:25Z on 18 Feb is 01:25 on 18 Feb in Honolulu (UTC-10)
    const west = await completeSession(user, '2026-02-18T11:00:00Z');
    expect(west.json().data.rewards.daily_progress).toEqual({ date: '2026-02-18', focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false });
    expect(west.json().data.rewards.streak).toEqual({ current_streak: 1, longest_streak: 1, last_active_date: '2026-02-19', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    // the day already counted does not move with the new zone
    const progress = await user.request({ method: 'GET', url: '/api/v1/progress?from=2026-02-17&to=2026-02-19', now: '2026-02-18T12:00:00Z' });
    expect(progress.json().data).toEqual([
      { date: '2026-02-17', focus_seconds: 0, sessions_completed: 0, goal_seconds: 0, goal_met: false, frozen: false },
      { date: '2026-02-18', focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false },
      { date: '2026-02-19', focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false },
    ]);
  });

  it('awards a badge only once, with earned_at of the session that earned it', async () => {
    const user = await registerUser(t.app);
    await completeSession(user, '2026-02-18T08:00:00Z');
    const second = await completeSession(user, '2026-02-18T09:00:00Z');
    expect(awardedCodes(second.json())).toEqual([]);
    const badges = await user.request({ method: 'GET', url: '/api/v1/badges' });
    const firstFocus = badges.json().data.find((badge: { code: string }) => badge.code === 'first_focus');
    expect(firstFocus).toMatchObject({ earned_at: '2026-02-18T08:25:00Z', progress: { current: 2, target: 1 } });
    const rows = await t.handle.db.selectFrom('user_badges').select('badge_code').where('user_id', '=', user.id).execute();
    expect(rows).toEqual([{ badge_code: 'first_focus' }]);
  });

  it('four sessions on one local day earn daily_4, a one-hour session earns deep_work and an hour in total earns focus_1h', async () => {
    const user = await registerUser(t.app);
    for (const hour of ['08', '09', '10']) expect(awardedCodes((await completeSession(user, `2026-02-18T${hour}:00:00Z`, 600)).json())).not.toContain('daily_4');
    expect(awardedCodes((await completeSession(user, '2026-02-18T11:00:00Z', 600)).json())).toEqual(['daily_4']);
    expect(awardedCodes((await completeSession(user, '2026-02-18T12:00:00Z', 3600)).json())).toEqual(['focus_1h', 'deep_work']);
  });

  it('a definition the user already meets, added by an operator, is awarded at their next completion', async () => {
    const user = await registerUser(t.app);
    await completeSession(user, '2026-02-18T08:00:00Z', 600);
    await completeSession(user, '2026-02-18T09:00:00Z', 600);
    await importBadgeDefinitions(
      t.handle.db,
      [
        { code: 'test_two_sessions', name: 'Two', description: 'Complete 2 sessions.', criteria: { type: 'total_sessions', threshold: 2 } },
        { code: 'test_twenty_minutes_day', name: 'Twenty', description: '20 minutes in a day.', criteria: { type: 'daily_focus_seconds', threshold: 1200 } },
      ],
      new Date('2026-02-18T10:00:00Z'),
    );
    const before = await user.request({ method: 'GET', url: '/api/v1/badges' });
    expect(before.json().data.find((badge: { code: string }) => badge.code === 'test_two_sessions')).toMatchObject({
      earned_at: null,
      progress: { current: 2, target: 2 },
    });
    // the next day: today's row alone would not meet the daily badge, the best day so far does
    const next = await completeSession(user, '2026-02-19T08:00:00Z', 60);
    expect(awardedCodes(next.json())).toEqual(['test_two_sessions', 'test_twenty_minutes_day']);
    await t.handle.db.deleteFrom('badge_definitions').where('code', 'like', 'test_%').execute();
  });

  it('ten concurrent ends of one session answer one 200 and count once', async () => {
    const user = await registerUser(t.app);
    const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-02-18T08:00:00Z' });
    const id = start.json().data.id as number;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        user.request({
          method: 'PATCH',
          url: `/api/v1/sessions/${id}/end`,
          payload: { elapsed_seconds: 1500, status: 'completed' },
          now: '2026-02-18T08:25:00Z',
        }),
      ),
    );
    const statuses = responses.map((res) => res.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const stats = await user.request({ method: 'GET', url: '/api/v1/stats', now: '2026-02-18T09:00:00Z' });
    expect(stats.json().data).toMatchObject({
      total_sessions_completed: 1,
      total_focus_seconds: 1500,
      today: { date: '2026-02-18', focus_seconds: 1500, sessions_completed: 1, goal_seconds: 0, goal_met: false, frozen: false },
    });
    const badges = await t.handle.db.selectFrom('user_badges').select('badge_code').where('user_id', '=', user.id).execute();
    expect(badges).toEqual([{ badge_code: 'first_focus' }]);
  });

  it('a failure inside the side effects answers 500 and leaves the session running and nothing else changed', async () => {
    const user = await registerUser(t.app);
    await completeSession(user, '2026-02-17T08:00:00Z', 600); // yesterday: totals, a streak and first_focus exist
    const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 3600 }, now: '2026-02-18T08:00:00Z' });
    const id = start.json().data.id as number;
    const snapshot = async () => ({
      totals: await t.handle.db.selectFrom('user_totals').selectAll().where('user_id', '=', user.id).execute(),
      days: await t.handle.db.selectFrom('daily_progress').selectAll().where('user_id', '=', user.id).orderBy('day').execute(),
      badges: await t.handle.db.selectFrom('user_badges').selectAll().where('user_id', '=', user.id).orderBy('badge_code').execute(),
    });
    const before = await snapshot();

    // Award is the last side effect: progress and totals are already written when it fails.
    await createFailingBadgeTrigger(t);
    try {
      const res = await user.request({
        method: 'PATCH',
        url: `/api/v1/sessions/${id}/end`,
        payload: { elapsed_seconds: 3600, status: 'completed' },
        now: '2026-02-18T09:00:00Z',
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ success: false, error: { code: 'internal_error', details: { request_id: expect.any(String) } } });
      expect(res.body).not.toMatch(/forced failure|user_badges|trigger/i);
    } finally {
      await dropFailingBadgeTrigger(t);
    }

    const active = await user.request({ method: 'GET', url: '/api/v1/sessions/active' });
    expect(active.json().data).toMatchObject({ id, status: 'active', elapsed_seconds: 0, ended_at: null });
    expect(await snapshot()).toEqual(before);

    // and the same end goes through once the fault is gone
    const retry = await user.request({
      method: 'PATCH',
      url: `/api/v1/sessions/${id}/end`,
      payload: { elapsed_seconds: 3600, status: 'completed' },
      now: '2026-02-18T09:00:00Z',
    });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().data.rewards.streak).toEqual({ current_streak: 2, longest_streak: 2, last_active_date: '2026-02-18', freezes_available: 0, freezes_used: 0, freeze_earned: false });
    expect(awardedCodes(retry.json())).toEqual(['focus_1h', 'deep_work']);
  });

  it('an account deletion removes its progress, totals and badges', async () => {
    const user = await registerUser(t.app);
    await completeSession(user, '2026-02-18T08:00:00Z');
    const res = await user.request({ method: 'DELETE', url: '/api/v1/users/me' });
    expect(res.statusCode, res.body).toBe(200);
    for (const table of ['daily_progress', 'user_totals', 'user_badges'] as const) {
      const rows = await t.handle.db.selectFrom(table).select('user_id').where('user_id', '=', user.id).execute();
      expect(rows, table).toEqual([]);
    }
  });
});

// A test-only trigger in this test's own database that makes any badge award fail.
async function createFailingBadgeTrigger(t: TestApp): Promise<void> {
  const db = t.handle.db;
  if (t.handle.dialect === 'sqlite') {
    await sql`create trigger test_fail_award before insert on user_badges begin select raise(abort, 'forced failure'); end`.execute(db);
  } else {
    await sql`create function test_fail_award() returns trigger language plpgsql as $$ begin raise exception 'forced failure'; end $$`.execute(db);
    await sql`create trigger test_fail_award before insert on user_badges for each row execute function test_fail_award()`.execute(db);
  }
}

async function dropFailingBadgeTrigger(t: TestApp): Promise<void> {
  const db = t.handle.db;
  if (t.handle.dialect === 'sqlite') {
    await sql`drop trigger test_fail_award`.execute(db);
  } else {
    await sql`drop trigger test_fail_award on user_badges`.execute(db);
    await sql`drop function test_fail_award()`.execute(db);
  }
}
