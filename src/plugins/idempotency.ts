// Idempotency-Key (contract section 8): the first response for (scope, key) is kept 24 hours and
// replayed byte for byte; the database is the store, so it holds across server instances.
//
// preHandler (after auth and validation): insert an in-flight marker for (scope, key). A unique
// violation means the key was seen: same request and answered → replay; another request → 422;
// still in flight → 409. onSend stores the response (a 5xx deletes the marker so the client can
// retry). A marker left by a process that died is taken over after IN_FLIGHT_TIMEOUT_MS.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import { stringify } from 'safe-stable-stringify';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { errors } from '../errors.js';
import { toTimestamp } from '../time/clock.js';

export const RETENTION_MS = 24 * 60 * 60 * 1000;
/** An in-flight marker older than this belongs to a request that will never finish (its process died). */
export const IN_FLIGHT_TIMEOUT_MS = 60_000;
const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;
export const MAX_KEY_LENGTH = 255;

/** Who a key belongs to. `secret`, when given, encrypts the stored response (it holds tokens). */
export interface IdempotencyScope {
  scope: string;
  userId: number;
  secret?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** For routes without a bearer token: the scope of an Idempotency-Key, or undefined to ignore the header. */
    idempotencyScope?: (request: FastifyRequest) => Promise<IdempotencyScope | undefined>;
  }
  interface FastifyRequest {
    idempotency: (IdempotencyScope & { key: string }) | null;
  }
}

/** The methods whose requests honour an Idempotency-Key (the OpenAPI document lists the header on them). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH', 'DELETE']);

/**
 * The body as compared (contract v1.1 preamble): parsed JSON, so key order and whitespace do not
 * count; no body, an empty one and {} are one body; a top-level "at": null is no "at" (both mean now).
 */
function comparableBody(body: unknown): unknown {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body) || !('at' in body) || body.at !== null) return body;
  const { at: _now, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** What makes two requests "the same": method, path and body as comparableBody sees it; never a header. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${stringify(comparableBody(body))}`)
    .digest('base64url');
}

function fingerprint(request: FastifyRequest): string {
  // "/sessions/" and "/sessions" are one route (ignoreTrailingSlash), so they are one request here too
  const path = (request.url.split('?')[0] ?? '').replace(/(?<=.)\/+$/, '');
  return requestFingerprint(request.method, path, request.body);
}

function cipherKey(secret: string): Buffer {
  return createHash('sha256').update(`focus-idempotency\0${secret}`).digest();
}

/** AES-256-GCM under a key only the caller holds: a database dump does not reveal the stored tokens. */
function seal(body: string, secret: string | undefined): string {
  if (secret === undefined) return body;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cipherKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
  return `enc1:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
}

function open(stored: string, secret: string | undefined): string {
  if (!stored.startsWith('enc1:')) return stored;
  if (secret === undefined) throw new Error('an encrypted idempotency record needs its secret');
  const raw = Buffer.from(stored.slice(5), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', cipherKey(secret), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(key)) {
    throw errors.validation(
      [{ field: 'Idempotency-Key', message: `must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters` }],
      `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters`,
    );
  }
  return key;
}

export function deleteExpiredIdempotencyKeys(db: Db, now: Date): Promise<unknown> {
  return db.deleteFrom('idempotency_keys').where('expires_at', '<=', toTimestamp(now)).execute();
}

