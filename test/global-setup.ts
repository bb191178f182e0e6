// Says once, visibly, whether the PostgreSQL half of the suite runs.
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL) {
    process.stdout.write(
      '\n[focus] TEST_DATABASE_URL is not set: PostgreSQL tests are SKIPPED; only SQLite runs. ' +
        'Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (as .ci/run does) to run both.\n\n',
    );
  }
}
