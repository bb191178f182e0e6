// npm run migrate: apply every pending migration to DATABASE_URL and exit.
import { ConfigError, loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatestOrThrow } from '../src/db/migrate.js';

try {
  const config = loadConfig();
  const database = connect(config.databaseUrl, { synchronous: config.sqliteSynchronous });
  try {
    const applied = await migrateToLatestOrThrow(database.db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(`focus migrate: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
