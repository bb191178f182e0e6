// The served OpenAPI document against the server's real answers: a traffic mix that reaches every
// operation the document lists (success and error answers), each answer checked against the document:
// its status is documented for that operation, the headers it marks required are there, and the body
// validates against the response schema. The operations come from the document itself, so a route
// added without traffic here fails the coverage test instead of going unchecked.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, at, createTestApp, uniqueEmail } from './app.js';
import { testDatabases } from './databases.js';
import { type TestSmtpServer, startSmtpServer } from './smtp-server.js';

type Json = Record<string, unknown>;
interface Header {
  required?: boolean;
  schema?: Json;
}
interface Operation {
  security?: Json[];
  requestBody?: { required?: boolean };
  responses: Record<string, { headers?: Record<string, Header>; content?: Record<string, { schema: Json }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}
type Ajv2020 = InstanceType<typeof Ajv2020Module.default>;

interface Exchange {
  operation: string;
  request: string;
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

const T0 = '2026-02-18T08:00:00Z';
const PASSWORD = 'correct horse battery';
const METRICS_TOKEN = 'conformance-metrics-token-0123456789';

/** The document's operation ("get /api/v1/sessions/{id}/end") a request went to; literal paths first. */
function operationOf(doc: Document, method: string, url: string): string {
  const path = url.split('?')[0]!;
  const templates = Object.keys(doc.paths).filter((p) => doc.paths[p]![method]);
  const match =
    templates.find((p) => p === path) ??
    templates.find((p) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  return match ? `${method} ${match}` : `${method} ${path} (undocumented)`;
}

/** Problems with one answer, [] when the document describes it truly. */
function check(doc: Document, ajv: Ajv2020, exchange: Exchange): string[] {
  const [method, path] = exchange.operation.split(' ') as [string, string];
  const operation = doc.paths[path]?.[method];
  if (!operation) return [`${exchange.request}: no such operation in the document`];
  const response = operation.responses[String(exchange.status)] ?? operation.responses.default;
  if (!response) return [`${exchange.request}: status ${exchange.status} is not documented (${exchange.body.slice(0, 120)})`];
  const problems: string[] = [];
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const value = exchange.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`${exchange.request} ${exchange.status}: required header ${name} missing`);
      continue;
    }
    const typed = header.schema?.type === 'integer' ? Number(value) : value;
    if (header.schema && !ajv.validate(header.schema, typed)) problems.push(`${exchange.request} ${exchange.status}: header ${name}: ${value} ${ajv.errorsText()}`);
  }
  const mediaType = String(exchange.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (exchange.body === '') return problems;
  const content = response.content?.[mediaType];
  if (!content) return [...problems, `${exchange.request} ${exchange.status}: ${mediaType} body not documented`];
  const body: unknown = mediaType === 'application/json' ? JSON.parse(exchange.body) : exchange.body;
  const validate = ajv.compile({ $ref: `focus-openapi#/paths/${pointer(path)}/${method}/responses/${exchange.status}/content/${pointer(mediaType)}/schema` });
  if (!validate(body)) problems.push(`${exchange.request} ${exchange.status}: body ${ajv.errorsText(validate.errors)}: ${exchange.body.slice(0, 200)}`);
  return problems;
}

function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1').replace(/[{}]/g, encodeURIComponent);
}

