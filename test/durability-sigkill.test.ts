// Issue 16: a SIGKILL under load loses no acknowledged write, with SQLite's group commit in either
// durability setting (SQLITE_SYNCHRONOUS=full and normal) and on PostgreSQL. A reply is sent only
// after its batch's COMMIT (src/db/sqlite-driver.ts), so the process dying between batches, or in the
// middle of one, may lose writes nobody was told about, never one that got its 2xx. The database is
// read directly after each kill (not through a server); then the server starts again on it, ready,
// and the next round puts that one under load and kills it too.
// test/reliability/crash.test.ts is the longer lifecycle crash test (default durability, checked over
// HTTP); this one is about the batches: many short writers in flight at once and the kill among them.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.js';
import { postgresEnabled } from './databases.js';
import { type ServerProcess, call, serverDatabase, startServer, stopServer } from './reliability/server-process.js';
import { type LoadUser, registerLoadUsers } from './reliability/workload.js';

/** Each user runs one session writer and one tag writer: 2 × USERS requests in flight at once. */
const USERS = 12;
/** Load and kill this many times per database, each round on the server restarted after the last. */
const ROUNDS = 2;
/** The load runs at least this long (many batches commit) ... */
const MIN_LOAD_MS = 1_000;
/** ... and until this many writes were acknowledged (bounded by MAX_LOAD_MS). */
const MIN_ACKNOWLEDGED = 150;
const MAX_LOAD_MS = 10_000;
/** Below TAG_LIMIT (100 per user): a tag writer stops there rather than be refused. */
const TAGS_PER_USER = 90;

/**
 * Published by undici (Node's fetch) as a request's headers go to its socket; the body follows later
 * (fetch streams it), so a server cannot have answered a request killed at this moment.
 */
const REQUEST_SENT = 'undici:client:sendHeaders';

