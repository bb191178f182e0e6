// A real Focus app on a real, migrated database, plus factories that speak HTTP to it.
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import type { Insertable } from 'kysely';
import type { DatabaseHandle } from '../src/db/connect.js';
import type { Database } from '../src/db/database.js';
import type { TestDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  handle: DatabaseHandle;
  config: Config;
  close(): Promise<void>;
}

/** The configuration of a test app: quiet, test clock on, rate limits off, unless `env` says otherwise. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    FOCUS_TEST_CLOCK: '1',
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_RATE_LIMIT_PER_MINUTE: '0',
    DATABASE_URL: databaseUrl,
    ...env,
  });
}

/** How many times each status occurs: `{201: 1, 409: 24}`. */
export function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const status of statuses) out[status] = (out[status] ?? 0) + 1;
  return out;
}

export async function createTestApp(database: TestDatabase, env: Record<string, string> = {}): Promise<TestApp> {
  const created = await database.create();
  const config = testConfig(created.url, env);
  const app = await buildApp(config, created.handle);
  await app.ready();
  return {
    app,
    handle: created.handle,
    config,
    async close() {
      await app.close();
      await created.drop();
    },
  };
}

/**
 * A test app for the tests of the enclosing describe: created before the first, closed after the
 * last. Its fields are there from the first test on.
 */
export function suiteApp(database: TestDatabase, env: Record<string, string> = {}): TestApp {
  const t = {} as TestApp;
  beforeAll(async () => {
    Object.assign(t, await createTestApp(database, env));
  });
  afterAll(async () => {
    await t.close?.();
  });
  return t;
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now()}.${counter}@example.com`;
}

export interface TestUser {
  id: number;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** inject as this user */
  request(options: InjectOptions & { now?: string }): Promise<LightMyRequestResponse>;
}

export async function registerUser(
  app: FastifyInstance,
  overrides: { email?: string; password?: string; timezone?: string; display_name?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? 'correct horse battery';
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { ...overrides, email, password },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const data = res.json().data;
  return asUser(app, { id: data.user.id, email, password, accessToken: data.access_token, refreshToken: data.refresh_token });
}

export function asUser(
  app: FastifyInstance,
  user: { id: number; email: string; password: string; accessToken: string; refreshToken: string },
): TestUser {
  return {
    ...user,
    request(options) {
      const { now, headers, ...rest } = options;
      return app.inject({
        ...rest,
        headers: {
          authorization: `Bearer ${user.accessToken}`,
          ...(now ? { 'x-test-now': now } : {}),
          ...(headers ?? {}),
        },
      } as InjectOptions);
    },
  };
}

/**
 * Starts a session at `startAt` and ends it `seconds` later as completed, on the test clock;
 * asserts both answers and returns the end response.
 */
export async function completeSession(user: TestUser, startAt: string, seconds = 1500): Promise<LightMyRequestResponse> {
  const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: seconds }, now: startAt });
  expect(start.statusCode, start.body).toBe(201);
  const end = await user.request({
    method: 'PATCH',
    url: `/api/v1/sessions/${start.json().data.id}/end`,
    payload: { elapsed_seconds: seconds, status: 'completed' },
    now: at(startAt, seconds),
  });
  expect(end.statusCode, end.body).toBe(200);
  return end;
}

/** Seconds after an RFC 3339 instant, as RFC 3339. */
export function at(base: string, seconds: number): string {
  return new Date(Date.parse(base) + seconds * 1000).toISOString().slice(0, 19) + 'Z';
}

/** What came over a real socket for one GET: the status, the headers, the bytes as sent, and whether the transfer ended cleanly (not cut). */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  complete: boolean;
}

/** A GET over a real socket with exactly the headers given (inject cannot show a cut connection or the bytes on the wire). */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      const done = (complete: boolean) => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks), complete });
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(res.complete));
      res.on('error', () => done(false));
      res.on('aborted', () => done(false));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One abandoned 10-minute session row starting at `started`, written straight to the table (for seeding long histories). */
export function abandonedSessionRow(userId: number, started: string, note: string) {
  return {
    user_id: userId,
    duration_seconds: 1500,
    elapsed_seconds: 600,
    status: 'abandoned' as const,
    started_at: started,
    ended_at: at(started, 600),
    ended_day: at(started, 600).slice(0, 10),
    updated_at: at(started, 600),
    last_transition_at: at(started, 600),
    note,
  };
}

/** Inserts session rows 200 at a time (SQLite's limit on bound parameters). */
export async function insertSessionRows(handle: DatabaseHandle, rows: Insertable<Database['focus_sessions']>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await handle.db.insertInto('focus_sessions').values(rows.slice(i, i + 200)).execute();
  }
}
