// The npm package: `npm pack`, `npm install --omit=dev` of the tarball into an empty folder (from the
// npm registry, native addons built there), then the `focus` command as a deployment runs it: migrate,
// badges import and serve, on SQLite and on PostgreSQL.
//
// The package is packed from a staging folder holding what `npm pack` in the checkout takes (its
// package.json and README, the server bundle as `npm run build` writes it, the web client built by
// the same vite configuration), because the checkout's prepack would rebuild dist/ and web/dist in
// place while other test files read them. Slow (the install compiles better-sqlite3 when no prebuilt
// binary can be downloaded): its own vitest project, part of `npm test`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerBundle } from '../scripts/build-server.js';
import { testDatabases } from './databases.js';
import { buildWebClient } from './e2e/harness.js';
import { type ServerDatabase, call, serverDatabase } from './reliability/server-process.js';

const ROOT = resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const MINUTE = 60_000;

let dir: string;
let installed: string;

/** The environment without the npm_* variables of the npm running this test (they name the checkout). */
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

/** The environment of a deployment: no test clock, nothing inherited from the test run but the basics. */
function deployEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env };
}

function focus(args: string[], env: Record<string, string>) {
  return run('npx', ['--no-install', 'focus', ...args], { cwd: installed, env: deployEnv(env) });
}

/** The files of the staging folder that `npm pack` of the checkout would take. */
async function stage(into: string): Promise<void> {
  mkdirSync(into);
  for (const file of ['package.json', 'README.md']) copyFileSync(join(ROOT, file), join(into, file));
  // Built for dist/src/ of the checkout, byte for byte what `npm run build` writes there.
  const { outputFiles } = await buildServerBundle({ write: false });
  for (const file of outputFiles!) {
    const target = join(into, relative(ROOT, file.path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
  await buildWebClient(join(into, 'web/dist'));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'focus-package-'));
  await stage(join(dir, 'stage'));
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: join(dir, 'stage'), env: npmEnv });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  expect(packed!.files.map((file) => file.path).sort()).toEqual(
    expect.arrayContaining(['README.md', 'dist/src/focus.mjs', 'dist/src/focus.mjs.map', 'package.json', 'web/dist/index.html']),
  );
  // what runs and nothing else: no sources, tests or tsc output
  expect(packed!.files.filter((file) => !/^(README\.md|package\.json|dist\/src\/focus\.mjs(\.map)?|web\/dist\/.+)$/.test(file.path))).toEqual([]);

  installed = join(dir, 'deploy');
  mkdirSync(installed);
  // allowScripts: npm asks a project to name the packages whose install scripts may run (better-sqlite3 builds its addon)
  writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'focus-deployment', private: true, allowScripts: { 'better-sqlite3': true } }));
  await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', join(dir, packed!.filename)], {
    cwd: installed,
    env: { ...npmEnv, NODE_ENV: 'production' },
    maxBuffer: 64 * 1024 * 1024,
  });
}, 30 * MINUTE);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the installed package', () => {
  it('installs the focus command and no development dependency', () => {
    expect(readdirSync(join(installed, 'node_modules/.bin'))).toContain('focus');
    const modules = readdirSync(join(installed, 'node_modules'));
    for (const dev of ['typescript', 'vitest', 'esbuild', 'vite', 'tsx']) expect(modules, dev).not.toContain(dev);
  });

  it('prints its usage for an unknown command, exit code 2', async () => {
    const failed = await focus(['frobnicate'], {}).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain('usage: focus [serve]');
  });
});

describe.each(testDatabases.map((d) => d.name))('npx focus on %s', (dialect) => {
  let database: ServerDatabase;
  let server: ChildProcess | undefined;
  let serverPid: number | undefined;
  beforeAll(async () => {
    database = await serverDatabase(dialect);
  });
  afterAll(async () => {
    // npx does not pass signals on to the command it runs: the server is signalled by its own pid
    for (const pid of [serverPid, server?.pid]) {
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await database?.drop();
  });

  it('migrates, imports badges, serves the API, the docs and the web client, and stops on SIGTERM', { timeout: 3 * MINUTE }, async () => {
    const env = { DATABASE_URL: database.url };
    const migrated = await focus(['migrate'], env);
    expect(migrated.stdout).toMatch(/^applied: 0001_accounts, /);
    expect((await focus(['migrate'], env)).stdout).toBe('database is up to date\n');

    const badges = join(dir, `badges-${dialect}.json`);
    const badge = { code: 'sessions_250', name: 'Quarter Thousand', description: 'Complete 250 focus sessions.', criteria: { type: 'total_sessions', threshold: 250 } };
    writeFileSync(badges, JSON.stringify([badge]));
    expect((await focus(['badges', 'import', badges], env)).stdout).toBe(`badges:import: 1 added, 0 updated from ${badges}\n`);

    const child = spawn('npx', ['--no-install', 'focus', 'serve'], { cwd: installed, env: deployEnv({ ...env, PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const deadline = Date.now() + MINUTE;
    let base: string | undefined;
    while (!(base = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1])) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no listening line:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(output).toContain(`web client ${base}/, API docs ${base}/docs, API ${base}/api/v1`);
    const listening = JSON.parse(output.split('\n').find((line) => line.includes('Server listening at'))!) as { pid: number };
    serverPid = listening.pid;

    const ready = await call(base, 'GET', '/readyz');
    expect(ready).toMatchObject({ status: 200, body: { data: { status: 'ready', database: dialect } } });
    // swagger-ui's files are read from its package directory, found beside the installed package
    const css = await fetch(`${base}/docs/static/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect((await css.text()).length).toBeGreaterThan(10_000);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');

    const registered = await call(base, 'POST', '/api/v1/auth/register', { body: { email: `package.${dialect}@example.com`, password: 'correct horse battery' } });
    expect(registered.status).toBe(201);
    const token = (registered.body.data as { access_token: string }).access_token;
    const catalogue = await call(base, 'GET', '/api/v1/badges', { token });
    expect(catalogue.status).toBe(200);
    expect((catalogue.body.data as { code: string }[]).map((b) => b.code)).toContain('sessions_250');

    process.kill(serverPid, 'SIGTERM'); // as a process manager stops it
    expect(await exited, output).toBe(0); // npx ends with the command's exit code
    expect(output).toContain('shutting down: finishing in-flight requests');
    server = serverPid = undefined;
  });
});

