// Rate limits (contract sections 8, 9 and 16): per user on authenticated routes, per IP and per email on
// register/login and (counted apart) on password reset, per IP on refresh, per user on password change. Counters live in each process, or in Redis when
// RATE_LIMIT_REDIS_URL is set so that every instance shares them.
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { errors } from '../errors.js';
import { normalizeEmail } from '../modules/accounts/account-rules.js';

const WINDOW_MS = 60_000;

/** A callback-style hook (an async one costs a promise and a microtask turn more per request). */
export type RateLimitHook = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void;

/** A limit set to 0 is off: its hook is undefined, so that routes get no hook at all for it. */
export interface RateLimitHooks {
  /** onRequest, after bearer auth: RATE_LIMIT_PER_MINUTE per user. */
  perUser: RateLimitHook | undefined;
  /** onRequest: AUTH_RATE_LIMIT_PER_MINUTE per client IP. */
  perIp: RateLimitHook | undefined;
  /** preValidation (the body is parsed): AUTH_RATE_LIMIT_PER_MINUTE per email. */
  perEmail: RateLimitHook | undefined;
  /** POST /auth/password-reset, counted apart from sign-in: AUTH_RATE_LIMIT_PER_MINUTE per client IP (onRequest) and per email (preValidation), known or not. */
  passwordReset: { perIp: RateLimitHook | undefined; perEmail: RateLimitHook | undefined };
  /**
   * POST /users/me/password, onRequest after bearer auth: AUTH_RATE_LIMIT_PER_MINUTE per user. Every
   * attempt counts, since the 429 must come before the current password is checked (a limit that
   * let a right guess through would not stop guessing); no one changes a password 30 times a minute.
   */
  passwordChange: RateLimitHook | undefined;
  /** Where the counters live: "memory" (this process) or "redis" (shared by every instance). */
  store: 'memory' | 'redis';
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** Sets the draft-7 RateLimit-* headers of the tightest limit seen so far, and throws 429 past it. */
function hook(limiter: Limiter, applies: (request: FastifyRequest) => boolean = () => true): RateLimitHook {
  return (request, reply, done) => {
    if (!applies(request)) return done();
    limiter(request).then((result) => {
      if (result.isAllowed) return done();
      const seen = Number(reply.getHeader('ratelimit-remaining') ?? Number.POSITIVE_INFINITY);
      const headers = {
        'RateLimit-Limit': String(result.max),
        'RateLimit-Remaining': String(result.remaining),
        'RateLimit-Reset': String(result.ttlInSeconds),
      };
      if (result.isExceeded) return done(errors.rateLimited(Math.max(1, result.ttlInSeconds), { ...headers, 'RateLimit-Remaining': '0' }));
      if (result.remaining <= seen) for (const [name, value] of Object.entries(headers)) reply.header(name, value);
      done();
    }, done);
  };
}

function emailOf(request: FastifyRequest): string | null {
  const body = request.body as { email?: unknown } | null | undefined;
  if (typeof body !== 'object' || body === null || typeof body.email !== 'string') return null;
  return normalizeEmail(body.email) ?? body.email.trim().toLowerCase().slice(0, 320);
}

export async function registerRateLimits(app: FastifyInstance, config: Config): Promise<RateLimitHooks> {
  let redis: Redis | undefined;
  if (config.rateLimitRedisUrl) {
    // Loaded only when configured: ioredis is a large share of the start-up time otherwise.
    const { Redis } = await import('ioredis');
    // Fail fast rather than queue: when Redis is down, requests pass (skipOnError) instead of hanging.
    redis = new Redis(config.rateLimitRedisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 1000, lazyConnect: false });
    redis.on('error', (error: Error) => app.log.warn({ err: error }, 'rate-limit redis error; limits are not enforced while it lasts'));
    // Without an offline queue, a request served before the connection is up would pass uncounted:
    // wait for it at start-up (bounded, so a Redis that is down does not stop the server starting).
    const connection = redis;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        connection.off('ready', done).off('end', done);
        resolve();
      };
      connection.once('ready', done).once('end', done);
    });
    app.addHook('onClose', async () => {
      await redis?.quit().catch(() => redis?.disconnect());
    });
  }
  const userMax = config.rateLimitPerMinute;
  const authMax = config.authRateLimitPerMinute;
  const store = redis ? 'redis' : 'memory';
  if (userMax === 0 && authMax === 0) {
    return { perUser: undefined, perIp: undefined, perEmail: undefined, passwordReset: { perIp: undefined, perEmail: undefined }, passwordChange: undefined, store };
  }

  await app.register(rateLimit, {
    global: false,
    enableDraftSpec: true,
    skipOnError: true,
    timeWindow: WINDOW_MS,
    nameSpace: 'focus-rl:',
    ...(redis ? { redis } : {}),
  });

  const make = (max: number, keyOf: (request: FastifyRequest) => string) =>
    app.createRateLimit({ max, timeWindow: WINDOW_MS, keyGenerator: keyOf });

  return {
    perUser: userMax === 0 ? undefined : hook(make(userMax, (request) => `user:${request.auth?.userId ?? 'none'}`), (request) => Boolean(request.auth)),
    perIp: authMax === 0 ? undefined : hook(make(authMax, (request) => `ip:${normalizeIP(request.ip)}`)),
    perEmail: authMax === 0 ? undefined : hook(make(authMax, (request) => `email:${emailOf(request)}`), (request) => emailOf(request) !== null),
    passwordReset: {
      perIp: authMax === 0 ? undefined : hook(make(authMax, (request) => `reset-ip:${normalizeIP(request.ip)}`)),
      perEmail: authMax === 0 ? undefined : hook(make(authMax, (request) => `reset-email:${emailOf(request)}`), (request) => emailOf(request) !== null),
    },
    passwordChange: authMax === 0 ? undefined : hook(make(authMax, (request) => `password-user:${request.auth?.userId}`), (request) => Boolean(request.auth)),
    store,
  };
}
