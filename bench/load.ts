// Load scenarios, all driven by the same client (autocannon, in this process) at the same connection count.
import autocannon from 'autocannon';
import { type BenchUser, expectStatus, send, timestamp } from './client.js';
import { cpuSeconds } from './processes.js';

export interface LoadResult {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors + timeouts + non-2xx responses. */
  errors: number;
  seconds: number;
  /**
   * CPU time the server process used per request (user + system, microseconds). Unlike req/s it
   * hardly moves when other work competes for the cores, so it is the steadier before/after figure.
   */
  cpuUsPerRequest: number;
}

export interface LoadOptions {
  connections: number;
  /** Measured seconds; a warm-up of warmupSeconds runs first and is discarded. */
  seconds: number;
  warmupSeconds: number;
}

type Req = autocannon.Request;

/** The process whose CPU time is charged to the requests: the server under test. */
export interface Target {
  url: string;
  pid: number;
}

async function cannon(name: string, target: Target, connections: number, seconds: number, requests: Req[]): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(target.pid);
  const result = await autocannon({ url: target.url, connections, duration: seconds, requests, timeout: 10 });
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  return {
    cpuUsPerRequest: (cpu * 1e6) / Math.max(1, result.requests.total),
    name,
    requests: result.requests.total,
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    seconds,
  };
}

async function measure(name: string, target: Target, options: LoadOptions, requests: () => Req[]): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await cannon(`${name} (warm-up)`, target, options.connections, options.warmupSeconds, requests());
  return cannon(name, target, options.connections, options.seconds, requests());
}

/** GET / on a bare server: node:http, or one of the Fastify ceilings of bare-fastify-server.ts. */
export function bareGet(name: string, target: Target, options: LoadOptions): Promise<LoadResult> {
  return measure(name, target, options, () => [{ method: 'GET', path: '/' }]);
}

export function bareHttp(target: Target, options: LoadOptions): Promise<LoadResult> {
  return bareGet('bare node:http, small JSON', target, options);
}

/** PATCH /counters/:id over rows 1..rows in turn: one UPDATE per request (bare-pg-server.ts, bare-fastify-server.ts). */
export function bareCounterUpdate(name: string, target: Target, options: LoadOptions, rows: number): Promise<LoadResult> {
  let next = 0;
  return measure(name, target, options, () => [
    {
      method: 'PATCH',
      setupRequest: (request) => ({ ...request, path: `/counters/${(next++ % rows) + 1}` }),
    },
  ]);
}

