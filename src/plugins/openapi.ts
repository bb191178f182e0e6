// The OpenAPI document (GET /api/v1/openapi.json, built from the routes' schemas) and swagger-ui at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorResponse } from '../schemas.js';
import { IDEMPOTENT_METHODS } from './idempotency.js';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'a retry with the same key, method, path and body within 24 hours replays the first response (Idempotent-Replayed: true)',
    }),
  ),
});

/** Before the routes: swagger collects each route's schema as it is registered. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema(ErrorResponse);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Focus API',
        version: '1.0.0',
        description: 'Sessions, daily progress, streaks and badges for focus-timer apps. Every response uses the envelope of the API contract.',
      },
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // Document the Idempotency-Key header on every route that honours it (src/plugins/idempotency.ts);
    // register, login and the password-reset request have no one to scope a key to.
    transform: ({ schema, url, route }) => {
      const methods = [route.method].flat();
      const honours = url.startsWith('/api/v1/') && !/\/auth\/(register|login|password-reset)$/.test(url) && methods.some((m) => IDEMPOTENT_METHODS.has(m));
      if (!honours || !schema || schema.hide) return { schema, url };
      return { schema: { ...schema, headers: IdempotencyHeaders }, url };
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
