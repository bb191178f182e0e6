// Real server processes for the crash, two-instance and shutdown tests: spawn, wait until ready, kill.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildServerBundle, startNodeFlags } from '../../scripts/build-server.js';
import { createPgSchema } from '../pg-schema.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** Two levels below the root, like dist/src/: the bundle finds web/dist and node_modules from here too. */
const BUNDLES = join(ROOT, 'dist/test-bundles');

let bundle: Promise<string> | undefined;

/**
 * The server as `npm start` runs it (the one-file bundle of scripts/build-server.ts), built from the
 * current sources once per test file (about a second), never a stale dist/. Named by its content:
 * test files running in parallel share it, and an older one left by edited sources is removed.
 */
export function serverBundle(): Promise<string> {
  bundle ??= (async () => {
    const { outputFiles } = await buildServerBundle({ outfile: join(BUNDLES, 'focus.mjs'), sourcemap: false, write: false });
    const code = outputFiles!.find((file) => file.path.endsWith('.mjs'))!.contents;
    const file = join(BUNDLES, `focus-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    try {
      utimesSync(file, new Date(), new Date()); // already there: in use, not one to remove below
    } catch {
      mkdirSync(BUNDLES, { recursive: true });
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, code);
      renameSync(partial, file); // atomic: a server started by another test file never reads half of it
    }
    for (const name of readdirSync(BUNDLES)) {
      const other = join(BUNDLES, name);
      const age = Date.now() - (statSync(other, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (other !== file && age > 3_600_000) rmSync(other, { force: true });
    }
    return file;
  })();
  return bundle;
}

/** A port that was free a moment ago (the server is told to use it: no log parsing needed). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ServerProcess {
  readonly base: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const entry = await serverBundle();
  const port = await freePort();
  const child = spawn(process.execPath, [...startNodeFlags(), entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      FOCUS_TEST_CLOCK: '1',
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`the server exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready within 30 s:\n${output}`);
    }
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, child, output: () => output, exited };
}

export async function stopServer(server: ServerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill(signal);
  await server.exited;
}

export interface ServerDatabase {
  name: 'sqlite' | 'postgres';
  /** DATABASE_URL for the server process. */
  url: string;
  /** The SQLite file, for checks on it. */
  file?: string;
  drop(): Promise<void>;
}

/** An empty database for server processes (they migrate it at startup): a SQLite file or a PostgreSQL schema. */
export async function serverDatabase(name: 'sqlite' | 'postgres'): Promise<ServerDatabase> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'focus-proc-'));
    const file = join(dir, 'focus.db');
    return { name, url: `sqlite:${file}`, file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const own = await createPgSchema(admin, 'focus_proc');
  return { name, url: own.url, drop: own.drop };
}

/** JSON over HTTP to a server process; throws on a network failure (e.g. the process died). */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; now?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: { success: boolean; data?: unknown; error?: { code: string }; meta?: unknown } & Record<string, unknown> }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.now) headers['x-test-now'] = options.now;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}
