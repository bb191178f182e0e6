import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

const BENCH_SMOKE = 'test/bench-smoke.test.ts';
/** npm pack, npm install of the tarball (a native addon compiled) and the installed command: minutes. */
const PACKAGE = 'test/package.test.ts';

/** What the projects share; each adds only its name and its files. */
const shared = { testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' as const };

// `vitest run` (npm test, CI) runs every project; `--project fast` leaves out the two slowest tests:
// the benchmark smoke test (it starts every benchmark server and puts load on each) and the package's.
export default defineConfig({
  test: {
    // Vitest runs the root's global setup once, whichever projects run.
    globalSetup: ['test/global-setup.ts'],
    // One test file per core (Vitest's default leaves one core free): the files mostly wait on
    // databases, Chromium and spawned servers, and CI's two cores run the suite in about half the time.
    maxWorkers: availableParallelism(),
    projects: [
      {
        test: {
          ...shared,
          name: 'fast',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, BENCH_SMOKE, PACKAGE],
        },
      },
      { test: { ...shared, name: 'bench-smoke', include: [BENCH_SMOKE] } },
      { test: { ...shared, name: 'package', include: [PACKAGE] } },
    ],
  },
});