export function barePgUpdate(target: Target, options: LoadOptions, rows: number): Promise<LoadResult> {
  return bareCounterUpdate('bare Fastify + pg, one UPDATE', target, options, rows);
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * The lifecycle mix: each cycle takes a free user from the pool (so no two connections share a user)
 * and walks start → pause → resume → end(completed) with X-Test-Now, so the elapsed rules hold:
 * a 25-minute session, paused at 10 min for 5 min, ended at 30 min; the next one starts an hour later.
 */
export class LifecyclePool {
  private readonly free: BenchUser[];
  private readonly busy = new Set<BenchUser>();
  static readonly DURATION = 1500;

  constructor(users: BenchUser[]) {
    this.free = [...users];
  }

  private take(): BenchUser {
    const user = this.free.shift();
    if (!user) throw new Error('lifecycle pool is empty: register at least as many users as connections');
    this.busy.add(user);
    return user;
  }

  private release(user: BenchUser): void {
    if (this.busy.delete(user)) this.free.push(user);
  }

  requests(): Req[] {
    const d = LifecyclePool.DURATION;
    interface Cycle {
      user?: BenchUser;
      sessionId?: number;
      failed?: boolean;
    }
    const headers = (user: BenchUser, offsetSeconds: number) => ({
      ...JSON_HEADERS,
      authorization: `Bearer ${user.token}`,
      'x-test-now': timestamp(user.clockMs + offsetSeconds * 1000),
    });
    const failed = (cycle: Cycle) => {
      if (cycle.failed || !cycle.user) return true;
      return false;
    };
    const fail = (cycle: Cycle) => {
      cycle.failed = true;
      if (cycle.user) this.release(cycle.user);
    };
    return [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const cycle = context as Cycle;
          const user = this.take();
          cycle.user = user;
          return { ...request, path: '/api/v1/sessions', headers: headers(user, 0), body: JSON.stringify({ duration_seconds: d }) };
        },
        onResponse: (status, body, context) => {
          const cycle = context as Cycle;
          if (status === 201) cycle.sessionId = (JSON.parse(body) as { data: { id: number } }).data.id;
          else fail(cycle);
        },
      },
      {
        method: 'PATCH',
        setupRequest: (request, context) => {
          const cycle = context as Cycle;
          if (failed(cycle)) return undefined as unknown as Req; // restart the cycle with another user
          return {
            ...request,
            path: `/api/v1/sessions/${cycle.sessionId}/pause`,
            headers: headers(cycle.user as BenchUser, 600),
            body: JSON.stringify({ elapsed_seconds: 600, status: 'paused' }),
          };
        },
        onResponse: (status, _body, context) => {
          if (status !== 200) fail(context as Cycle);
        },
      },
      {
        method: 'PATCH',
        setupRequest: (request, context) => {
          const cycle = context as Cycle;
          if (failed(cycle)) return undefined as unknown as Req;
          return { ...request, path: `/api/v1/sessions/${cycle.sessionId}/resume`, headers: headers(cycle.user as BenchUser, 900), body: '{}' };
        },
        onResponse: (status, _body, context) => {
          if (status !== 200) fail(context as Cycle);
        },
      },
      {
        method: 'PATCH',
        setupRequest: (request, context) => {
          const cycle = context as Cycle;
          if (failed(cycle)) return undefined as unknown as Req;
          return {
            ...request,
            path: `/api/v1/sessions/${cycle.sessionId}/end`,
            headers: headers(cycle.user as BenchUser, d + 300),
            body: JSON.stringify({ elapsed_seconds: d, status: 'completed' }),
          };
        },
        onResponse: (status, _body, context) => {
          const cycle = context as Cycle;
          if (status !== 200) return fail(cycle);
          const user = cycle.user as BenchUser;
          user.clockMs += 3600 * 1000;
          this.release(user);
        },
      },
    ];
  }

  /** After a run stops mid-cycle: end what is still running and put every user back in the pool. */
  async settle(baseUrl: string): Promise<void> {
    // requests the load client gave up on may still be running on the server: let them finish
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const user of [...this.busy]) {
      const now = timestamp(user.clockMs + 3000 * 1000);
      const active = await expectStatus(baseUrl, 200, { path: '/api/v1/sessions/active', token: user.token, now });
      const running = active.json<{ data: { id: number; elapsed_seconds: number } | null }>().data;
      if (running) {
        const ended = await send(baseUrl, {
          method: 'PATCH',
          path: `/api/v1/sessions/${running.id}/end`,
          token: user.token,
          now,
          body: { elapsed_seconds: running.elapsed_seconds, status: 'abandoned' },
        });
        // 409: a straggling request of the run ended it meanwhile, which is just as good
        if (ended.status !== 200 && ended.status !== 409) throw new Error(`settle: end answered ${ended.status} ${ended.body}`);
      }
      user.clockMs += 3600 * 1000;
      this.release(user);
    }
  }

  get size(): number {
    return this.free.length + this.busy.size;
  }
}

export async function lifecycleMix(target: Target, options: LoadOptions, pool: LifecyclePool): Promise<LoadResult> {
  if (options.warmupSeconds > 0) {
    await cannon('lifecycle (warm-up)', target, options.connections, options.warmupSeconds, pool.requests());
    await pool.settle(target.url);
  }
  const result = await cannon('lifecycle mix (start, pause, resume, end completed)', target, options.connections, options.seconds, pool.requests());
  await pool.settle(target.url);
  return result;
}

/** Starts a session for every other user, so GET /sessions/active answers both a session and null. */
export async function startHalf(baseUrl: string, users: BenchUser[]): Promise<void> {
  for (const [i, user] of users.entries()) {
    if (i % 2 === 0) {
      await expectStatus(baseUrl, 201, {
        method: 'POST',
        path: '/api/v1/sessions',
        token: user.token,
        now: timestamp(user.clockMs),
        body: { duration_seconds: LifecyclePool.DURATION },
      });
    }
  }
}

function rotating(users: BenchUser[], path: string): () => Req[] {
  let next = 0;
  return () => [
    {
      method: 'GET',
      setupRequest: (request) => {
        const user = users[next++ % users.length] as BenchUser;
        return { ...request, path, headers: { authorization: `Bearer ${user.token}` } };
      },
    },
  ];
}

export function activeSession(target: Target, options: LoadOptions, users: BenchUser[]): Promise<LoadResult> {
  return measure('GET /sessions/active', target, options, rotating(users, '/api/v1/sessions/active'));
}

export function historyPage(target: Target, options: LoadOptions, users: BenchUser[]): Promise<LoadResult> {
  return measure('GET /sessions?limit=20 (history page 1)', target, options, rotating(users, '/api/v1/sessions?limit=20'));
}

/** A sanity check before measuring: the scenario's first request succeeds. */
export async function probe(baseUrl: string, user: BenchUser): Promise<void> {
  const reply = await send(baseUrl, { path: '/api/v1/sessions/active', token: user.token });
  if (reply.status !== 200) throw new Error(`probe failed: ${reply.status} ${reply.body}`);
}
