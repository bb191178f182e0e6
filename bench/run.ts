// npm run bench: Focus against bare reference servers, measured in one run with one load client.
// Focus on SQLite always, on PostgreSQL too when TEST_DATABASE_URL is set. See docs/performance.md.
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { type Baseline, buildBaseline } from './baseline.js';
import { type BenchUser, registerUsers } from './client.js';
import { type BenchDatabase, postgresDatabase, sqliteDatabase, tempDir } from './databases.js';
import {
  LifecyclePool,
  type LoadOptions,
  type LoadResult,
  activeSession,
  bareCounterUpdate,
  bareGet,
  bareHttp,
  barePgUpdate,
  historyPage,
  lifecycleMix,
  startHalf,
} from './load.js';
import { type DatabaseCpuMeter, type MeteredResult, databaseCpuMeter, withApplicationName, withDatabaseCpu } from './pg-cpu.js';
import { type ServerProcess, benchServerArgs, focusArgs, freePort, sampleRss, spawnServer } from './processes.js';
import { type ScaleOptions, type ScaleRatio, measureScale, seedBadgeDefinitions } from './scale.js';

export interface BenchOptions {
  load: LoadOptions;
  users: number;
  focus: 'dist' | 'tsx';
  /** Focus's LOG_LEVEL during the run (info is the production default). */
  logLevel: string;
  postgresUrl?: string;
  scale: ScaleOptions | null;
  /** Also measure the stack's ceilings (bare-fastify-server.ts): no targets, a yardstick for the ratios. */
  ceilings: boolean;
  /** SQLITE_SYNCHRONOUS for Focus on SQLite (and the bare SQLite ceiling it is held to). */
  sqliteSynchronous: 'full' | 'normal';
  /** BENCH_BASELINE: an earlier revision whose scenarios run in the same run (bench/baseline.ts). */
  baseline: Baseline | null;
  coldStarts: number;
  print: (line: string) => void;
}

export interface Check {
  name: string;
  value: number;
  unit: string;
  limit: number;
  /** 'min': value must be >= limit; 'max': value must be < limit. */
  kind: 'min' | 'max';
  pass: boolean;
}

export interface DatabaseReport {
  dialect: 'sqlite' | 'postgres';
  reference: LoadResult;
  /** PostgreSQL: each with its database backends' CPU per request (bench/pg-cpu.ts). */
  scenarios: { result: MeteredResult; ratio: number }[];
  /** The baseline revision's lifecycle, active and history scenarios, when BENCH_BASELINE is set. */
  baseline?: MeteredResult[];
  peakRssMb: number;
  coldStartMs: number[];
  scale: ScaleRatio[];
  checks: Check[];
}

export interface BenchReport {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
  options: Omit<BenchOptions, 'print' | 'postgresUrl' | 'baseline'> & { postgres: boolean; baseline: string | null };
  bare: LoadResult;
  /** The stack's ceilings, each with its ratio to bare node:http. */
  ceilings: { result: LoadResult; ratio: number }[];
  databases: DatabaseReport[];
  pass: boolean;
}

function check(name: string, value: number, unit: string, limit: number, kind: 'min' | 'max'): Check {
  const pass = Number.isFinite(value) && (kind === 'min' ? value >= limit : value < limit);
  return { name, value, unit, limit, kind, pass };
}

function focusEnv(url: string, options: BenchOptions): Record<string, string> {
  return {
    NODE_ENV: 'development',
    DATABASE_URL: url,
    LOG_LEVEL: options.logLevel,
    FOCUS_TEST_CLOCK: '1',
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_RATE_LIMIT_PER_MINUTE: '0',
    // the run takes minutes; tokens registered at its start must not expire during it
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    SQLITE_SYNCHRONOUS: options.sqliteSynchronous,
  };
}