const DAY0 = Date.parse('2026-03-02T06:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

type Ended = 'completed' | 'abandoned';

interface Acknowledged {
  /** session id → its owner and the state its last acknowledged write left it in */
  sessions: Map<number, { userId: number; status: 'active' | Ended; elapsed: number }>;
  /** every tag whose creation was answered 201 */
  tags: { userId: number; name: string }[];
  writes: number;
}

const noneAcknowledged = (): Acknowledged => ({ sessions: new Map(), tags: [], writes: 0 });

interface Load {
  acknowledged: Acknowledged;
  /** requests sent and not yet settled */
  pending: number;
  /** requests sent before the kill that never got an answer */
  lost: number;
  /** answers other than the expected 2xx (a bug in the server or the test, never tolerated) */
  unexpected: string[];
  killed: boolean;
  /** Runs as each acknowledgement is recorded: it arms the kill (loadAndKill). */
  onAcknowledged: () => void;
}

function acknowledge(load: Load): void {
  load.acknowledged.writes += 1;
  load.onAcknowledged();
}

/** One request of the load; null when the process died under it. */
async function send(load: Load, base: string, user: LoadUser, method: string, path: string, body: unknown, now?: number) {
  load.pending += 1;
  try {
    return await call(base, method, path, { token: user.token, body, ...(now === undefined ? {} : { now: iso(now) }) });
  } catch {
    load.lost += 1;
    return null;
  } finally {
    load.pending -= 1;
  }
}

/** Start a session, end it (two in three completed, with rewards; the rest abandoned), again, until the kill. */
async function sessionWriter(load: Load, base: string, user: LoadUser): Promise<void> {
  let clock = DAY0 + user.index * 1_000;
  for (let n = 0; !load.killed; n += 1) {
    const duration = 60 + (n % 4) * 60;
    const started = await send(load, base, user, 'POST', '/api/v1/sessions', { duration_seconds: duration }, clock);
    if (!started) return;
    if (started.status !== 201) return void load.unexpected.push(`start: ${started.status} ${JSON.stringify(started.body)}`);
    const id = (started.body.data as { id: number }).id;
    load.acknowledged.sessions.set(id, { userId: user.id, status: 'active', elapsed: 0 });
    acknowledge(load);
    if (load.killed) return;

    const status: Ended = n % 3 === 2 ? 'abandoned' : 'completed';
    const elapsed = status === 'completed' ? duration : Math.floor(duration / 2);
    const ended = await send(load, base, user, 'PATCH', `/api/v1/sessions/${id}/end`, { elapsed_seconds: elapsed, status }, clock + (duration + 5) * 1000);
    if (!ended) return;
    if (ended.status !== 200) return void load.unexpected.push(`end: ${ended.status} ${JSON.stringify(ended.body)}`);
    load.acknowledged.sessions.set(id, { userId: user.id, status, elapsed });
    acknowledge(load);
    // the next one a little later, every third one the next day (day rows and streaks move too)
    clock += (duration + 30) * 1000 + (n % 3 === 2 ? 20 * 3600 * 1000 : 0);
  }
}

/** Tags with names unique to this user and writer, until the kill. */
async function tagWriter(load: Load, base: string, user: LoadUser): Promise<void> {
  for (let n = 0; n < TAGS_PER_USER && !load.killed; n += 1) {
    const name = `tag ${user.index}.${n}`;
    const created = await send(load, base, user, 'POST', '/api/v1/tags', { name });
    if (!created) return;
    if (created.status !== 201) return void load.unexpected.push(`tag: ${created.status} ${JSON.stringify(created.body)}`);
    load.acknowledged.tags.push({ userId: user.id, name });
    acknowledge(load);
  }
}

/** Reads the database the killed server left and checks every acknowledged write against it. */
async function checkStored(url: string, users: LoadUser[], acknowledged: Acknowledged): Promise<void> {
  const handle = connect(url);
  try {
    const ids = users.map((user) => user.id);
    const sessions = await handle.db
      .selectFrom('focus_sessions')
      .select(['id', 'user_id', 'status', 'elapsed_seconds'])
      .where('user_id', 'in', ids)
      .execute();
    const stored = new Map(sessions.map((row) => [row.id, row]));
    for (const [id, want] of acknowledged.sessions) {
      const row = stored.get(id);
      expect(row, `session ${id} was acknowledged (${want.status}) but is not stored`).toBeDefined();
      expect(row!.user_id).toBe(want.userId);
      // a start acknowledged as active may have been ended by a write whose reply the kill swallowed
      if (want.status !== 'active') expect({ id, status: row!.status, elapsed: row!.elapsed_seconds }).toEqual({ id, status: want.status, elapsed: want.elapsed });
    }

    const tags = await handle.db.selectFrom('tags').select(['user_id', 'name']).where('user_id', 'in', ids).execute();
    const storedTags = new Set(tags.map((tag) => `${tag.user_id}/${tag.name}`));
    const missingTags = acknowledged.tags.filter((tag) => !storedTags.has(`${tag.userId}/${tag.name}`));
    expect(missingTags, 'tags acknowledged 201 but not stored').toEqual([]);

    // each end's writes committed whole: a user's totals are what the stored sessions add up to
    const totals = await handle.db.selectFrom('user_totals').select(['user_id', 'sessions_completed', 'sessions_abandoned', 'focus_seconds']).where('user_id', 'in', ids).execute();
    for (const user of users) {
      const own = sessions.filter((row) => row.user_id === user.id);
      const completed = own.filter((row) => row.status === 'completed');
      const row = totals.find((t) => t.user_id === user.id);
      expect({ user: user.id, completed: row?.sessions_completed ?? 0, abandoned: row?.sessions_abandoned ?? 0, focus: row?.focus_seconds ?? 0 }).toEqual({
        user: user.id,
        completed: completed.length,
        abandoned: own.filter((r) => r.status === 'abandoned').length,
        focus: completed.reduce((sum, r) => sum + r.elapsed_seconds, 0),
      });
      expect(own.filter((r) => r.status === 'active' || r.status === 'paused').length).toBeLessThanOrEqual(1);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Every user's two writers against `server` until MIN_LOAD_MS have passed and MIN_ACKNOWLEDGED writes
 * were answered; then SIGKILL, no drain, the moment the next request starts out on its socket
 * (undici's diagnostics channel says when): right after a reply, so its batch's COMMIT must already
 * have happened, and with at least that request surely unanswered. The writers stop sending;
 * whatever is in flight dies with the process.
 */
async function loadAndKill(server: ServerProcess, users: LoadUser[]) {
  const load: Load = { acknowledged: noneAcknowledged(), pending: 0, lost: 0, unexpected: [], killed: false, onAcknowledged: () => {} };
  const began = Date.now();
  let armed = false;
  let killedBy: 'a request starting' | 'the deadline' | 'the writers stopping' | undefined;
  let inFlight = 0;
  let loadMs = 0;
  const kill = (by: NonNullable<typeof killedBy>) => {
    if (load.killed) return;
    load.killed = true;
    killedBy = by;
    inFlight = load.pending;
    loadMs = Date.now() - began;
    server.child.kill('SIGKILL');
  };
  load.onAcknowledged = () => {
    if (Date.now() - began >= MIN_LOAD_MS && load.acknowledged.writes >= MIN_ACKNOWLEDGED) armed = true;
  };
  const onSent = (message: unknown) => {
    if (armed && (message as { request?: { origin?: string } }).request?.origin === server.base) kill('a request starting');
  };
  subscribe(REQUEST_SENT, onSent);
  const deadline = setTimeout(() => kill('the deadline'), MAX_LOAD_MS);
  try {
    await Promise.all(users.flatMap((user) => [sessionWriter(load, server.base, user), tagWriter(load, server.base, user)]));
  } finally {
    clearTimeout(deadline);
    unsubscribe(REQUEST_SENT, onSent);
  }
  kill('the writers stopping'); // only after an unexpected answer stopped every writer
  const { signal } = await server.exited;
  return { ...load, killedBy, inFlight, loadMs, signal };
}

const cases = [
  { name: 'SQLite, SQLITE_SYNCHRONOUS=full', dialect: 'sqlite', env: { SQLITE_SYNCHRONOUS: 'full' } },
  { name: 'SQLite, SQLITE_SYNCHRONOUS=normal', dialect: 'sqlite', env: { SQLITE_SYNCHRONOUS: 'normal' } },
  { name: 'PostgreSQL', dialect: 'postgres', env: {} },
] as const;

describe.each(cases)('SIGKILL under write load on $name', ({ dialect, env }) => {
  it.skipIf(dialect === 'postgres' && !postgresEnabled)(`loses no acknowledged write in ${ROUNDS} rounds, and the server starts again on the database`, { timeout: 60_000 }, async () => {
    const database = await serverDatabase(dialect);
    const servers: ServerProcess[] = [];
    const start = async () => {
      const server = await startServer({ DATABASE_URL: database.url, ...env });
      servers.push(server);
      expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
      return server;
    };
    try {
      const everyone: LoadUser[] = [];
      const acknowledged = noneAcknowledged();
      for (let round = 1; round <= ROUNDS; round += 1) {
        const server = await start();
        const users = await registerLoadUsers(server.base, USERS, `sigkill-${dialect}-${round}-${Date.now()}`);
        everyone.push(...users);
        const load = await loadAndKill(server, users);

        expect(load.unexpected).toEqual([]);
        expect(load.killedBy).toBe('a request starting');
        expect(load.signal).toBe('SIGKILL');
        expect(load.inFlight).toBeGreaterThan(0);
        expect(load.lost, 'requests in flight at the kill that got no answer').toBeGreaterThan(0);
        expect(load.acknowledged.writes).toBeGreaterThanOrEqual(MIN_ACKNOWLEDGED);
        console.info(
          `[durability-sigkill] ${dialect} ${JSON.stringify(env)} round ${round}: ${load.acknowledged.writes} writes acknowledged ` +
            `(${load.acknowledged.sessions.size} sessions, ${load.acknowledged.tags.length} tags) in ${load.loadMs} ms; ` +
            `${load.inFlight} in flight at the kill, ${load.lost} unanswered`,
        );

        // this round's writes, and every earlier round's still
        for (const [id, session] of load.acknowledged.sessions) acknowledged.sessions.set(id, session);
        acknowledged.tags.push(...load.acknowledged.tags);
        acknowledged.writes += load.acknowledged.writes;
        await checkStored(database.url, everyone, acknowledged);
      }

      // recovery after the last kill: ready, and it takes a write
      const last = await start();
      const after = await call(last.base, 'POST', '/api/v1/tags', { token: everyone[0]!.token, body: { name: 'after the restart' } });
      expect(after.status).toBe(201);
    } finally {
      for (const server of servers) await stopServer(server);
      await database.drop();
    }
  });
});
