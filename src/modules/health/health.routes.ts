import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/connect.js';
import { migrationsApplied } from '../../db/migrate.js';
import { errorBody } from '../../envelope.js';
import { Envelope } from '../../schemas.js';

const Live = Envelope(Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false }));
const Ready = Envelope(
  Type.Object({ status: Type.Literal('ready'), database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]) }, { additionalProperties: false }),
);
const NotReady = Type.Ref('ErrorResponse', { description: 'service_unavailable: the database is not reachable or its migrations are not applied' });

export const healthRoutes: FastifyPluginAsync<{ database: DatabaseHandle }> = async (app, { database }) => {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up', response: { 200: Live } } }, async () => ({
    success: true,
    message: 'ok',
    data: { status: 'ok' },
  }));

  let migrated = false; // once applied, migrations stay applied; only the connection is rechecked
  app.get('/readyz', { schema: { tags: ['health'], summary: 'The database is reachable and migrated', response: { 200: Ready, 503: NotReady } } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(database.db);
      if (!migrated) migrated = await migrationsApplied(database.db);
      if (!migrated) return reply.code(503).send(errorBody('service_unavailable', 'database migrations are not applied'));
      return { success: true, message: 'ready', data: { status: 'ready', database: database.dialect } };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send(errorBody('service_unavailable', 'the database is not reachable'));
    }
  });
};
