import { configDefaults, defineConfig } from 'vitest/config';

const BENCH_SMOKE = 'test/bench-smoke.test.ts';

/** What both projects share; each adds only its name and its files. */
const shared = { testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' as const };

// `vitest run` (npm test, CI) runs both projects; `--project fast` leaves out the benchmark smoke
// test, the slowest: it starts every benchmark server and puts load on each.
export default defineConfig({
  test: {
    // Vitest runs the root's global setup once, whichever projects run.
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'fast',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, BENCH_SMOKE],
        },
      },
      { test: { ...shared, name: 'bench-smoke', include: [BENCH_SMOKE] } },
    ],
  },
});
