// The session lifecycle as load against server processes, a ledger of every operation answered 2xx,
// and the check that the database holds all of them with totals matching the stored sessions.
import { expect } from 'vitest';
import { call } from './server-process.js';

export interface LoadUser {
  index: number;
  id: number;
  token: string;
}

export interface Ledger {
  /** session id → user index, for every start answered 201 */
  starts: Map<number, number>;
  /** session id → final state, for every end answered 200 */
  ends: Map<number, { status: 'completed' | 'abandoned'; elapsed: number }>;
  /** every pause answered 200 */
  pauses: { id: number; elapsed: number }[];
  /** operations answered 2xx, and those that got no answer (the process died under them) */
  answered: number;
  unanswered: number;
}

export function newLedger(): Ledger {
  return { starts: new Map(), ends: new Map(), pauses: [], answered: 0, unanswered: 0 };
}

const DAY0 = Date.parse('2026-01-05T06:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

export async function registerLoadUsers(base: string, count: number, tag: string): Promise<LoadUser[]> {
  const users: LoadUser[] = [];
  for (let index = 0; index < count; index += 1) {
    const res = await call(base, 'POST', '/api/v1/auth/register', {
      body: { email: `load.${tag}.${index}@example.com`, password: 'load test password', timezone: index % 2 ? 'Europe/Berlin' : 'UTC' },
    });
    if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
    const data = res.body.data as { access_token: string; user: { id: number } };
    users.push({ index, id: data.user.id, token: data.access_token });
  }
  return users;
}

/**
 * One user's sessions, back to back: start → pause → resume → end (completed or abandoned), each on
 * its own virtual clock (X-Test-Now) that crosses days. Operations go round-robin over `bases`, so a
 * session started on one instance is ended on another. Stops at the first unanswered request, at
 * `maxSessions`, or when `stop()` says so.
 */
export async function runLifecycle(bases: string[], user: LoadUser, ledger: Ledger, stop: () => boolean, maxSessions: number): Promise<void> {
  let clock = DAY0 + user.index * 7_000;
  let turn = user.index;
  const next = () => bases[turn++ % bases.length]!;
  const op = async (method: string, path: string, body: unknown, at: number) => {
    try {
      const res = await call(next(), method, path, { token: user.token, body, now: iso(at) });
      if (res.status >= 200 && res.status < 300) ledger.answered += 1;
      return res;
    } catch {
      ledger.unanswered += 1;
      return null;
    }
  };
  for (let n = 0; n < maxSessions && !stop(); n += 1) {
    const completed = n % 3 !== 2;
    const duration = 60 + (n % 5) * 60;
    const started = await op('POST', '/api/v1/sessions', { duration_seconds: duration }, clock);
    if (!started) return;
    if (started.status !== 201) throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`);
    const id = (started.body.data as { id: number }).id;
    ledger.starts.set(id, user.index);

    const pausedAt = Math.floor(duration / 2);
    const paused = await op('PATCH', `/api/v1/sessions/${id}/pause`, { elapsed_seconds: pausedAt }, clock + pausedAt * 1000);
    if (!paused) return;
    if (paused.status !== 200) throw new Error(`pause answered ${paused.status}: ${JSON.stringify(paused.body)}`);
    ledger.pauses.push({ id, elapsed: pausedAt });

    const resumed = await op('PATCH', `/api/v1/sessions/${id}/resume`, undefined, clock + (pausedAt + 10) * 1000);
    if (!resumed) return;
    if (resumed.status !== 200) throw new Error(`resume answered ${resumed.status}: ${JSON.stringify(resumed.body)}`);

    const elapsed = completed ? duration : pausedAt + 5;
    const status = completed ? 'completed' : 'abandoned';
    const ended = await op('PATCH', `/api/v1/sessions/${id}/end`, { elapsed_seconds: elapsed, status }, clock + (duration + 10) * 1000);
    if (!ended) return;
    if (ended.status !== 200) throw new Error(`end answered ${ended.status}: ${JSON.stringify(ended.body)}`);
    ledger.ends.set(id, { status, elapsed });

    // the next session a little later; every fourth one the next day (streaks and day rows move)
    clock += (duration + 60) * 1000 + (n % 4 === 3 ? 20 * 3600 * 1000 : 0);
  }
}

interface SessionDto {
  id: number;
  user_id: number;
  status: string;
  elapsed_seconds: number;
}

async function history(base: string, token: string): Promise<SessionDto[]> {
  const out: SessionDto[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page += 1) {
    const res = await call(base, 'GET', `/api/v1/sessions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(res.status).toBe(200);
    out.push(...(res.body.data as SessionDto[]));
    cursor = (res.body.meta as { next_cursor: string | null }).next_cursor;
    if (!cursor) break;
  }
  return out;
}

/** Every answered operation is stored; totals equal what the stored sessions imply; one running session at most. */
export async function verifyLedger(base: string, users: LoadUser[], ledger: Ledger): Promise<{ sessions: number }> {
  let sessions = 0;
  for (const user of users) {
    const stored = await history(base, user.token);
    sessions += stored.length;
    const byId = new Map(stored.map((s) => [s.id, s]));
    for (const [id, owner] of ledger.starts) if (owner === user.index) expect(byId.has(id), `session ${id} was answered 201 but is missing`).toBe(true);
    for (const s of stored) {
      const ended = ledger.ends.get(s.id);
      if (ended) expect({ id: s.id, status: s.status, elapsed: s.elapsed_seconds }).toEqual({ id: s.id, ...ended });
    }
    for (const pause of ledger.pauses) {
      const s = byId.get(pause.id);
      if (s) expect(s.elapsed_seconds).toBeGreaterThanOrEqual(pause.elapsed);
    }
    expect(stored.filter((s) => s.status === 'active' || s.status === 'paused').length).toBeLessThanOrEqual(1);

    const completed = stored.filter((s) => s.status === 'completed');
    const stats = await call(base, 'GET', '/api/v1/stats', { token: user.token });
    expect(stats.status).toBe(200);
    expect(stats.body.data).toMatchObject({
      total_sessions_completed: completed.length,
      total_sessions_abandoned: stored.filter((s) => s.status === 'abandoned').length,
      total_focus_seconds: completed.reduce((sum, s) => sum + s.elapsed_seconds, 0),
    });
  }
  return { sessions };
}
