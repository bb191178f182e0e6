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
 * The URL as logged: the path, and of the query string only its parameter names, every value
 * `[redacted]` (`/api/v1/sessions?limit=[redacted]&cursor=[redacted]`). A client may put a secret in a
 * query string (`?token=…`, however often it is told not to), and logs travel further than the
 * database; the names still show what kind of request it was.
 */
export function loggedUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const names = url
    .slice(mark + 1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=');
      // a part without "=" is all value as far as we can tell
      return equals === -1 ? '[redacted]' : `${part.slice(0, Math.min(equals, 64))}=[redacted]`;
    });
  return `${url.slice(0, mark)}?${names.join('&')}`;
}

/** Fastify's request serializer with the URL as loggedUrl gives it (the logger's `serializers.req`). */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: loggedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

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
