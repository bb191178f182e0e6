// The OpenAPI document at /api/v1/openapi.json and the /docs page: every route of the contract, and
// only the routes the server answers, documented from the route schemas.
import { beforeAll, describe, expect, it } from 'vitest';
import { suiteApp } from './app.js';
import { testDatabases } from './databases.js';

/** Every route of the contract (sections 2, 3, 6, 8 and 16), as OpenAPI writes paths. */
const CONTRACT_ROUTES: Array<[string, string]> = [
  ['post', '/api/v1/auth/register'],
  ['post', '/api/v1/auth/login'],
  ['post', '/api/v1/auth/refresh'],
  ['post', '/api/v1/auth/logout'],
  ['get', '/api/v1/users/me'],
  ['patch', '/api/v1/users/me'],
  ['delete', '/api/v1/users/me'],
  ['post', '/api/v1/users/me/password'],
  ['post', '/api/v1/auth/password-reset'],
  ['post', '/api/v1/auth/password-reset/confirm'],
  ['post', '/api/v1/sessions'],
  ['get', '/api/v1/sessions/active'],
  ['patch', '/api/v1/sessions/{id}/pause'],
  ['patch', '/api/v1/sessions/{id}/resume'],
  ['patch', '/api/v1/sessions/{id}/end'],
  ['get', '/api/v1/sessions'],
  ['get', '/api/v1/progress'],
  ['get', '/api/v1/streaks'],
  ['get', '/api/v1/home'],
  ['get', '/api/v1/badges'],
  ['get', '/api/v1/stats'],
  ['get', '/healthz'],
  ['get', '/readyz'],
];

interface OpenApiOperation {
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, unknown>;
}
type OpenApiDoc = { openapi: string; info: { title: string }; paths: Record<string, Record<string, OpenApiOperation>> };

describe.each(testDatabases)('OpenAPI and /docs on $name', (database) => {
  const t = suiteApp(database);
  let doc: OpenApiDoc;

  beforeAll(async () => {
    doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  });

  it('serves OpenAPI 3.1 at /api/v1/openapi.json without a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe('Focus API');
  });

  it.each(CONTRACT_ROUTES)('lists %s %s', (method, path) => {
    expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });

  it('lists only routes the server really answers', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) {
        const url = path.replace('{id}', ':id');
        expect(t.app.hasRoute({ method: method.toUpperCase() as 'GET', url }), `${method} ${path}`).toBe(true);
      }
    }
  });

  it('documents bearer auth and the error envelope on every /api/v1 operation', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        if (!path.startsWith('/api/v1/auth/')) expect(operation.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
        for (const status of ['400', '401', '500']) expect(operation.responses[status], `${method} ${path} ${status}`).toBeDefined();
      }
    }
  });

  it('documents the Idempotency-Key header on every route that honours it, and only there', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const honours = ['post', 'patch', 'delete'].includes(method) && !/\/auth\/(register|login|password-reset)$/.test(path);
        const documented = (operation.parameters ?? []).some((p) => p.in === 'header' && p.name === 'idempotency-key');
        expect(documented, `${method} ${path}`).toBe(honours);
      }
    }
  });

  it('documents the session schemas generated from the route schemas', () => {
    const start = doc.paths['/api/v1/sessions']!.post!;
    const body = start.requestBody!.content['application/json']!.schema;
    expect(body).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['duration_seconds'],
      properties: { duration_seconds: { type: 'integer', minimum: 60, maximum: 86400 } },
    });
    expect(Object.keys(start.responses)).toEqual(expect.arrayContaining(['201', '409']));
    const end = doc.paths['/api/v1/sessions/{id}/end']!.patch!;
    expect(Object.keys(end.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '422']));
    expect(end.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]));
    const history = doc.paths['/api/v1/sessions']!.get!;
    expect(history.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'status', 'from', 'to']));
  });

  it('answers /docs with an HTML page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
  });
});
