// The PostgreSQL reference point: a bare Fastify route doing one UPDATE through pg (own process).
// DATABASE_URL points at the bench schema, where bench/postgres.ts created bench_counters.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
pool.on('error', () => {});
const app = Fastify({ logger: false });

app.get('/ready', async () => {
  await pool.query('select 1');
  return { success: true, message: 'ready', data: null };
});

app.patch<{ Params: { id: string } }>('/counters/:id', async (request) => {
  const result = await pool.query<{ id: number; n: number; updated_at: string }>(
    'update bench_counters set n = n + 1, updated_at = $2 where id = $1 returning id, n, updated_at',
    [Number(request.params.id), new Date().toISOString()],
  );
  return { success: true, message: 'counter bumped', data: result.rows[0] ?? null };
});

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
process.on('SIGTERM', () => {
  app.close().then(
    () => pool.end().then(() => process.exit(0)),
    () => process.exit(1),
  );
});
