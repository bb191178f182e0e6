import { defineConfig } from 'vitest/config';

// The unit tests of the pure rules, alone: what `npm run test:mutation` (stryker.config.json) runs
// against each mutant. No global set-up and no database. Stryker starts a fresh Vitest worker for
// every mutant, so what a worker loads is most of the run's time (about 0.15 s of CPU each).
export default defineConfig({
  // One dependency cache per Stryker test runner process, so two never pre-bundle into one folder at once.
  cacheDir: `node_modules/.vite/mutation-${process.env.STRYKER_MUTATOR_WORKER ?? 'main'}`,
  test: {
    include: [
      'src/modules/*/*-rules.test.ts',
      'src/modules/sessions/history-cursor.test.ts',
      'src/time/calendar.test.ts',
    ],
    // The test files one mutant needs share its worker instead of starting one each.
    isolate: false,
    // TypeBox (through text-fields.ts) is 266 ES modules: loaded as one pre-bundled file, a worker
    // that needs it starts in 0.17 s of CPU instead of 0.25 s.
    deps: { optimizer: { ssr: { enabled: true, include: ['@sinclair/typebox'] } } },
  },
});
