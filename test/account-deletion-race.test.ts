// An account deleted while its other requests run: each of those requests answers 401 (or
// succeeds), never 500. The race is made deterministic: the user row is deleted
// the moment the request's access token has been authenticated and before its handler runs.
import type { FastifyInstance } from 'fastify';
import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { DatabaseHandle } from '../src/db/connect.js';
import type { Database } from '../src/db/database.js';
import { registerUser, testConfig } from './app.js';
import { testDatabases } from './databases.js';

/**
 * The database as the app sees it, with a hook on the queries run by `executeQuery` (the prepared
 * ones, bearer authentication's included): as soon as one returns `victim`'s authenticated access
 * token (the row with userId and loginId), the user is deleted, or (`failInstead`) the next such query
 * fails while the user still exists.
 */
class RaceAfterAuthentication {
  victim: number | null = null;
  failInstead = false;
  deleted = 0;
  private failNext = false;
  readonly db: Kysely<Database>;

  constructor(private readonly target: Kysely<Database>) {
    this.db = new Proxy(target, {
      get: (object, name) => {
        if (name === 'executeQuery') return (query: CompiledQuery) => this.executeQuery(query);
        const value: unknown = Reflect.get(object, name, object);
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
  }

  private async executeQuery(query: CompiledQuery): Promise<QueryResult<unknown>> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('injected database failure');
    }
    const result = await this.target.executeQuery(query);
    const row = result.rows[0] as Record<string, unknown> | undefined;
    if (this.victim !== null && row && 'loginId' in row && row.userId === this.victim) {
      const userId = this.victim;
      this.victim = null;
      if (this.failInstead) {
        this.failNext = true;
      } else {
        await this.target.deleteFrom('users').where('id', '=', userId).execute();
        this.deleted += 1;
      }
    }
    return result;
  }
}

describe.each(testDatabases)('an account deleted while its requests run, on $name', (database) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  async function racingApp(): Promise<{ app: FastifyInstance; race: RaceAfterAuthentication }> {
    const created = await database.create();
    const race = new RaceAfterAuthentication(created.handle.db);
    const handle: DatabaseHandle = {
      db: race.db,
      dialect: created.handle.dialect,
      poolStats: () => created.handle.poolStats(),
      close: () => created.handle.close(),
    };
    const app = await buildApp(testConfig(created.url), handle, { webRoot: null });
    await app.ready();
    cleanup = async () => {
      await app.close();
      await created.drop();
    };
    return { app, race };
  }

  // The requests the audit found answering 500; then others that must not either (some may succeed:
  // a list of a user who is gone is empty).
  const mustRefuse = [
    ['GET', '/api/v1/home', undefined],
    ['GET', '/api/v1/progress', undefined],
    ['GET', '/api/v1/stats', undefined],
    ['GET', '/api/v1/streaks', undefined],
    ['POST', '/api/v1/sessions', { duration_seconds: 1500 }],
    ['GET', '/api/v1/users/me', undefined],
    ['PATCH', '/api/v1/users/me', { display_name: 'Gone' }],
  ] as const;
  const mayAnswer = [
    ['GET', '/api/v1/badges'],
    ['GET', '/api/v1/sessions'],
    ['GET', '/api/v1/sessions/active'],
  ] as const;

  it.each(mustRefuse)('%s %s answers 401 unauthorized, not 500', async (method, url, payload) => {
    const { app, race } = await racingApp();
    const user = await registerUser(app);
    race.victim = user.id;
    const res = await user.request({ method, url, ...(payload ? { payload } : {}) });
    expect(race.deleted, 'the user row was deleted between authentication and the handler').toBe(1);
    expect(res.statusCode, res.body).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({ success: false, error: { code: 'unauthorized', details: null } });
  });

  it.each(mayAnswer)('%s %s answers 401 or succeeds, never 500', async (method, url) => {
    const { app, race } = await racingApp();
    const user = await registerUser(app);
    race.victim = user.id;
    const res = await user.request({ method, url });
    expect(race.deleted).toBe(1);
    expect([200, 401], res.body).toContain(res.statusCode);
  });

  it('a start with an Idempotency-Key answers 401 too, and a retry is 401 at authentication', async () => {
    const { app, race } = await racingApp();
    const user = await registerUser(app);
    race.victim = user.id;
    const start = () => user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, headers: { 'idempotency-key': 'gone-1' } });
    const res = await start();
    expect(race.deleted).toBe(1);
    expect(res.statusCode, res.body).toBe(401);
    const retry = await start();
    expect(retry.statusCode).toBe(401);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  it('an unexpected error of a user who still exists is still a 500', async () => {
    const { app, race } = await racingApp();
    const user = await registerUser(app);
    race.failInstead = true;
    race.victim = user.id;
    const res = await user.request({ method: 'GET', url: '/api/v1/sessions/active' });
    expect(res.statusCode, res.body).toBe(500);
    expect(res.json().error.code).toBe('internal_error');
  });
});
