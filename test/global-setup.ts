// Says once, visibly, whether the PostgreSQL half of the suite runs; on PostgreSQL, names the run
// and drops its schemas when it ends.
import { randomBytes } from 'node:crypto';
import { RUN_ENV, dropRunSchemas } from './pg-schema.js';

export default function setup(): (() => Promise<void>) | undefined {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (!pgUrl) {
    process.stdout.write(
      '\n[focus] TEST_DATABASE_URL is not set: PostgreSQL tests are SKIPPED; only SQLite runs. ' +
        'Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (as .ci/run does) to run both.\n\n',
    );
    return undefined;
  }
  // The test processes are forked after this and inherit the run's name.
  const run = randomBytes(4).toString('hex');
  process.env[RUN_ENV] = run;
  return () => dropRunSchemas(pgUrl, run);
}
