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
  ['get', '/metrics'],
  ['get', '/api/v1/openapi.json'],
];

/** Public operations: no bearer token (the document says so with `security: []`). */
const PUBLIC = /^\/(healthz|readyz|api\/v1\/openapi\.json|api\/v1\/auth\/(register|login|refresh|password-reset(\/confirm)?))$/;

interface OpenApiOperation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, { headers?: Record<string, { required?: boolean }>; content?: Record<string, { schema: unknown }> }>;
}
type OpenApiDoc = {
  openapi: string;
  info: { title: string; version: string; license?: { name: string } };
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { properties?: Record<string, { maximum?: number }> }> };
};

function operations(doc: OpenApiDoc): Array<[string, string, OpenApiOperation]> {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [method, path, op] as [string, string, OpenApiOperation]));
}

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
      if (!path.startsWith('/api/v1/') || path === '/api/v1/openapi.json') continue;
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

  it('gives the session\'s nullable fields as type lists, which the response serializer tells apart without running Ajv', () => {
    const fields = doc.components.schemas.FocusSession!.properties!;
    for (const name of ['ended_at', 'resumed_at', 'planned_end_at', 'note']) expect(fields[name], name).toMatchObject({ type: ['string', 'null'] });
    expect(fields.planned_end_at).toMatchObject({ format: 'date-time', examples: ['2026-02-18T08:00:00Z'] });
    expect(fields.tag).toMatchObject({ type: ['object', 'null'], required: ['id', 'name', 'color'] });
  });

  it('says which operations are public (security: []) and which need a bearer token', () => {
    for (const [method, path, operation] of operations(doc)) {
      if (path === '/metrics') expect(operation.security, path).toEqual([{}, { metricsToken: [] }]);
      else expect(operation.security, `${method} ${path}`).toEqual(PUBLIC.test(path) ? [] : [{ bearer: [] }]);
    }
  });

  it('names every operation with a unique camelCase operationId and a declared, described tag', () => {
    const ids = operations(doc).map(([, , op]) => op.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z]+[A-Za-z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/v1/sessions/{id}/end']!.patch!.operationId).toBe('patchSessionsByIdEnd');
    const declared = new Map(doc.tags.map((tag) => [tag.name, tag.description]));
    for (const [method, path, op] of operations(doc)) {
      expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const tag of op.tags ?? []) expect(declared.get(tag), `tag ${tag}`).toMatch(/\w{3}/);
    }
  });

  it('has version 1.1.0 and a license', () => {
    expect(doc.info.version).toBe('1.1.0');
    expect(doc.info.license?.name).toBe('MIT');
  });

  it('documents 503, X-Request-Id on every answer, and Idempotency-Key\'s 409 and 422 where the key is honoured', () => {
    for (const [method, path, op] of operations(doc)) {
      expect(op.responses['503'], `${method} ${path}`).toBeDefined();
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.headers?.['X-Request-Id']?.required, `${method} ${path} ${status}`).toBe(true);
      }
      if ((op.parameters ?? []).some((p) => p.name === 'idempotency-key')) {
        for (const status of ['409', '422']) expect(op.responses[status], `${method} ${path} ${status}`).toBeDefined();
        for (const [status, response] of Object.entries(op.responses)) {
          if (status.startsWith('2')) expect(response.headers?.['Idempotent-Replayed'], `${method} ${path} ${status}`).toBeDefined();
        }
      }
      if (op.responses['429']) expect(op.responses['429'].headers?.['Retry-After']?.required, `${method} ${path}`).toBe(true);
    }
    expect(doc.paths['/api/v1/users/me']!.get!.responses['401']!.headers?.['WWW-Authenticate']?.required).toBe(true);
  });

  it('lets resume and logout go without a body, and no other operation', () => {
    const optional = operations(doc).filter(([, , op]) => op.requestBody && !op.requestBody.required).map(([m, p]) => `${m} ${p}`);
    expect(optional.sort()).toEqual(['patch /api/v1/sessions/{id}/resume', 'post /api/v1/auth/logout']);
  });

  it('bounds elapsed_seconds by the longest session and describes /progress\'s 366-day range', () => {
    expect(doc.components.schemas.FocusSession?.properties?.elapsed_seconds?.maximum).toBe(86400);
    expect(JSON.stringify(doc.paths['/api/v1/progress']!.get)).toMatch(/366 days/);
  });

  it('documents the body of /healthz and /readyz, and /metrics as text', () => {
    expect(doc.paths['/healthz']!.get!.responses['200']!.content!['application/json']).toBeDefined();
    expect(doc.paths['/readyz']!.get!.responses['200']!.content!['application/json']).toBeDefined();
    expect(doc.paths['/metrics']!.get!.responses['200']!.content!['text/plain']).toBeDefined();
  });

  it('answers /docs with an HTML page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
  });
});
