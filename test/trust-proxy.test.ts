// TRUST_PROXY: behind a reverse proxy every request comes from the proxy's address, so the per-IP
// limits would count all clients as one; with the proxy trusted, X-Forwarded-For names the client.
// A header sent by anyone but a trusted proxy is ignored, or a client could pick its own address.
import { afterEach, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, uniqueEmail } from './app.js';
import { testDatabases } from './databases.js';

const database = testDatabases[0]!; // addresses and limits live outside the database: one dialect is enough

describe('TRUST_PROXY', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** A failed login (another email each time: only the per-IP limit, 1 a minute, can refuse it) from a client behind the proxy. */
  async function loginVia(forwardedFor: string): Promise<number> {
    const res = await t!.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '127.0.0.1', // the proxy
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { email: uniqueEmail(), password: 'not the password' },
    });
    return res.statusCode;
  }

  it.each([
    ['unset: the proxy is the client, every login counts against its address', {}, [401, 429, 429]],
    ['loopback: the clients behind the proxy are counted apart', { TRUST_PROXY: 'loopback' }, [401, 401, 429]],
    ['true: the same', { TRUST_PROXY: 'true' }, [401, 401, 429]],
    ['another address: the header of an untrusted peer is ignored', { TRUST_PROXY: '10.0.0.0/8' }, [401, 429, 429]],
  ])('%s', async (_name, env: Record<string, string>, expected) => {
    t = await createTestApp(database, { AUTH_RATE_LIMIT_PER_MINUTE: '1', ...env });
    expect([await loginVia('203.0.113.7'), await loginVia('198.51.100.9'), await loginVia('203.0.113.7')]).toEqual(expected);
  });
});
