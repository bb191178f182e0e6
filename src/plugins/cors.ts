// CORS (contract section 16) for the origins in CORS_ORIGINS only: browser pages served elsewhere may
// call the API with a bearer token; cookies are never involved, so credentials are never allowed.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** What a page on a listed origin may read from an answer besides the CORS-safelisted headers. */
export const EXPOSED_HEADERS = [
  'X-Request-Id',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Idempotent-Replayed',
  'Content-Disposition',
  'WWW-Authenticate',
] as const;
export const ALLOWED_METHODS = ['GET', 'POST', 'PATCH', 'DELETE'] as const;
export const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'] as const;

/**
 * Register before authentication, rate limits and the other refusals: their error answers then carry
 * the CORS headers too (a browser hides an answer without them, so the page would see a network error
 * instead of a 401 or 429), and a preflight is answered before any of them runs. Nothing without origins.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const listed = new Set(origins);
  await app.register(cors, {
    // A function, not the list: for an origin not listed, @fastify/cors would still send the exposed
    // headers and answer the preflight; `false` makes it send nothing (the preflight is then a 404).
    origin: (origin, callback) => callback(null, origin !== undefined && listed.has(origin) ? origin : false),
    methods: [...ALLOWED_METHODS],
    allowedHeaders: [...ALLOWED_HEADERS],
    exposedHeaders: [...EXPOSED_HEADERS],
    credentials: false,
    // A lax preflight (no Access-Control-Request-Method) gets the same 204, not a text/plain 400.
    strictPreflight: false,
    maxAge: 600,
  });
}
