// Servers under test run in their own processes: spawn, wait for a 200, sample RSS, stop.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNodeFlags } from '../scripts/build-server.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Milliseconds from spawn to the first 200 on the readiness path. */
  readonly startMs: number;
  /** Current resident set size in MB (from /proc/<pid>/status). */
  rssMb(): number;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the server binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

let ticksPerSecond: number | undefined;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the ")" of the command name: state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function status(url: string): Promise<number | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return null;
  }
}

export interface SpawnOptions {
  name: string;
  /** Arguments after the node executable, e.g. ['dist/src/focus.mjs']. */
  args: string[];
  env: Record<string, string>;
  port: number;
  readyPath: string;
  /** Where the child's stdout (its log) goes; default: discarded. */
  logFile?: string;
  timeoutMs?: number;
}

/** Spawns `node <args>` and resolves once readyPath answers 200; rejects with the child's stderr otherwise. */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, options.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, 'pipe'],
  });
  if (typeof out === 'number') closeSync(out);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code) => {
      exited = code;
      resolve();
    });
  });

  const url = `http://127.0.0.1:${options.port}`;
  const deadline = started + (options.timeoutMs ?? 30_000);
  let startMs = Number.NaN;
  while (performance.now() < deadline) {
    if (exited !== undefined) throw new Error(`${options.name} exited with ${exited} before it was ready:\n${stderr}`);
    if ((await status(url + options.readyPath)) === 200) {
      startMs = performance.now() - started;
      break;
    }
    await sleep(5);
  }
  const pid = child.pid ?? -1;
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(killer);
  };
  if (Number.isNaN(startMs)) {
    await stop();
    throw new Error(`${options.name} did not answer 200 on ${options.readyPath} in time:\n${stderr}`);
  }
  return { name: options.name, url, pid, startMs, rssMb: () => rssMb(pid), stop };
}

/** How to run Focus: the build `npm start` runs (fairer: what production runs) or the TypeScript through tsx. */
export function focusArgs(mode: 'dist' | 'tsx', build?: string): string[] {
  if (mode === 'dist' || build !== undefined) {
    // The one-file bundle of scripts/build-server.ts. BENCH_FOCUS_ENTRY: another build of Focus (e.g. a
    // git worktree of an older commit, or its dist/src/server.js) for before/after figures; `build`:
    // the baseline's (bench/baseline.ts)
    const entry = build ?? process.env.BENCH_FOCUS_ENTRY ?? join(ROOT, 'dist/src/focus.mjs');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    return [...startNodeFlags(), entry];
  }
  return ['--import', 'tsx', join(ROOT, 'src/server.ts')];
}

/** The bench's own helper servers are TypeScript run through tsx (compiled once at start). */
export function benchServerArgs(file: string): string[] {
  return ['--import', 'tsx', join(ROOT, 'bench', file)];
}

/** Samples a process's RSS every intervalMs until stopped; returns the peak. */
export function sampleRss(pid: number, intervalMs = 200): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const now = rssMb(pid);
      return Number.isNaN(now) ? peak : Math.max(peak, now);
    },
  };
}
