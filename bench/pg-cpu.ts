// PostgreSQL's own CPU time for one server under test: the user + system time of the backends that
// serve its connections, read from /proc/<pid>/stat (the database runs on this machine). The server
// is told an application_name in its DATABASE_URL, and its backends are found by it in
// pg_stat_activity, so other clients of the same database (tests, the bench's own seeding) are not
// counted. Background processes (WAL writer, checkpointer) are not counted either: they work for
// every client at once.
import pg from 'pg';
import type { LoadOptions, LoadResult } from './load.js';
import { cpuSeconds } from './processes.js';

/** `url` with the application_name its backends will show in pg_stat_activity. */
export function withApplicationName(url: string, applicationName: string): string {
  const named = new URL(url);
  named.searchParams.set('application_name', applicationName);
  return named.toString();
}

export interface DatabaseCpu {
  /** Backend CPU seconds since the meter started. */
  seconds: number;
  /** Backends that closed while measured: their time is missing from `seconds`. */
  closedBackends: number;
}

export interface DatabaseCpuMeter {
  /** Starts (again) from now. */
  start(): Promise<void>;
  /** The backends' CPU since start(). */
  read(): Promise<DatabaseCpu>;
  close(): Promise<void>;
}

/** A meter of the CPU of the backends named `applicationName`, queried through `url`. */
export async function databaseCpuMeter(url: string, applicationName: string): Promise<DatabaseCpuMeter> {
  const client = new pg.Client({ connectionString: withApplicationName(url, 'focus-bench-cpu-meter') });
  await client.connect();
  const snapshot = async (): Promise<Map<number, number>> => {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [applicationName]);
    return new Map(rows.map(({ pid }) => [pid, cpuSeconds(pid)]));
  };
  let before = new Map<number, number>();
  return {
    async start() {
      before = await snapshot();
    },
    async read() {
      const after = await snapshot();
      let seconds = 0;
      for (const [pid, now] of after) {
        // a backend opened since start() is counted from its beginning
        const then = before.get(pid) ?? 0;
        if (Number.isFinite(now) && Number.isFinite(then)) seconds += now - then;
      }
      const closedBackends = [...before.keys()].filter((pid) => !after.has(pid)).length;
      return { seconds, closedBackends };
    },
    close: () => client.end(),
  };
}

/** A scenario's result, with PostgreSQL's backend CPU per request when it was metered. */
export type MeteredResult = LoadResult & { databaseCpuUsPerRequest?: number };

/**
 * Runs a scenario (`run` does its own warm-up when load.warmupSeconds > 0). With a meter, the warm-up
 * runs first on its own and the meter then covers the measured run only.
 */
export async function withDatabaseCpu(
  meter: DatabaseCpuMeter | undefined,
  load: LoadOptions,
  run: (load: LoadOptions) => Promise<LoadResult>,
): Promise<MeteredResult> {
  if (!meter) return run(load);
  if (load.warmupSeconds > 0) await run({ ...load, seconds: load.warmupSeconds, warmupSeconds: 0 });
  await meter.start();
  const result = await run({ ...load, warmupSeconds: 0 });
  const { seconds, closedBackends } = await meter.read();
  if (closedBackends > 0) {
    process.stderr.write(`bench: ${closedBackends} database backends closed during ${result.name}; its database CPU is not known\n`);
    return { ...result, databaseCpuUsPerRequest: Number.NaN };
  }
  return { ...result, databaseCpuUsPerRequest: (seconds * 1e6) / Math.max(1, result.requests) };
}