/** Adds the hooks to every POST, PATCH and DELETE route registered in `app` (the /api/v1 context) from now on. */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest('idempotency', null);

  const timer = setInterval(() => {
    deleteExpiredIdempotencyKeys(db, new Date()).catch((error: unknown) => app.log.warn({ err: error }, 'idempotency cleanup failed'));
  }, CLEANUP_INTERVAL_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  /** Claims (scope, key) for this request; true when it answered the request itself (a replay). */
  async function claim(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const key = keyOf(request);
    if (key === undefined) return false;
    const owner: IdempotencyScope | undefined = request.auth
      ? { scope: `user:${request.auth.userId}`, userId: request.auth.userId }
      : await request.routeOptions.config.idempotencyScope?.(request);
    if (!owner) return false;

    const print = fingerprint(request);
    // Three rounds at most: a retry follows only a record deleted meanwhile or removed as expired.
    for (let round = 0; round < 3; round += 1) {
      const now = new Date(); // retention is real time, never the test clock
      const nowTs = toTimestamp(now);
      try {
        await db
          .insertInto('idempotency_keys')
          .values({
            scope: owner.scope,
            key,
            user_id: owner.userId,
            fingerprint: print,
            response_status: null,
            response_type: null,
            response_body: null,
            created_at: nowTs,
            expires_at: toTimestamp(new Date(now.getTime() + RETENTION_MS)),
          })
          .execute();
        request.idempotency = { ...owner, key };
        return false;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const existing = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('scope', '=', owner.scope)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!existing) continue; // deleted meanwhile (a 5xx or cleanup): try again
      if (existing.expires_at <= nowTs) {
        await db.deleteFrom('idempotency_keys').where('scope', '=', owner.scope).where('key', '=', key).where('expires_at', '<=', nowTs).execute();
        continue;
      }
      if (existing.fingerprint !== print) throw errors.idempotencyKeyReused();
      if (existing.response_status !== null && existing.response_body !== null) {
        reply.code(existing.response_status).header('idempotent-replayed', 'true');
        if (existing.response_type) reply.header('content-type', existing.response_type);
        reply.send(open(existing.response_body, owner.secret));
        return true;
      }
      if (Date.parse(existing.created_at) > now.getTime() - IN_FLIGHT_TIMEOUT_MS) throw errors.idempotencyKeyInUse();
      const taken = await db
        .updateTable('idempotency_keys')
        .set({ created_at: nowTs })
        .where('scope', '=', owner.scope)
        .where('key', '=', key)
        .where('response_status', 'is', null)
        .where('created_at', '=', existing.created_at)
        .executeTakeFirst();
      if (taken.numUpdatedRows === 1n) {
        request.log.warn({ idempotency_key: key }, 'took over a stale in-flight idempotency marker');
        request.idempotency = { ...owner, key };
        return false;
      }
      throw errors.idempotencyKeyInUse();
    }
    throw errors.idempotencyKeyInUse();
  }

  /** Stores the response of a claimed request (deletes the claim on a 5xx). */
  async function store(request: FastifyRequest, reply: FastifyReply, payload: unknown, record: IdempotencyScope & { key: string }): Promise<void> {
    const where = db.deleteFrom('idempotency_keys').where('scope', '=', record.scope).where('key', '=', record.key);
    try {
      if (reply.statusCode >= 500 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
        await where.execute();
        return;
      }
      const type = reply.getHeader('content-type');
      await db
        .updateTable('idempotency_keys')
        .set({
          response_status: reply.statusCode,
          response_type: typeof type === 'string' ? type : null,
          response_body: seal(payload.toString(), record.secret),
        })
        .where('scope', '=', record.scope)
        .where('key', '=', record.key)
        .execute();
    } catch (error) {
      request.log.error({ err: error }, 'could not store the idempotent response; the marker goes stale');
    }
  }

  // Route-level hooks on POST, PATCH and DELETE only, callback-style with a synchronous exit, so a
  // request without an Idempotency-Key pays no promise. They run after any addHook preHandler and
  // onSend (there are none today) and first among the route's own.
  const preHandler: preHandlerHookHandler = (request, reply, done) => {
    if (request.headers['idempotency-key'] === undefined || !IDEMPOTENT_METHODS.has(request.method)) return done();
    claim(request, reply).then((answered) => {
      if (!answered) done();
    }, done);
  };
  const onSend: onSendHookHandler = (request, reply, payload, done) => {
    const record = request.idempotency;
    if (!record) return done(null, payload);
    request.idempotency = null;
    store(request, reply, payload, record).then(() => done(null, payload), done);
  };
  app.addHook('onRoute', (route) => {
    if (![route.method].flat().some((method) => IDEMPOTENT_METHODS.has(method))) return;
    route.preHandler = [preHandler, ...[route.preHandler ?? []].flat()];
    route.onSend = [onSend, ...[route.onSend ?? []].flat()];
  });
}
