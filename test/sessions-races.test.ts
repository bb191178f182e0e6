// Racing pauses and resumes of one session: the locking transaction (and resume's one-statement
// UPDATE, which checks the state itself) settle them as some serial order of the winners would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, at, createTestApp, registerUser, tally } from './app.js';
import { testDatabases } from './databases.js';

const T0 = '2026-02-18T08:00:00Z';
const RACERS = 10;

describe.each(testDatabases)('racing pause and resume on $name', (database) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  const start = async (user: TestUser) =>
    (await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: T0 })).json().data.id as number;
  const stored = (id: number) => t.handle.db.selectFrom('focus_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it(`${RACERS} concurrent pauses with different elapsed_seconds: one 200, the rest 409, and the winner's value is stored`, async () => {
    const user = await registerUser(t.app);
    const id = await start(user);
    const responses = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 100 + i }, now: at(T0, 600) }),
      ),
    );
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 200: 1, 409: RACERS - 1 });
    const winner = responses.find((r) => r.statusCode === 200)!.json().data;
    for (const res of responses.filter((r) => r.statusCode === 409)) {
      expect(res.json().error).toEqual({ code: 'invalid_session_state', details: { status: 'paused', allowed_from: ['active'] } });
    }
    expect(await stored(id)).toMatchObject({ status: 'paused', elapsed_seconds: winner.elapsed_seconds, updated_at: at(T0, 600) });
  });

  it(`${RACERS} concurrent resumes of a paused session: one 200, the rest 409`, async () => {
    const user = await registerUser(t.app);
    const id = await start(user);
    await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 300 }, now: at(T0, 300) });
    const responses = await Promise.all(
      Array.from({ length: RACERS }, () => user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now: at(T0, 400) })),
    );
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 200: 1, 409: RACERS - 1 });
    for (const res of responses.filter((r) => r.statusCode === 409)) {
      expect(res.json().error).toEqual({ code: 'invalid_session_state', details: { status: 'active', allowed_from: ['paused'] } });
    }
    expect(await stored(id)).toMatchObject({ status: 'active', elapsed_seconds: 300, updated_at: at(T0, 400) });
  });

  it('pauses and resumes racing each other always leave a state some serial order of the winners explains', async () => {
    const user = await registerUser(t.app);
    const id = await start(user);
    for (let round = 1; round <= 5; round += 1) {
      const now = at(T0, 60 * round);
      const [pause, resume] = await Promise.all([
        user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 50 * round }, now }),
        user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now }),
      ]);
      const row = await stored(id);
      if (pause.statusCode === 200 && resume.statusCode === 200) {
        // pause first, then resume: active again, keeping the paused elapsed_seconds
        expect(row).toMatchObject({ status: 'active', elapsed_seconds: 50 * round });
      } else if (pause.statusCode === 200) {
        expect(row).toMatchObject({ status: 'paused', elapsed_seconds: 50 * round });
        await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now });
      } else {
        throw new Error(`unexpected: pause ${pause.statusCode} ${pause.body}, resume ${resume.statusCode} ${resume.body}`);
      }
    }
  });

  it('resume answers 404 for another user’s session and for an unknown id, and leaves the session alone', async () => {
    const owner = await registerUser(t.app);
    const other = await registerUser(t.app);
    const id = await start(owner);
    await owner.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 120 }, now: at(T0, 120) });
    const theirs = await other.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now: at(T0, 200) });
    const unknown = await owner.request({ method: 'PATCH', url: `/api/v1/sessions/${id + 100000}/resume`, now: at(T0, 200) });
    expect([theirs.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(theirs.json().error.code).toBe('not_found');
    expect(await stored(id)).toMatchObject({ status: 'paused', updated_at: at(T0, 120) });
  });
});
