// Process entry: configuration, database, migrations, listen, and a clean close on signals.
import { buildApp, webClientRoot } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { connect } from './db/connect.js';
import { migrateToLatestOrThrow } from './db/migrate.js';

/** The startup line: where to point a browser, the docs and an API client (one line per address). */
function listeningText(address: string): string {
  const web = webClientRoot() ? `${address}/` : 'not built (npm run build)';
  return `Server listening at ${address}: web client ${web}, API docs ${address}/docs, API ${address}/api/v1`;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`focus: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const database = connect(config.databaseUrl, { poolMax: config.dbPoolMax, synchronous: config.sqliteSynchronous });
  await migrateToLatestOrThrow(database.db);
  const app = await buildApp(config, database);
  app.addHook('onClose', async () => database.close());

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s, exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    // close() drops the keep-alive connections idle at that moment; one busy then would otherwise
    // stay open once its response is sent, and close() would wait for the client to hang up.
    const idle = setInterval(() => app.server.closeIdleConnections(), 50);
    idle.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host, listenTextResolver: listeningText });
  if (config.testClock) app.log.warn('FOCUS_TEST_CLOCK=1: requests may set X-Test-Now (never in production)');
}

main().catch((error: unknown) => {
  process.stderr.write(`focus: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
