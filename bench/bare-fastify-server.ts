// The stack's ceilings: the cheapest servers that can be built from Focus's own stack, measured by the
// same client in the same run as the bare node:http reference (own process each). Whatever Focus does
// per request (auth, validation, the session's rules, its side effects) comes on top of one of these.
//
//   BARE_MODE=json        Fastify, logger off, answering the small JSON object bare-http-server.ts answers
//   BARE_MODE=json-log    the same plus Focus's own request log line (its RequestLogController: one
//                         `request completed` line per request at info, the production default), to stdout
//   BARE_MODE=sqlite      Fastify, logger off, PATCH /counters/:id doing one UPDATE … RETURNING through
//                         better-sqlite3 on BARE_SQLITE_FILE (WAL, synchronous from BARE_SQLITE_SYNCHRONOUS:
//                         full, Focus's default, or normal): the SQLite counterpart of bare-pg-server.ts
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { RequestLogController } from '../src/plugins/request-log.js';

const mode = process.env.BARE_MODE ?? 'json';
const body = { success: true, message: 'ok', data: { status: 'ok' } };
const app = Fastify(
  mode === 'json-log' ? { logger: { level: 'info' }, logController: new RequestLogController({ requestIdLogLabel: 'request_id' }) } : { logger: false },
);

if (mode === 'sqlite') {
  const file = process.env.BARE_SQLITE_FILE;
  if (!file) throw new Error('BARE_SQLITE_FILE is required with BARE_MODE=sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // read as Focus reads SQLITE_SYNCHRONOUS (full unless set; anything but full or normal is refused)
  db.pragma(`synchronous = ${loadConfig({ SQLITE_SYNCHRONOUS: process.env.BARE_SQLITE_SYNCHRONOUS }).sqliteSynchronous}`);
  const rows = Number(process.env.BARE_ROWS ?? 128);
  db.exec('create table if not exists bench_counters (id integer primary key, n integer not null, updated_at text not null)');
  const insert = db.prepare("insert or ignore into bench_counters values (?, 0, '')");
  db.transaction(() => {
    for (let id = 1; id <= rows; id++) insert.run(id);
  })();
  const bump = db.prepare('update bench_counters set n = n + 1, updated_at = ? where id = ? returning id, n, updated_at');
  app.patch<{ Params: { id: string } }>('/counters/:id', async (request) => ({
    success: true,
    message: 'counter bumped',
    data: bump.get(new Date().toISOString(), Number(request.params.id)) ?? null,
  }));
  app.addHook('onClose', (_instance, done) => {
    db.close();
    done();
  });
}

app.get('/', async () => body);

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
process.on('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