describe.each(testDatabases)('the OpenAPI document against the answers on $name', (database) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let limited: TestApp;
  let doc: Document;
  let ajv: Ajv2020;
  const exchanges: Exchange[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(database, { SMTP_URL: smtp.url, PASSWORD_RESET_URL: 'http://focus.test/#/reset?token={token}' });
    limited = await createTestApp(database, { RATE_LIMIT_PER_MINUTE: '3', AUTH_RATE_LIMIT_PER_MINUTE: '2', METRICS_TOKEN });
    doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    ajv = new Ajv2020Module.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...structuredClone(doc), $id: 'focus-openapi' });
  });
  afterAll(async () => {
    await t?.close();
    await limited?.close();
    await smtp?.close();
  });

  async function send(app: TestApp, options: InjectOptions & { url: string; method: string }): Promise<LightMyRequestResponse> {
    const res = await app.app.inject(options);
    const method = options.method.toLowerCase();
    exchanges.push({
      operation: operationOf(doc, method, options.url),
      request: `${options.method} ${options.url}`,
      status: res.statusCode,
      headers: res.headers,
      body: res.body,
    });
    return res;
  }

  it('replays a traffic mix that reaches every operation', async () => {
    const bearer = (token: string, now?: string) => ({ authorization: `Bearer ${token}`, ...(now ? { 'x-test-now': now } : {}) });
    const email = uniqueEmail('conformance');
    const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      send(t, { method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload: payload as Json }) });

    // public operations
    await call('GET', '/healthz');
    await call('GET', '/readyz');
    await call('GET', '/metrics');
    await call('GET', '/api/v1/openapi.json');
    const registered = await call('POST', '/api/v1/auth/register', { email, password: PASSWORD, timezone: 'Europe/Berlin' });
    expect(registered.statusCode, registered.body).toBe(201);
    await call('POST', '/api/v1/auth/register', { email, password: PASSWORD }); // 409 email_taken
    await call('POST', '/api/v1/auth/register', { email: 'not an address', password: PASSWORD }); // 400
    await call('POST', '/api/v1/auth/register', 'email=x', { 'content-type': 'text/plain' }); // 415
    const login = await call('POST', '/api/v1/auth/login', { email, password: PASSWORD });
    await call('POST', '/api/v1/auth/login', { email, password: 'wrong password here' }); // 401
    const refreshed = await call('POST', '/api/v1/auth/refresh', { refresh_token: login.json().data.refresh_token });
    await call('POST', '/api/v1/auth/refresh', { refresh_token: 'nope' }); // 401
    const token = refreshed.json().data.access_token as string;
    const me = (method: string, url: string, payload?: unknown, now?: string, extra: Record<string, string> = {}) =>
      call(method, url, payload, { ...bearer(token, now), ...extra });

    // account
    await me('GET', '/api/v1/users/me');
    await me('PATCH', '/api/v1/users/me', { display_name: 'Ada' });
    await me('PATCH', '/api/v1/users/me', { unknown_field: 1 }); // 400

    // tags, with Idempotency-Key: a replay and a reuse
    const tag = await me('POST', '/api/v1/tags', { name: 'Deep work' }, undefined, { 'idempotency-key': 'tag-1' });
    await me('POST', '/api/v1/tags', { name: 'Deep work' }, undefined, { 'idempotency-key': 'tag-1' }); // replayed 201
    await me('POST', '/api/v1/tags', { name: 'Reading' }, undefined, { 'idempotency-key': 'tag-1' }); // 422 idempotency_key_reused
    await me('POST', '/api/v1/tags', { name: 'deep WORK' }); // 409 tag_exists
    const tagId = tag.json().data.id as number;
    await me('GET', '/api/v1/tags');
    await me('PATCH', `/api/v1/tags/${tagId}`, { color: '#112233' });
    await me('PATCH', '/api/v1/tags/999999', { color: '#112233' }); // 404

    // a session through its life, on the test clock
    const started = await me('POST', '/api/v1/sessions', { duration_seconds: 1500, tag_id: tagId, note: 'chapter 3' }, T0, { 'idempotency-key': 'start-1' });
    expect(started.statusCode, started.body).toBe(201);
    const id = started.json().data.id as number;
    await me('POST', '/api/v1/sessions', { duration_seconds: 1500 }, at(T0, 1)); // 409 session_already_running
    await me('POST', '/api/v1/sessions', { duration_seconds: 1 }, at(T0, 1)); // 400
    await me('GET', '/api/v1/sessions/active', undefined, at(T0, 30));
    await me('PATCH', `/api/v1/sessions/${id}/pause`, { elapsed_seconds: 60 }, at(T0, 60));
    await me('PATCH', `/api/v1/sessions/${id}/pause`, { elapsed_seconds: 60 }, at(T0, 61)); // 409 invalid_session_state
    await me('PATCH', `/api/v1/sessions/${id}/resume`, undefined, at(T0, 120));
    await me('PATCH', '/api/v1/sessions/999999/resume', undefined, at(T0, 121)); // 404
    await me('PATCH', `/api/v1/sessions/${id}/end`, { elapsed_seconds: 86_000, status: 'completed' }, at(T0, 200)); // 422 elapsed_seconds_invalid
    await me('PATCH', `/api/v1/sessions/${id}/end`, { elapsed_seconds: 1500, status: 'completed' }, at(T0, 1560));
    await me('PATCH', `/api/v1/sessions/${id}`, { note: 'chapter 3 and 4' });
    await me('GET', '/api/v1/sessions?limit=5', undefined, at(T0, 2000));
    await me('GET', `/api/v1/sessions?tag_id=${tagId}`, undefined, at(T0, 2000));
    await me('GET', '/api/v1/sessions?limit=0'); // 400
    await me('GET', '/api/v1/sessions/export.csv', undefined, at(T0, 2000));
    await me('GET', '/api/v1/users/me/export', undefined, at(T0, 2000));

    // reads
    await me('GET', '/api/v1/progress?from=2026-02-12&to=2026-02-18', undefined, at(T0, 2000));
    await me('GET', '/api/v1/progress?from=2025-01-01&to=2026-02-18', undefined, at(T0, 2000)); // 400: more than 366 days
    await me('GET', '/api/v1/stats', undefined, at(T0, 2000));
    await me('GET', '/api/v1/streaks', undefined, at(T0, 2000));
    await me('GET', '/api/v1/badges', undefined, at(T0, 2000));
    await me('GET', '/api/v1/home', undefined, at(T0, 2000));
    await me('GET', '/api/v1/summary?period=week&date=2026-02-18', undefined, at(T0, 2000));
    await me('GET', '/api/v1/summary?period=fortnight', undefined, at(T0, 2000)); // 400

    await me('DELETE', `/api/v1/tags/${tagId}`);

    // passwords: a change, then a reset by mail and its confirm
    await me('POST', '/api/v1/users/me/password', { current_password: 'wrong password here', new_password: 'another good one' }); // 422
    await me('POST', '/api/v1/users/me/password', { current_password: PASSWORD, new_password: 'another good one' });
    await call('POST', '/api/v1/auth/password-reset', { email });
    const mail = await smtp.nextMailTo(email);
    const resetToken = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    await call('POST', '/api/v1/auth/password-reset/confirm', { token: 'fp_not_a_token', new_password: 'third good password' }); // 422
    const confirmed = await call('POST', '/api/v1/auth/password-reset/confirm', { token: resetToken, new_password: 'third good password' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const fresh = confirmed.json().data.access_token as string;

    // without a token, every operation that needs one is 401 (with WWW-Authenticate)
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.security?.some((s) => 'bearer' in s)) continue;
        await call(method.toUpperCase(), path.replace('{id}', '1'));
      }
    }

    // an account's last two operations: sign out, then delete it
    await call('POST', '/api/v1/auth/logout', undefined, bearer(fresh));
    const last = await call('POST', '/api/v1/auth/login', { email, password: 'third good password' });
    await call('DELETE', '/api/v1/users/me', undefined, bearer(last.json().data.access_token));
    await call('DELETE', '/api/v1/users/me', undefined, bearer(last.json().data.access_token)); // 401: gone

    // limits and the metrics token, on an app that has them
    const lim = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      send(limited, { method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload: payload as Json }) });
    const other = uniqueEmail('limited');
    const reg = await lim('POST', '/api/v1/auth/register', { email: other, password: PASSWORD });
    for (let i = 0; i < 3; i += 1) await lim('POST', '/api/v1/auth/login', { email: other, password: PASSWORD }); // the last one 429
    for (let i = 0; i < 4; i += 1) await lim('GET', '/api/v1/users/me', undefined, bearer(reg.json().data.access_token)); // the last one 429
    await lim('GET', '/metrics'); // 401
    await lim('GET', '/metrics', undefined, { authorization: `Bearer ${METRICS_TOKEN}` });

    const statuses = new Set(exchanges.map((e) => e.status));
    for (const status of [200, 201, 202, 400, 401, 404, 409, 415, 422, 429]) expect(statuses, `status ${status} in the mix`).toContain(status);
  });

  it('answers every operation of the document at least once with a success', () => {
    const answered = new Set(exchanges.filter((e) => e.status < 300).map((e) => e.operation));
    const missing = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)).filter((op) => !answered.has(op));
    expect(missing, 'operations without a success answer in the traffic mix: add their traffic').toEqual([]);
  });

  it('documents every answer: status, required headers and body', () => {
    expect(exchanges.length).toBeGreaterThan(60);
    const problems = exchanges.flatMap((exchange) => check(doc, ajv, exchange));
    expect(problems).toEqual([]);
  });

  it('requires a body exactly where the document says so', async () => {
    const user = (await send(t, { method: 'POST', url: '/api/v1/auth/register', payload: { email: uniqueEmail('nobody'), password: PASSWORD } })).json().data;
    // the ones that may go without a body last, sign-out last of all: it ends this user's token
    const withBodies = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, operation]) => ({ path, method, operation })))
      .filter(({ operation }) => operation.requestBody)
      .sort((a, b) => Number(!a.operation.requestBody!.required) - Number(!b.operation.requestBody!.required) || Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
    for (const { path, method, operation } of withBodies) {
      const res = await t.app.inject({ method: method.toUpperCase() as 'POST', url: path.replace('{id}', '999999'), headers: { authorization: `Bearer ${user.access_token}` } });
      if (operation.requestBody?.required) expect(res.statusCode, `${method} ${path} without a body`).toBe(400);
      else expect(res.statusCode, `${method} ${path} without a body: ${res.body}`).not.toBe(400);
    }
  });
});
