// Per request: its id (X-Request-Id, taken from the caller when sane) and its one log line.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is a sane token, else a fresh UUID. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/** Polled every few seconds by load balancers and orchestrators: at info their lines would drown the rest. */
const PROBE_ROUTES = new Set(['/healthz', '/readyz']);

/**
 * One line per answered request (`request completed`, or `request errored` when the response stream
 * failed) with all that Fastify's two default lines carried, at debug for the probes; `incoming request`
 * only at debug level, where it shows the requests that never finish. The error handler (src/errors.ts)
 * logs a 5xx's error.
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log[PROBE_ROUTES.has(request.routeOptions.url ?? '') ? 'debug' : 'info']({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** Every response carries its request's id, refusals by later onRequest hooks included. */
export function registerRequestId(app: FastifyInstance): void {
  // Callback style, as every hook that does not wait for I/O: an async hook costs a promise and a
  // microtask turn on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}
