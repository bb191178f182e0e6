import { defineConfig } from 'vitest/config';

// The unit tests of the pure rules, alone: what `npm run test:mutation` (stryker.config.json) runs
// against each mutant. No global set-up and no database, so a run takes milliseconds.
export default defineConfig({
  test: {
    include: [
      'src/modules/*/*-rules.test.ts',
      'src/modules/sessions/history-cursor.test.ts',
      'src/time/calendar.test.ts',
    ],
  },
});
