// GET /badges and the operator's badge import: definitions are data, changes show without a release.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadgeImportError, importBadgeDefinitions, parseBadgeFile } from '../src/modules/badges/badge-import.js';
import { type TestApp, completeSession, createTestApp, registerUser } from './app.js';
import { testDatabases } from './databases.js';

const run = promisify(execFile);

const DEFAULT_CODES = [
  'first_focus', 'sessions_10', 'sessions_50', 'sessions_100', 'focus_1h', 'focus_10h', 'focus_100h',
  'streak_3', 'streak_7', 'streak_30', 'deep_work', 'daily_4', 'early_bird', 'night_owl',
];

describe.each(testDatabases)('badges on $name', (database) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the 14 default definitions in order with criteria, no earned_at and zero progress for a new user', async () => {
    const user = await registerUser(t.app);
    const res = await user.request({ method: 'GET', url: '/api/v1/badges' });
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data.map((badge: { code: string }) => badge.code)).toEqual(DEFAULT_CODES);
    expect(data[0]).toEqual({
      code: 'first_focus',
      name: 'First Focus',
      description: 'Complete your first focus session.',
      criteria: { type: 'total_sessions', threshold: 1 },
      earned_at: null,
      progress: { current: 0, target: 1 },
    });
    expect(data.find((badge: { code: string }) => badge.code === 'night_owl')).toMatchObject({
      criteria: { type: 'ended_at_or_after_hour', threshold: 22 },
      progress: { current: 0, target: 1 },
    });
  });

  it('shows earned_at and progress from the totals after completions', async () => {
    const user = await registerUser(t.app);
    await completeSession(user, '2026-02-18T10:00:00Z', 2700);
    await completeSession(user, '2026-02-18T11:00:00Z', 1500);
    const data = (await user.request({ method: 'GET', url: '/api/v1/badges' })).json().data;
    const byCode = Object.fromEntries(data.map((badge: { code: string }) => [badge.code, badge]));
    expect(byCode.first_focus).toMatchObject({ earned_at: '2026-02-18T10:45:00Z', progress: { current: 2, target: 1 } });
    expect(byCode.sessions_10).toMatchObject({ earned_at: null, progress: { current: 2, target: 10 } });
    expect(byCode.focus_1h).toMatchObject({ earned_at: '2026-02-18T11:25:00Z', progress: { current: 4200, target: 3600 } });
    expect(byCode.deep_work).toMatchObject({ earned_at: null, progress: { current: 2700, target: 3600 } });
    expect(byCode.daily_4).toMatchObject({ earned_at: null, progress: { current: 2, target: 4 } });
    expect(byCode.streak_3).toMatchObject({ earned_at: null, progress: { current: 1, target: 3 } });
    expect(byCode.early_bird).toMatchObject({ earned_at: null, progress: { current: 0, target: 1 } });
  });

  it('answers 401 without a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/badges' });
    expect(res.statusCode).toBe(401);
  });

  it('shows an imported definition and a changed threshold at the next read, without a restart', async () => {
    const user = await registerUser(t.app);
    const result = await importBadgeDefinitions(
      t.handle.db,
      [
        { code: 'sessions_10', name: 'Ten Sessions', description: 'Complete 10 focus sessions.', criteria: { type: 'total_sessions', threshold: 12 } },
        { code: 'import_marathon', name: 'Marathon', description: 'Focus 4 hours in one day.', criteria: { type: 'daily_focus_seconds', threshold: 14400 }, sort_order: 5 },
      ],
      new Date('2026-02-18T00:00:00Z'),
    );
    expect(result).toEqual({ added: 1, updated: 1 });
    const data = (await user.request({ method: 'GET', url: '/api/v1/badges' })).json().data;
    expect(data[0]).toMatchObject({ code: 'import_marathon', criteria: { type: 'daily_focus_seconds', threshold: 14400 }, progress: { current: 0, target: 14400 } });
    expect(data.find((badge: { code: string }) => badge.code === 'sessions_10').criteria).toEqual({ type: 'total_sessions', threshold: 12 });
    // restore the default catalogue for the other tests
    await importBadgeDefinitions(
      t.handle.db,
      [{ code: 'sessions_10', name: 'Ten Sessions', description: 'Complete 10 focus sessions.', criteria: { type: 'total_sessions', threshold: 10 } }],
      new Date(),
    );
    await t.handle.db.deleteFrom('badge_definitions').where('code', '=', 'import_marathon').execute();
  });

  it('writes nothing when one entry of the file is bad', async () => {
    const before = await t.handle.db.selectFrom('badge_definitions').selectAll().orderBy('code').execute();
    await expect(
      importBadgeDefinitions(
        t.handle.db,
        [
          { code: 'import_ok', name: 'Fine', description: 'A fine one.', criteria: { type: 'total_sessions', threshold: 3 } },
          { code: 'import_bad', name: 'Bad', description: 'A bad hour.', criteria: { type: 'ended_before_hour', threshold: 25 } },
        ],
        new Date(),
      ),
    ).rejects.toThrow('/1/criteria/threshold: must be an hour from 0 to 23 for ended_before_hour');
    expect(await t.handle.db.selectFrom('badge_definitions').selectAll().orderBy('code').execute()).toEqual(before);
  });
});

