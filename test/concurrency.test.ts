// Races the database itself must settle: concurrent starts (one running session per user) and
// concurrent ends of one session (exactly one wins), through inject and through real sockets.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { connect } from '../src/db/connect.js';
import { type TestApp, type TestUser, at, createTestApp, registerUser, tally, testConfig } from './app.js';
import { postgresEnabled, testDatabases } from './databases.js';

const T0 = '2026-02-18T08:00:00Z';
const STARTS = 25;
const ENDS = 10;

describe.each(testDatabases)('concurrency through inject on $name', (database) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  const startRequest = (user: TestUser) =>
    user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: T0 });

  it(`${STARTS} concurrent starts yield exactly one 201 and ${STARTS - 1} 409s, each naming the winner`, async () => {
    const user = await registerUser(t.app);
    const responses = await Promise.all(Array.from({ length: STARTS }, () => startRequest(user)));
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 201: 1, 409: STARTS - 1 });
    const winner = responses.find((r) => r.statusCode === 201)!.json().data;
    for (const res of responses.filter((r) => r.statusCode === 409)) {
      expect(res.json().error).toEqual({ code: 'session_already_running', details: { session: winner } });
    }
    const rows = await t.handle.db.selectFrom('focus_sessions').select('id').where('user_id', '=', user.id).execute();
    expect(rows).toEqual([{ id: winner.id }]);
  });

  it(`${ENDS} concurrent ends of one session yield exactly one 200; the rest see it ended`, async () => {
    const user = await registerUser(t.app);
    const id = (await startRequest(user)).json().data.id as number;
    const responses = await Promise.all(
      Array.from({ length: ENDS }, (_, i) =>
        user.request({
          method: 'PATCH',
          url: `/api/v1/sessions/${id}/end`,
          // half try to complete, half to abandon: whichever wins, the others must not overwrite it
          payload: i % 2 === 0 ? { elapsed_seconds: 1500, status: 'completed' } : { elapsed_seconds: 700, status: 'abandoned' },
          now: at(T0, 1500),
        }),
      ),
    );
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 200: 1, 409: ENDS - 1 });
    const winner = responses.find((r) => r.statusCode === 200)!.json().data;
    for (const res of responses.filter((r) => r.statusCode === 409)) {
      expect(res.json().error).toEqual({ code: 'invalid_session_state', details: { status: winner.status, allowed_from: ['active', 'paused'] } });
    }
    const row = await t.handle.db.selectFrom('focus_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: winner.status, elapsed_seconds: winner.elapsed_seconds, ended_at: at(T0, 1500) });
  });

  it('concurrent starts by different users all succeed', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => registerUser(t.app)));
    const responses = await Promise.all(users.map(startRequest));
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
  });

  it('a pause racing an end never leaves a paused session that was ended', async () => {
    for (let round = 0; round < 5; round += 1) {
      const user = await registerUser(t.app);
      const id = (await startRequest(user)).json().data.id as number;
      // 300 s active either way (v1.1's rule 3 counts no paused time), so the end is valid in both orders
      const [paused, ended] = await Promise.all([
        user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 290 }, now: at(T0, 300) }),
        user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds: 300, status: 'abandoned' }, now: at(T0, 400) }),
      ]);
      expect(ended.statusCode, ended.body).toBe(200);
      expect([200, 409]).toContain(paused.statusCode);
      const row = await t.handle.db.selectFrom('focus_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'abandoned', elapsed_seconds: 300 });
    }
  });
});

/** Two app instances over one database, each listening on its own port, as in production. */
async function twoListeningInstances(database: (typeof testDatabases)[number]) {
  const created = await database.create();
  const second = connect(created.url, { poolMax: 20, ...(created.schema ? { schema: created.schema } : {}) });
  const config = testConfig(created.url);
  const apps: FastifyInstance[] = [await buildApp(config, created.handle), await buildApp(config, second)];
  const urls: string[] = [];
  for (const app of apps) urls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
  return {
    apps,
    urls,
    async close() {
      for (const app of apps) await app.close();
      await second.close();
      await created.drop();
    },
  };
}

describe.skipIf(!postgresEnabled)('concurrency through real sockets on two PostgreSQL instances', () => {
  const postgres = testDatabases.find((d) => d.name === 'postgres')!;
  let servers: Awaited<ReturnType<typeof twoListeningInstances>>;
  let token: string;

  beforeAll(async () => {
    servers = await twoListeningInstances(postgres);
    token = (await registerUser(servers.apps[0]!)).accessToken;
  });
  afterAll(async () => {
    await servers?.close();
  });

  const send = (i: number, method: string, path: string, body: unknown, now: string) =>
    fetch(`${servers.urls[i % 2]}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-test-now': now },
      body: JSON.stringify(body),
    });

  it(`${STARTS} parallel starts over HTTP, spread over two instances, yield one 201 and ${STARTS - 1} 409s`, async () => {
    const responses = await Promise.all(Array.from({ length: STARTS }, (_, i) => send(i, 'POST', '/sessions', { duration_seconds: 1500 }, T0)));
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ data?: { id: number }; error?: { code: string } }>));
    expect(tally(responses.map((r) => r.status))).toEqual({ 201: 1, 409: STARTS - 1 });
    const winner = bodies[responses.findIndex((r) => r.status === 201)]!.data!;
    expect(bodies.filter((b) => b.error).every((b) => b.error!.code === 'session_already_running')).toBe(true);

    const ends = await Promise.all(
      Array.from({ length: ENDS }, (_, i) => send(i, 'PATCH', `/sessions/${winner.id}/end`, { elapsed_seconds: 1500, status: 'completed' }, at(T0, 1500))),
    );
    await Promise.all(ends.map((r) => r.arrayBuffer()));
    expect(tally(ends.map((r) => r.status))).toEqual({ 200: 1, 409: ENDS - 1 });
  });
});

describe('concurrency through real sockets on two SQLite instances sharing one file', () => {
  const sqlite = testDatabases.find((d) => d.name === 'sqlite')!;

  it(`${STARTS} parallel starts yield one 201; ${ENDS} parallel ends yield one 200`, async () => {
    const servers = await twoListeningInstances(sqlite);
    try {
      const { accessToken } = await registerUser(servers.apps[0]!);
      const send = (i: number, method: string, path: string, body: unknown, now: string) =>
        fetch(`${servers.urls[i % 2]}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'x-test-now': now },
          body: JSON.stringify(body),
        });
      const starts = await Promise.all(Array.from({ length: STARTS }, (_, i) => send(i, 'POST', '/sessions', { duration_seconds: 1500 }, T0)));
      const bodies = await Promise.all(starts.map((r) => r.json() as Promise<{ data?: { id: number } }>));
      expect(tally(starts.map((r) => r.status))).toEqual({ 201: 1, 409: STARTS - 1 });
      const id = bodies[starts.findIndex((r) => r.status === 201)]!.data!.id;
      const ends = await Promise.all(
        Array.from({ length: ENDS }, (_, i) => send(i, 'PATCH', `/sessions/${id}/end`, { elapsed_seconds: 1500, status: 'completed' }, at(T0, 1500))),
      );
      await Promise.all(ends.map((r) => r.arrayBuffer()));
      expect(tally(ends.map((r) => r.status))).toEqual({ 200: 1, 409: ENDS - 1 });
    } finally {
      await servers.close();
    }
  });
});