async function spawnFocus(name: string, database: BenchDatabase, options: BenchOptions, logDir: string, build?: string): Promise<ServerProcess> {
  return spawnServer({
    name,
    // e.g. BENCH_FOCUS_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under load
    args: [...(process.env.BENCH_FOCUS_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...focusArgs(options.focus, build)],
    env: focusEnv(database.url, options),
    port: await freePort(),
    readyPath: '/readyz',
    logFile: join(logDir, `${name}.log`),
  });
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function loadTable(rows: { result: MeteredResult; ratio?: number; reference?: string }[]): string[] {
  const database = rows.some((row) => row.result.databaseCpuUsPerRequest !== undefined);
  const lines = [
    `| scenario | req/s | p50 ms | p99 ms | errors | ratio | server CPU µs/req |${database ? ' database CPU µs/req |' : ''}`,
    `|---|---:|---:|---:|---:|---:|---:|${database ? '---:|' : ''}`,
  ];
  for (const { result, ratio, reference } of rows) {
    const r = ratio === undefined ? (reference ?? 'reference') : fmt(ratio, 2);
    const databaseCpu = database ? ` ${result.databaseCpuUsPerRequest === undefined ? '' : fmt(result.databaseCpuUsPerRequest, 0)} |` : '';
    lines.push(
      `| ${result.name} | ${fmt(result.rps, 0)} | ${fmt(result.p50, 1)} | ${fmt(result.p99, 1)} | ${result.errors} | ${r} | ${fmt(result.cpuUsPerRequest, 0)} |${databaseCpu}`,
    );
  }
  return lines;
}

/** The SQLite ceiling with Focus's durability setting: the reference of the group-commit target (issue 16). */
function sqliteCeilingName(synchronous: 'full' | 'normal'): string {
  return `bare Fastify + SQLite, one UPDATE, synchronous=${synchronous}`;
}

/**
 * The three load scenarios on one server, in this order: the lifecycle mix, then (half the users with
 * a running session) the active session and a history page; each metered on PostgreSQL.
 */
async function loadScenarios(
  server: ServerProcess,
  users: BenchUser[],
  meter: DatabaseCpuMeter | undefined,
  load: LoadOptions,
): Promise<[lifecycle: MeteredResult, active: MeteredResult, history: MeteredResult]> {
  const lifecycle = await withDatabaseCpu(meter, load, (options) => lifecycleMix(server, options, new LifecyclePool(users)));
  await startHalf(server.url, users);
  const active = await withDatabaseCpu(meter, load, (options) => activeSession(server, options, users));
  const history = await withDatabaseCpu(meter, load, (options) => historyPage(server, options, users));
  return [lifecycle, active, history];
}

/** The baseline revision's three load scenarios on a database of its own, metered like Focus's. */
async function measureBaseline(
  baseline: Baseline,
  dialect: 'sqlite' | 'postgres',
  open: (label: string, migrate?: boolean) => Promise<BenchDatabase>,
  options: BenchOptions,
  workDir: string,
): Promise<MeteredResult[]> {
  // migrated by the baseline server itself: an older build refuses migrations it does not know
  const database = await open('baseline', false);
  try {
    const serverDb = dialect === 'postgres' ? { ...database, url: withApplicationName(database.url, 'focus-bench-baseline') } : database;
    const server = await spawnFocus(`focus-${dialect}-baseline`, serverDb, options, workDir, baseline.entry);
    try {
      const meter = dialect === 'postgres' ? await databaseCpuMeter(database.url, 'focus-bench-baseline') : undefined;
      try {
        const users = await registerUsers(server.url, options.users, `${dialect}-baseline`, Date.parse('2026-03-02T06:00:00Z'));
        const results = await loadScenarios(server, users, meter, options.load);
        return results.map((result) => ({ ...result, name: `${result.name}, before: ${baseline.label}` }));
      } finally {
        await meter?.close();
      }
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

async function benchDatabase(
  dialect: 'sqlite' | 'postgres',
  options: BenchOptions,
  bare: LoadResult,
  ceilings: LoadResult[],
  workDir: string,
): Promise<DatabaseReport> {
  const print = options.print;
  const open = (label: string, migrate = true) =>
    dialect === 'sqlite' ? sqliteDatabase(workDir, `${label}.db`, migrate) : postgresDatabase(options.postgresUrl as string, label, migrate);
  const cleanup: (() => Promise<void>)[] = [];
  try {
    let baselines: MeteredResult[] | undefined;
    if (options.baseline) {
      baselines = await measureBaseline(options.baseline, dialect, open, options, workDir);
      for (const b of baselines) print(`  ${dialect}: ${b.name}: ${fmt(b.rps, 0)} req/s, server CPU ${fmt(b.cpuUsPerRequest, 0)} µs/req`);
    }
    const baseline = baselines?.[0];
    // --- load ---
    const loadDb = await open('load');
    cleanup.push(() => loadDb.drop());
    const coldStartMs: number[] = [];
    for (let i = 1; i < options.coldStarts; i++) {
      const cold = await spawnFocus(`focus-${dialect}-cold${i}`, loadDb, options, workDir);
      coldStartMs.push(cold.startMs);
      await cold.stop();
    }
    // PostgreSQL: the measured server's backends are known by their application_name (bench/pg-cpu.ts)
    const serverDb = dialect === 'postgres' ? { ...loadDb, url: withApplicationName(loadDb.url, 'focus-bench-server') } : loadDb;
    const focus = await spawnFocus(`focus-${dialect}`, serverDb, options, workDir);
    cleanup.unshift(() => focus.stop());
    const meter = dialect === 'postgres' ? await databaseCpuMeter(loadDb.url, 'focus-bench-server') : undefined;
    if (meter) cleanup.push(() => meter.close());
    coldStartMs.push(focus.startMs);
    print(`  ${dialect}: Focus ready in ${fmt(focus.startMs, 0)} ms (pid ${focus.pid}); registering ${options.users} users`);

    let reference = bare;
    let referenceName = 'bare node:http';
    if (dialect === 'postgres') {
      const rows = 128;
      const client = new pg.Client({ connectionString: loadDb.url });
      await client.connect();
      await client.query('create table bench_counters (id integer primary key, n integer not null, updated_at text not null)');
      await client.query(`insert into bench_counters select g, 0, '' from generate_series(1, ${rows}) g`);
      await client.end();
      const barePg = await spawnServer({
        name: 'bare-pg',
        args: benchServerArgs('bare-pg-server.ts'),
        env: { DATABASE_URL: loadDb.url },
        port: await freePort(),
        readyPath: '/ready',
      });
      try {
        reference = await barePgUpdate(barePg, options.load, rows);
      } finally {
        await barePg.stop();
      }
      referenceName = 'bare Fastify + pg UPDATE';
      print(`  ${dialect}: reference ${referenceName}: ${fmt(reference.rps, 0)} req/s`);
    }

    const users = await registerUsers(focus.url, options.users, dialect, Date.parse('2026-03-02T06:00:00Z'));
    const rss = sampleRss(focus.pid);
    const [lifecycle, active, history] = await loadScenarios(focus, users, meter, options.load);
    const peakRssMb = rss.stop();
    const databaseCpu = (result: MeteredResult) =>
      result.databaseCpuUsPerRequest === undefined ? '' : `, database CPU ${fmt(result.databaseCpuUsPerRequest, 0)} µs/req`;
    print(`  ${dialect}: lifecycle ${fmt(lifecycle.rps, 0)} req/s, p99 ${fmt(lifecycle.p99)} ms, errors ${lifecycle.errors}${databaseCpu(lifecycle)}`);
    print(`  ${dialect}: active ${fmt(active.rps, 0)} req/s${databaseCpu(active)}`);
    print(`  ${dialect}: history ${fmt(history.rps, 0)} req/s${databaseCpu(history)}`);
    await focus.stop();
    cleanup.shift();

    // --- scale ---
    let scale: ScaleRatio[] = [];
    if (options.scale) {
      const baseDb = await open('scale');
      cleanup.push(() => baseDb.drop());
      const manyDb = await open('badges');
      cleanup.push(() => manyDb.drop());
      const seeded = await seedBadgeDefinitions(manyDb.handle, options.scale.manyBadges);
      const baseServer = await spawnFocus(`focus-${dialect}-scale`, baseDb, options, workDir);
      cleanup.unshift(() => baseServer.stop());
      let manyServer: ServerProcess | undefined;
      if (seeded) {
        manyServer = await spawnFocus(`focus-${dialect}-badges`, manyDb, options, workDir);
        cleanup.unshift(() => (manyServer as ServerProcess).stop());
      }
      print(`  ${dialect}: scale cases (seeding ${options.scale.bigHistory} sessions)`);
      scale = await measureScale(
        {
          base: { url: baseServer.url, handle: baseDb.handle },
          ...(manyServer ? { manyBadges: { url: manyServer.url, handle: manyDb.handle } } : {}),
        },
        options.scale,
      );
    }

    const scenarios = [lifecycle, active, history].map((result) => ({ result, ratio: result.rps / reference.rps }));
    const checks: Check[] = [];
    if (dialect === 'sqlite') {
      checks.push(check('lifecycle mix req/s vs bare node:http', scenarios[0]?.ratio ?? Number.NaN, 'x', 0.35, 'min'));
      checks.push(check('GET /sessions/active req/s vs bare node:http', scenarios[1]?.ratio ?? Number.NaN, 'x', 0.6, 'min'));
      const ceiling = ceilings.find((c) => c.name === sqliteCeilingName(options.sqliteSynchronous));
      if (ceiling) checks.push(check(`lifecycle mix req/s vs ${ceiling.name}`, lifecycle.rps / ceiling.rps, 'x', 1, 'min'));
      if (baseline) checks.push(check(`lifecycle server CPU µs/req vs before (${options.baseline?.label})`, lifecycle.cpuUsPerRequest / baseline.cpuUsPerRequest, 'x', 0.6, 'max'));
    } else {
      checks.push(check('lifecycle mix req/s vs bare Fastify + pg UPDATE', scenarios[0]?.ratio ?? Number.NaN, 'x', 0.5, 'min'));
      if (baseline?.databaseCpuUsPerRequest !== undefined && lifecycle.databaseCpuUsPerRequest !== undefined) {
        checks.push(
          check(`lifecycle database CPU µs/req vs before (${options.baseline?.label})`, lifecycle.databaseCpuUsPerRequest / baseline.databaseCpuUsPerRequest, 'x', 0.6, 'max'),
        );
      }
    }
    checks.push(check('lifecycle p99', lifecycle.p99, 'ms', 15, 'max'));
    checks.push(check('errors (all Focus scenarios)', lifecycle.errors + active.errors + history.errors, '', 1, 'max'));
    checks.push(check('peak RSS under load', peakRssMb, 'MB', 200, 'max'));
    checks.push(check('cold start to 200 on /readyz (slowest)', Math.max(...coldStartMs), 'ms', 1500, 'max'));
    for (const s of scale) {
      if (Number.isFinite(s.ratio)) checks.push(check(s.name, s.ratio, 'x', s.limit, 'max'));
    }
    return { dialect, reference, scenarios, ...(baselines ? { baseline: baselines } : {}), peakRssMb, coldStartMs, scale, checks };
  } finally {
    for (const step of cleanup) await step().catch(() => {});
  }
}

export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(`Focus bench, ${report.startedAt}: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}`);
  const o = report.options;
  lines.push(
    `${o.load.connections} connections, ${o.load.seconds} s measured after ${o.load.warmupSeconds} s warm-up per scenario, ` +
      `${o.users} users, Focus from ${o.focus}, LOG_LEVEL=${o.logLevel}`,
  );
  lines.push('');
  lines.push(...loadTable([{ result: report.bare }]));
  if (report.ceilings.length) {
    lines.push('', '### The stack\'s ceilings (no targets: what Focus\'s ratios would be if its own work cost nothing)', '');
    lines.push(...loadTable(report.ceilings));
    lines.push('(ratio: req/s over bare node:http)');
  }
  for (const db of report.databases) {
    lines.push('', `### ${db.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, '');
    const rows: { result: LoadResult; ratio?: number; reference?: string }[] = [];
    if (db.dialect === 'postgres') rows.push({ result: db.reference });
    // each scenario after its baseline's, when there is one
    db.scenarios.forEach((s, i) => {
      const before = db.baseline?.[i];
      if (before) rows.push({ result: before, ratio: before.rps / db.reference.rps });
      rows.push({ result: s.result, ratio: s.ratio });
    });
    lines.push(...loadTable(rows));
    lines.push(`(ratio: req/s over ${db.dialect === 'sqlite' ? 'bare node:http' : 'bare Fastify + pg UPDATE'})`);
    lines.push('', `peak RSS ${fmt(db.peakRssMb)} MB; cold start to /readyz 200: ${db.coldStartMs.map((x) => fmt(x, 0)).join(', ')} ms`);
    if (db.scale.length) {
      lines.push('', '| scale case | base | case | ratio | limit |', '|---|---:|---:|---:|---:|');
      for (const s of db.scale) {
        lines.push(
          s.note
            ? `| ${s.name} | | | ${s.note} | ${s.limit} |`
            : `| ${s.name} | ${s.baseLabel}: ${fmt(s.baseMs, 2)} ms | ${s.caseLabel}: ${fmt(s.caseMs, 2)} ms | ${fmt(s.ratio, 2)} | ${s.limit} |`,
        );
      }
    }
    lines.push('', '| target | value | limit | |', '|---|---:|---:|---|');
    for (const c of db.checks) {
      lines.push(`| ${c.name} | ${fmt(c.value, c.unit === 'x' ? 2 : 1)}${c.unit === 'x' ? '' : ' ' + c.unit} | ${c.kind === 'min' ? '>=' : '<'} ${c.limit} | ${c.pass ? 'PASS' : 'FAIL'} |`);
    }
  }
  lines.push('', report.pass ? 'all targets met' : 'some targets NOT met');
  return lines.join('\n');
}

/**
 * The cheapest servers Focus's stack can make (bench/bare-fastify-server.ts), each in its own process:
 * what Focus's ratios to bare node:http can at most be before Focus does any work of its own.
 */
async function measureCeilings(options: BenchOptions, workDir: string): Promise<LoadResult[]> {
  const rows = 128;
  const cases = [
    { name: 'bare Fastify, small JSON', mode: 'json', env: {} },
    { name: 'bare Fastify, small JSON, one log line per request', mode: 'json-log', env: {} },
    ...(['full', 'normal'] as const).map((synchronous) => ({ name: sqliteCeilingName(synchronous), mode: 'sqlite', env: { BARE_SQLITE_SYNCHRONOUS: synchronous } })),
  ];
  const results: LoadResult[] = [];
  for (const c of cases) {
    options.print(`bench: ceiling: ${c.name} (${options.load.seconds} s)`);
    const server = await spawnServer({
      name: `bare-fastify-${c.mode}`,
      args: benchServerArgs('bare-fastify-server.ts'),
      env: { BARE_MODE: c.mode, BARE_SQLITE_FILE: join(workDir, `bare-${c.name.replace(/\W+/g, '-')}.db`), BARE_ROWS: String(rows), ...c.env },
      port: await freePort(),
      readyPath: '/',
      logFile: join(workDir, `bare-fastify-${c.mode}.log`),
    });
    try {
      results.push(c.mode === 'sqlite' ? await bareCounterUpdate(c.name, server, options.load, rows) : await bareGet(c.name, server, options.load));
    } finally {
      await server.stop();
    }
  }
  return results;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const workDir = tempDir('focus-bench-');
  try {
    options.print(`bench: bare node:http (${options.load.seconds} s)`);
    const bareServer = await spawnServer({ name: 'bare-http', args: benchServerArgs('bare-http-server.ts'), env: {}, port: await freePort(), readyPath: '/' });
    let bare: LoadResult;
    try {
      bare = await bareHttp(bareServer, options.load);
    } finally {
      await bareServer.stop();
    }
    options.print(`  bare node:http: ${fmt(bare.rps, 0)} req/s`);
    const ceilings = options.ceilings ? await measureCeilings(options, workDir) : [];
    const databases: DatabaseReport[] = [];
    databases.push(await benchDatabase('sqlite', options, bare, ceilings, workDir));
    if (options.postgresUrl) databases.push(await benchDatabase('postgres', options, bare, ceilings, workDir));
    const { print: _print, postgresUrl, baseline, ...rest } = options;
    return {
      startedAt,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      options: { ...rest, postgres: Boolean(postgresUrl), baseline: baseline?.label ?? null },
      bare,
      ceilings: ceilings.map((result) => ({ result, ratio: result.rps / bare.rps })),
      databases,
      pass: databases.every((d) => d.checks.every((c) => c.pass)),
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
}

async function main(): Promise<void> {
  const options: BenchOptions = {
    load: {
      connections: envNumber('BENCH_CONNECTIONS', 32),
      seconds: envNumber('BENCH_SECONDS', 10),
      warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 3),
    },
    users: envNumber('BENCH_USERS', 128),
    focus: process.env.BENCH_FOCUS === 'tsx' ? 'tsx' : 'dist',
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    ...(process.env.TEST_DATABASE_URL ? { postgresUrl: process.env.TEST_DATABASE_URL } : {}),
    scale:
      process.env.BENCH_SCALE === '0'
        ? null
        : {
            bigHistory: envNumber('BENCH_BIG_HISTORY', 100_000),
            smallHistory: 10,
            manyBadges: 1000,
            samples: envNumber('BENCH_SCALE_SAMPLES', 200),
            historyPage: 5000,
            pageSize: 20,
          },
    ceilings: process.env.BENCH_CEILINGS !== '0',
    // read as Focus reads it: a value it would refuse stops the bench instead of running as `full`
    sqliteSynchronous: loadConfig({ SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS }).sqliteSynchronous,
    baseline: process.env.BENCH_BASELINE ? buildBaseline(process.env.BENCH_BASELINE, (line) => process.stdout.write(line + '\n')) : null,
    coldStarts: 3,
    print: (line) => process.stdout.write(line + '\n'),
  };
  if (options.users < options.load.connections) throw new Error('BENCH_USERS must be at least BENCH_CONNECTIONS');
  const report = await runBench(options);
  process.stdout.write('\n' + formatReport(report) + '\n');
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(report, null, 2));
  process.exitCode = report.pass ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  });
}