describe('the badge import file', () => {
  const valid = { code: 'ok', name: 'OK', description: 'Fine.', criteria: { type: 'total_sessions', threshold: 1 } };

  it.each([
    ['not JSON', '{', /^not valid JSON/],
    ['an object instead of an array', '{}', /^\/: expected array/],
    ['an empty array', '[]', /^\/: expected array length/],
    ['an unknown criteria type', JSON.stringify([{ ...valid, criteria: { type: 'total_minutes', threshold: 1 } }]), /^\/0\/criteria\/type:/],
    ['a threshold that is not an integer', JSON.stringify([valid, { ...valid, code: 'x', criteria: { type: 'total_sessions', threshold: 1.5 } }]), /^\/1\/criteria\/threshold:/],
    ['a missing name', JSON.stringify([{ code: 'x', description: 'd', criteria: valid.criteria }]), /^\/0\/name:/],
    ['an unknown field', JSON.stringify([{ ...valid, icon: 'star' }]), /^\/0\/icon:/],
    ['a code with capitals', JSON.stringify([{ ...valid, code: 'FirstFocus' }]), /^\/0\/code:/],
    ['a duplicate code', JSON.stringify([valid, valid]), /^\/1\/code: "ok" appears more than once/],
    ['a zero count threshold', JSON.stringify([{ ...valid, criteria: { type: 'total_sessions', threshold: 0 } }]), /^\/0\/criteria\/threshold: must be at least 1/],
  ])('rejects %s with the path of the bad entry', (_what, text, message) => {
    let error: unknown;
    try {
      parseBadgeFile(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadgeImportError);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts a valid file', () => {
    expect(parseBadgeFile(JSON.stringify([valid, { ...valid, code: 'night', criteria: { type: 'ended_at_or_after_hour', threshold: 0 }, sort_order: 3 }]))).toHaveLength(2);
  });
});

describe('npm run badges:import', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'focus-badges-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a file into DATABASE_URL and reports one clear line for a bad one', async () => {
    const { create } = testDatabases[0]!;
    const created = await create();
    try {
      const good = join(dir, 'good.json');
      writeFileSync(good, JSON.stringify([{ code: 'cli_badge', name: 'CLI', description: 'From the command line.', criteria: { type: 'streak_days', threshold: 14 } }]));
      const env = { ...process.env, DATABASE_URL: created.url };
      const ok = await run(process.execPath, ['--import', 'tsx', 'scripts/badges-import.ts', good], { env });
      expect(ok.stdout).toBe(`badges:import: 1 added, 0 updated from ${good}\n`);
      const row = await created.handle.db.selectFrom('badge_definitions').selectAll().where('code', '=', 'cli_badge').executeTakeFirst();
      expect(row).toMatchObject({ criteria_type: 'streak_days', threshold: 14 });

      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify([{ code: 'cli_bad', name: 'Bad', description: 'Bad.', criteria: { type: 'streak_days', threshold: -1 } }]));
      const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/badges-import.ts', bad], { env }).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(new RegExp(`^badges:import: ${bad} /0/criteria/threshold: [^\\n]+\\n$`));
    } finally {
      await created.drop();
    }
  });
});
