// Rate limits (contract sections 8 and 9): per user, per IP and per email, 429 in the envelope with
// Retry-After and RateLimit-* headers; a Redis store shared by two instances when Redis is reachable.
import { createConnection } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { type TestApp, createTestApp, registerUser, uniqueEmail } from '../app.js';
import { testDatabases } from '../databases.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port || 6379), timeout: 500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const redisUp = await redisReachable();
if (!redisUp) process.stdout.write(`\n[focus] Redis is not reachable at ${REDIS_URL}: the shared rate-limit store test is SKIPPED.\n\n`);

const database = testDatabases[0]!; // limits live outside the database: one dialect is enough

describe('rate limits', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('an authenticated user past RATE_LIMIT_PER_MINUTE gets 429 rate_limited with Retry-After and RateLimit-* headers', async () => {
    t = await createTestApp(database, { RATE_LIMIT_PER_MINUTE: '3' });
    const user = await registerUser(t.app);
    const other = await registerUser(t.app);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await user.request({ method: 'GET', url: '/api/v1/users/me' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      remaining.push(String(res.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 60 } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ success: false, error: { code: 'rate_limited' } });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(limited.headers['ratelimit-reset']).toBe(String(retryAfter));
    // nothing happened, and another user is not affected
    expect(await t.handle.db.selectFrom('focus_sessions').selectAll().execute()).toEqual([]);
    expect((await other.request({ method: 'GET', url: '/api/v1/users/me' })).statusCode).toBe(200);
  });

  it('login is limited per IP across emails', async () => {
    t = await createTestApp(database, { AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    const login = (email: string) =>
      t!.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'wrong password' }, remoteAddress: '198.51.100.7' });
    expect((await login(uniqueEmail())).statusCode).toBe(401);
    expect((await login(uniqueEmail())).statusCode).toBe(401);
    const limited = await login(uniqueEmail());
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    // another IP is not limited
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: uniqueEmail(), password: 'x' }, remoteAddress: '203.0.113.9' });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('login and register are limited per email across IPs, whatever the case or spaces of the email', async () => {
    t = await createTestApp(database, { AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    const email = uniqueEmail('target');
    const attempt = (ip: string, address: string) =>
      t!.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: address, password: 'guess guess' }, remoteAddress: ip });
    expect((await attempt('192.0.2.1', email)).statusCode).toBe(401);
    expect((await attempt('192.0.2.2', ` ${email.toUpperCase()} `)).statusCode).toBe(401);
    const limited = await attempt('192.0.2.3', email);
    expect(limited.statusCode).toBe(429);
    const register = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password: 'long enough pw' }, remoteAddress: '192.0.2.4' });
    expect(register.statusCode).toBe(429);
    expect(await t.handle.db.selectFrom('users').selectAll().where('email', '=', email).execute()).toEqual([]);
  });

  it('refresh is limited per IP', async () => {
    t = await createTestApp(database, { AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    const refresh = () => t!.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: 'fr_unknown' }, remoteAddress: '198.51.100.20' });
    expect((await refresh()).statusCode).toBe(401);
    expect((await refresh()).statusCode).toBe(401);
    expect((await refresh()).statusCode).toBe(429);
  });

  it('a RATE_LIMIT_REDIS_URL that is not a redis URL stops startup with one line naming it (and not echoing it)', () => {
    expect(() => loadConfig({ RATE_LIMIT_REDIS_URL: 'http://user:secret@cache:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_REDIS_URL: 'http://user:secret@cache:6379' })).toThrow(/^invalid configuration: RATE_LIMIT_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL$/);
    expect(loadConfig({ RATE_LIMIT_REDIS_URL: 'rediss://cache.internal:6380/0' }).rateLimitRedisUrl).toBe('rediss://cache.internal:6380/0');
    expect(loadConfig({}).rateLimitRedisUrl).toBeNull();
  });

  it('0 turns the limits off', async () => {
    t = await createTestApp(database, { RATE_LIMIT_PER_MINUTE: '0', AUTH_RATE_LIMIT_PER_MINUTE: '0' });
    const user = await registerUser(t.app);
    for (let i = 0; i < 50; i += 1) {
      const res = await user.request({ method: 'GET', url: '/api/v1/users/me' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it.skipIf(!redisUp)('with RATE_LIMIT_REDIS_URL two instances share one budget per email', async () => {
    const created = await database.create();
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_RATE_LIMIT_PER_MINUTE: '3',
      RATE_LIMIT_REDIS_URL: REDIS_URL,
      DATABASE_URL: created.url,
    });
    const one = await buildApp(config, created.handle);
    const two = await buildApp(config, created.handle);
    try {
      const email = `shared.${randomBytes(6).toString('hex')}@example.com`;
      const attempt = (app: typeof one, ip: string) =>
        app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'guess guess' }, remoteAddress: ip });
      expect((await attempt(one, '10.1.0.1')).statusCode).toBe(401);
      expect((await attempt(two, '10.1.0.2')).statusCode).toBe(401);
      expect((await attempt(one, '10.1.0.3')).statusCode).toBe(401);
      const limited = await attempt(two, '10.1.0.4');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('rate_limited');
    } finally {
      await one.close();
      await two.close();
      await created.drop();
    }
  });
});
