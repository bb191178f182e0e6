// Keeps `npm run bench` from rotting: the whole harness, end to end, at toy sizes. No timing
// assertions here (performance targets live in the bench); only that every piece runs and that the
// load it generates is valid API traffic (no errors).
import { describe, expect, it } from 'vitest';
import { buildBaseline } from '../bench/baseline.js';
import { type BenchOptions, formatReport, runBench } from '../bench/run.js';

const options: BenchOptions = {
  load: { connections: 2, seconds: 1, warmupSeconds: 0 },
  users: 3,
  focus: 'tsx',
  logLevel: 'warn',
  ...(process.env.TEST_DATABASE_URL ? { postgresUrl: process.env.TEST_DATABASE_URL } : {}),
  scale: { bigHistory: 300, smallHistory: 10, manyBadges: 40, samples: 2, historyPage: 5000, pageSize: 20 },
  ceilings: true,
  sqliteSynchronous: 'full',
  // the committed tree as the "before" build: the path that measures a change against its revision
  baseline: buildBaseline('HEAD', () => {}),
  coldStarts: 1,
  print: () => {},
};

describe('the benchmark harness', () => {
  it('drives the bare server and every Focus scenario without a single error and reports every target', { timeout: 240_000 }, async () => {
    const report = await runBench(options);

    expect(report.bare.requests).toBeGreaterThan(0);
    expect(report.bare.errors).toBe(0);
    expect(report.ceilings.map((c) => c.result.name)).toEqual([
      'bare Fastify, small JSON',
      'bare Fastify, small JSON, one log line per request',
      'bare Fastify + SQLite, one UPDATE, synchronous=full',
      'bare Fastify + SQLite, one UPDATE, synchronous=normal',
    ]);
    for (const { result, ratio } of report.ceilings) {
      expect(result.requests, result.name).toBeGreaterThan(0);
      expect(result.errors, result.name).toBe(0);
      expect(Number.isFinite(ratio)).toBe(true);
    }
    expect(report.databases.map((d) => d.dialect)).toEqual(options.postgresUrl ? ['sqlite', 'postgres'] : ['sqlite']);
    for (const database of report.databases) {
      expect(database.scenarios).toHaveLength(3);
      for (const { result, ratio } of database.scenarios) {
        expect(result.requests, result.name).toBeGreaterThan(0);
        expect(result.errors, result.name).toBe(0);
        expect(Number.isFinite(ratio)).toBe(true);
      }
      expect(database.reference.requests).toBeGreaterThan(0);
      expect(database.peakRssMb).toBeGreaterThan(0);
      expect(database.coldStartMs).toHaveLength(1);
      // end and month summary vs history size, deep page vs first page, many badge definitions vs the default catalogue
      expect(database.scale.map((s) => Number.isFinite(s.ratio))).toEqual([true, true, true, true]);
      expect(database.baseline).toHaveLength(3);
      for (const before of database.baseline ?? []) {
        expect(before.requests, before.name).toBeGreaterThan(0);
        expect(before.errors, before.name).toBe(0);
      }
      const checks = database.checks.map((c) => c.name);
      expect(checks).toContain('errors (all Focus scenarios)');
      expect(checks).toContain('lifecycle p99');
      if (database.dialect === 'sqlite') {
        expect(checks).toContain('lifecycle mix req/s vs bare Fastify + SQLite, one UPDATE, synchronous=full');
        expect(checks.some((name) => name.startsWith('lifecycle server CPU µs/req vs before'))).toBe(true);
      } else {
        expect(checks.some((name) => name.startsWith('lifecycle database CPU µs/req vs before'))).toBe(true);
      }
    }
    const text = formatReport(report);
    expect(text).toContain('lifecycle mix');
    expect(text).toContain('lifecycle mix (start, pause, resume, end completed), before: ');
    expect(text).toContain('history page 15 vs page 1');
    expect(text).toContain('month summary, history 300 vs 10');
  });
});
