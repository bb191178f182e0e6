// The OpenAPI document (GET /api/v1/openapi.json, built from the routes' schemas) and swagger-ui at /docs.
//
// What holds for every route (the envelope's 503, the headers every answer carries, Idempotency-Key's
// 409 and 422, security, operationIds, tags) is written here once, after the routes' schemas are
// collected, so a route added later is documented truly without remembering to. Route-specific facts
// stay in the route schemas. npm run lint:openapi (Spectral, Redocly) and test/openapi-conformance.test.ts
// hold the result to what the server really sends.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MAX_RANGE_DAYS } from '../modules/progress/progress-rules.js';
import { ErrorResponse } from '../schemas.js';
import { IDEMPOTENT_METHODS } from './idempotency.js';
import { isUncachedApiPath } from './security.js';

export const OPENAPI_VERSION = '1.1.0';

/** The longest session (duration_seconds' maximum): elapsed time never exceeds it. */
const MAX_SESSION_SECONDS = 86400;

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'a retry with the same key, method, path and body within 24 hours replays the first response (Idempotent-Replayed: true)',
    }),
  ),
});

/** Register, login and the password-reset request have no one to scope an Idempotency-Key to. */
export function honoursIdempotencyKey(method: string, url: string): boolean {
  return url.startsWith('/api/v1/') && !/\/auth\/(register|login|password-reset)$/.test(url) && IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Operations a client may send without a body at all (no body, an empty one and {} are one body). */
const BODY_OPTIONAL = new Set(['post /api/v1/auth/logout', 'patch /api/v1/sessions/{id}/resume']);

const TAGS: Record<string, string> = {
  auth: 'Registering, signing in and out, refreshing tokens and resetting a forgotten password; no bearer token needed except to sign out',
  users: "The signed-in user's account, settings, password and data export",
  sessions: 'Focus sessions: start, pause, resume, end, relabel, history and CSV export',
  progress: 'Daily progress, statistics and week or month summaries, in the user time zone',
  streaks: 'Current and longest streaks and streak freezes',
  badges: 'Badges earned and still to earn',
  home: "Everything a client's home screen shows, in one request",
  tags: "The user's session tags",
  health: 'Liveness, readiness and Prometheus metrics for operators',
  meta: 'This document',
};

const header = (description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ description, schema });
const HEADERS = {
  RequestId: header('the id of this request, also in the server log: the caller\'s X-Request-Id when it is a sane token of at most 128 characters, else a generated one'),
  CacheControl: header('no-store: answers under /api/v1 hold private data', { type: 'string', enum: ['no-store'] }),
  RateLimitLimit: header('requests allowed in the current window of the tightest limit that applies', { type: 'integer', minimum: 0 }),
  RateLimitRemaining: header('requests left in that window', { type: 'integer', minimum: 0 }),
  RateLimitReset: header('seconds until that window starts over', { type: 'integer', minimum: 0 }),
  RetryAfter: header('seconds to wait before retrying', { type: 'integer', minimum: 1 }),
  IdempotentReplayed: header('true when this is the stored answer to an earlier request with the same Idempotency-Key', { type: 'string', enum: ['true'] }),
  WwwAuthenticate: header('Bearer: a bearer token is required', { type: 'string', examples: ['Bearer'] }),
};
// Inline rather than $ref: a header's `required` differs by response, and a $ref takes no siblings.
const ref = (name: keyof typeof HEADERS, required = false) => ({ ...HEADERS[name], required });

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { required?: boolean };
  responses: Record<string, Json & { headers?: Record<string, Json> }>;
}
interface Document {
  info: Json;
  tags?: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: Json & { schemas?: Json; headers?: Json; responses?: Json };
}

/** getUsersMe, patchSessionsByIdEnd, getSessionsExportCsv: stable, from the method and the path. */
export function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, '/')
    .split(/[/.-]+/)
    .filter(Boolean)
    .map((segment) => segment.replace(/^\{(.+)\}$/, 'by-$1'))
    .flatMap((segment) => segment.split('-'));
  return method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

const ErrorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };
const MetricsOperation = {
  tags: ['health'],
  summary: 'Prometheus metrics (text exposition format)',
  description:
    'Request counts and latency by route pattern and status, database pool figures, SQLite group-commit counters and mail failures. When METRICS_TOKEN is set, the scrape must send it as a bearer token (else 401); unset, the endpoint is open.',
  security: [{}, { metricsToken: [] }],
  responses: {
    200: { description: 'the metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
    401: { description: 'METRICS_TOKEN is set and the request did not send it', content: ErrorContent },
  },
};
const DocumentOperation = {
  tags: ['meta'],
  summary: 'This OpenAPI document',
  responses: { 200: { description: 'the OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
};

/** Every elapsed_seconds is bounded by the longest session; the route schemas leave that implicit. */
function boundElapsed(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'elapsed_seconds' && value && typeof value === 'object' && (value as Json).type === 'integer' && (value as Json).maximum === undefined) {
      Object.assign(value, { minimum: 0, maximum: MAX_SESSION_SECONDS });
    }
    boundElapsed(value);
  }
}

/** OpenAPI wants a header object's schema once; swagger nests a route's header schema twice. */
function unnestHeaderSchemas(response: { headers?: Record<string, Json> }): void {
  for (const value of Object.values(response.headers ?? {})) {
    const schema = value.schema as Json | undefined;
    if (schema && typeof schema.schema === 'object') value.schema = schema.schema;
  }
}

function completeOperation(method: string, path: string, operation: Operation): void {
  const api = path.startsWith('/api/v1/');
  const secured = operation.security?.some((s) => Object.keys(s as Json).includes('bearer')) ?? false;
  operation.operationId ??= operationId(method, path);
  operation.security ??= [];
  operation.tags ??= [api ? 'meta' : 'health'];
  if (operation.requestBody) operation.requestBody.required = !BODY_OPTIONAL.has(`${method} ${path}`);
  if (path === '/api/v1/progress') {
    operation.description ??= `A range of at most ${MAX_RANGE_DAYS} days (from and to included); a longer one is 400 validation_error.`;
  }

  const idempotent = honoursIdempotencyKey(method, path);
  const responses = operation.responses;
  if (api) {
    if (idempotent) {
      responses['409'] ??= { description: 'idempotency_key_in_use: a request with the same Idempotency-Key is still being processed', content: ErrorContent };
      responses['422'] ??= { description: 'idempotency_key_reused: the same Idempotency-Key with another method, path or body', content: ErrorContent };
    }
    responses['429'] ??= { description: 'rate_limited', content: ErrorContent };
  }
  responses['400'] ??= { description: 'malformed_request: no Host header, or more than one', content: ErrorContent };
  responses['503'] ??= { description: 'service_unavailable: the server is shutting down, or the database is busy; retry', content: ErrorContent };

  for (const [status, response] of Object.entries(responses)) {
    unnestHeaderSchemas(response);
    if (response.description === 'Default Response') response.description = `${status === '201' ? 'created' : 'done'}`;
    const headers: Record<string, Json> = { 'X-Request-Id': ref('RequestId', true) };
    if (isUncachedApiPath(path)) headers['Cache-Control'] = ref('CacheControl', true);
    if (api) {
      headers['RateLimit-Limit'] = ref('RateLimitLimit', status === '429');
      headers['RateLimit-Remaining'] = ref('RateLimitRemaining', status === '429');
      headers['RateLimit-Reset'] = ref('RateLimitReset', status === '429');
    }
    if (status === '429') headers['Retry-After'] = ref('RetryAfter', true);
    if (status === '503') headers['Retry-After'] = ref('RetryAfter');
    if (status === '401') headers['WWW-Authenticate'] = ref('WwwAuthenticate', secured);
    if (idempotent) headers['Idempotent-Replayed'] = ref('IdempotentReplayed');
    response.headers = { ...headers, ...response.headers };
  }
}

/** The facts every operation shares, added to the document swagger built from the routes. */
export function completeDocument(doc: Document): Document {
  doc.paths['/metrics'] ??= { get: structuredClone(MetricsOperation) as Operation };
  doc.paths['/api/v1/openapi.json'] ??= { get: structuredClone(DocumentOperation) as Operation };
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) completeOperation(method, path, operation);
  }
  boundElapsed(doc.paths);
  boundElapsed(doc.components.schemas);
  const used = new Set(Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags ?? [])));
  doc.tags = [...used].sort().map((name) => ({ name, description: TAGS[name] ?? '' }));
  return doc;
}

/** Before the routes: swagger collects each route's schema as it is registered. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema(ErrorResponse);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Focus API',
        version: OPENAPI_VERSION,
        description: 'Sessions, daily progress, streaks and badges for focus-timer apps. Every response uses the envelope of the API contract.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'the access_token of a token pair (register, login, refresh)' },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the server sets it' },
        },
      },
    },
    // Document the Idempotency-Key header on every route that honours it (src/plugins/idempotency.ts).
    transform: ({ schema, url, route }) => {
      const honours = [route.method].flat().some((m) => honoursIdempotencyKey(m, url));
      if (!honours || !schema || schema.hide) return { schema, url };
      return { schema: { ...schema, headers: IdempotencyHeaders }, url };
    },
    transformObject: (built) => ('openapiObject' in built ? (completeDocument(built.openapiObject as unknown as Document) as unknown as typeof built.openapiObject) : built.swaggerObject),
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
