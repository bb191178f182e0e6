// buildApp: infrastructure first, then each module registered by hand, so the route map is one screen.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/connect.js';
import { registerMailer } from './mail/mailer.js';
import { AppError, registerErrorHandling } from './errors.js';
import { authRoutes, meRoutes } from './modules/accounts/accounts.routes.js';
import { type AccountsService, accountsService } from './modules/accounts/accounts.service.js';
import { bearerAuth, decorateRequestAuth } from './modules/accounts/bearer-auth.js';
import { passwordChangeRoutes, passwordResetRoutes } from './modules/accounts/passwords.routes.js';
import { passwordsService } from './modules/accounts/passwords.service.js';
import { badgeRoutes } from './modules/badges/badges.routes.js';
import { badgesService } from './modules/badges/badges.service.js';
import { exportRoutes } from './modules/export/export.routes.js';
import { exportService } from './modules/export/export.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { homeRoutes } from './modules/home/home.routes.js';
import { homeService } from './modules/home/home.service.js';
import { progressRoutes } from './modules/progress/progress.routes.js';
import { progressService } from './modules/progress/progress.service.js';
import { sessionRoutes } from './modules/sessions/sessions.routes.js';
import { sessionsService } from './modules/sessions/sessions.service.js';
import { streakRoutes } from './modules/streaks/streaks.routes.js';
import { streaksService } from './modules/streaks/streaks.service.js';
import { summaryRoutes } from './modules/summary/summary.routes.js';
import { summaryService } from './modules/summary/summary.service.js';
import { tagRoutes } from './modules/tags/tags.routes.js';
import { tagsService } from './modules/tags/tags.service.js';
import { HTTP_SERVER_OPTIONS, clientErrorHandler, registerHostCheck } from './plugins/client-errors.js';
import { registerCompression } from './plugins/compress.js';
import { registerCors } from './plugins/cors.js';
import { registerIdempotency } from './plugins/idempotency.js';
import { registerJsonBody } from './plugins/json-body.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerRateLimits } from './plugins/rate-limit.js';
import { RequestLogController, registerRequestId, requestId, serializeRequest } from './plugins/request-log.js';
import { registerSecurityHeaders } from './plugins/security.js';
import { registerValidation } from './plugins/validation.js';
import { registerRequestClock } from './time/request-clock.js';

export const BODY_LIMIT = 16 * 1024;

/** The built web client (web/dist), from src/ under tsx or from dist/src/ after `npm run build`; null when not built. */
export function webClientRoot(): string | null {
  for (const candidate of ['../web/dist', '../../web/dist']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${path}/index.html`)) return path;
  }
  return null;
}

export interface BuildOptions {
  /** Directory of the built web client served at `/`; default webClientRoot(); null serves none. */
  webRoot?: string | null;
  /** Where the JSON log lines go; default stdout. Tests read them here. */
  logStream?: { write(line: string): void };
}

export async function buildApp(config: Config, database: DatabaseHandle, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, serializers: { req: serializeRequest }, ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: BODY_LIMIT,
    genReqId: requestId,
    requestIdHeader: false,
    logController: new RequestLogController({ requestIdLogLabel: 'request_id' }), // one line per request
    return503OnClosing: false, // our own 503 below, in the contract's envelope and with X-Request-Id
    forceCloseConnections: 'idle',
    trustProxy: config.trustProxy, // TRUST_PROXY: request.ip from X-Forwarded-For only when a trusted proxy sent it
    routerOptions: { ignoreTrailingSlash: true },
    http: HTTP_SERVER_OPTIONS,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const accounts = accountsService(database.db, config);
  registerValidation(app);
  registerErrorHandling(app, { accountGone: accountGone(accounts) });
  // security headers first: a request the next hooks refuse (a bad X-Test-Now, shutting down) gets them too
  registerSecurityHeaders(app);
  registerRequestId(app);
  registerHostCheck(app);
  await registerCompression(app); // before any route: it joins each route's onSend as the route is declared
  await registerCors(app, config.corsOrigins);
  registerRequestClock(app, config);
  decorateRequestAuth(app);

  // Draining on close: a request that still arrives (pipelined, or on a busy keep-alive connection)
  // is told to go elsewhere; Fastify has already set Connection: close on it.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', (_request, _reply, done) => {
    done(closing ? new AppError('service_unavailable', 'the server is shutting down; retry the request') : undefined);
  });
  const metrics = await registerMetrics(app, database, config.metricsToken);
  const limits = await registerRateLimits(app, config);

  registerJsonBody(app);
  await registerOpenApi(app);

  const passwords = passwordsService(database.db, config, registerMailer(app, config, metrics));
  const sessions = sessionsService(database, config);

  await app.register(healthRoutes, { database });

  // The reference web client: its files only (no wildcard route, so unknown paths, /api/v1 ones
  // included, still get the 404 envelope); it routes with #hashes, so no HTML fallback is needed.
  const webRoot = options.webRoot === undefined ? webClientRoot() : options.webRoot;
  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      decorateReply: false,
      cacheControl: false,
      setHeaders: (res, path) =>
        res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }

  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      registerIdempotency(api, database.db);
      await api.register(authRoutes, { accounts, limits });
      await api.register(passwordResetRoutes, { passwords, limits: limits.passwordReset });
      await api.register(async (authed) => {
        authed.addHook('onRequest', bearerAuth(accounts));
        if (limits.perUser) authed.addHook('onRequest', limits.perUser);
        await authed.register(meRoutes, { accounts });
        await authed.register(passwordChangeRoutes, { passwords, limit: limits.passwordChange });
        await authed.register(sessionRoutes, { sessions });
        await authed.register(progressRoutes, { progress: progressService(database) });
        await authed.register(streakRoutes, { streaks: streaksService(database) });
        await authed.register(badgeRoutes, { badges: badgesService(database) });
        await authed.register(homeRoutes, { home: homeService(database) });
        await authed.register(tagRoutes, { tags: tagsService(database.db) });
        await authed.register(summaryRoutes, { summary: summaryService(database) });
        await authed.register(exportRoutes, { exports: exportService(database) });
      });
    },
    { prefix: '/api/v1' },
  );

  return app;
}

/** Whether an authenticated request's account is gone (deleted after its token was checked). */
function accountGone(accounts: AccountsService): (request: FastifyRequest) => Promise<boolean> {
  return async (request) => {
    if (!request.auth) return false;
    try {
      await accounts.me(request.auth.userId);
      return false;
    } catch (error) {
      return error instanceof AppError && error.code === 'unauthorized';
    }
  };
}
