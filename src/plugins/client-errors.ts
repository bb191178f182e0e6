// Requests refused before Fastify sees them (Node's HTTP parser: oversized headers, a bad
// Content-Length, both Content-Length and Transfer-Encoding, a timeout) and HTTP/1.1 requests without
// exactly one Host header get what every other answer gets: the contract's envelope, the security
// headers, no-store and an X-Request-Id that is also in the log line.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { errorBody } from '../envelope.js';
import { AppError } from '../errors.js';
import { securityHeaders } from './security.js';

const RAW_SECURITY_HEADERS = securityHeaders().set.map(([name, value]) => [name.toLowerCase(), value] as [string, string]);

function refusalOf(error: NodeJS.ErrnoException): AppError {
  const code = error.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') return new AppError('headers_too_large', 'the request headers are larger than the server accepts');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    return new AppError('request_timeout', 'the request did not arrive in time');
  }
  const detail = code === 'HPE_UNEXPECTED_CONTENT_LENGTH' ? ': it has both Content-Length and Transfer-Encoding' : code === 'HPE_INVALID_CONTENT_LENGTH' ? ': its Content-Length is not valid' : '';
  return new AppError('malformed_request', `the request is not valid HTTP${detail}`);
}

/** Fastify's `clientErrorHandler` option: answers in our envelope instead of Fastify's own body. */
export function clientErrorHandler(this: { log: FastifyBaseLogger }, error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal = refusalOf(error);
  const id = randomUUID();
  this.log.info({ request_id: id, res: { statusCode: refusal.status }, err: { code: error.code, message: error.message } }, 'request refused by the HTTP parser');
  if (socket.writable) {
    const body = JSON.stringify(errorBody(refusal.code, refusal.message));
    const headers: Array<[string, string]> = [
      ...RAW_SECURITY_HEADERS,
      ['cache-control', 'no-store'],
      ['x-request-id', id],
      ['content-type', 'application/json; charset=utf-8'],
      ['content-length', String(Buffer.byteLength(body))],
      ['connection', 'close'],
    ];
    const head = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${head}\r\n${body}`);
  }
  socket.destroy(error);
}

/** Fastify's `http` option: Node's own missing-Host answer is a bare 400; the hook below answers instead. */
export const HTTP_SERVER_OPTIONS = { requireHostHeader: false };

function hostHeaders(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.length === 4 && rawHeaders[i]!.toLowerCase() === 'host') count += 1;
  return count;
}

/**
 * RFC 9112 section 3.2: an HTTP/1.1 request with no Host header or more than one is answered 400
 * (Node keeps the first of two silently, so a proxy and Focus could disagree on the target).
 */
export function registerHostCheck(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const raw = request.raw;
    const hosts = hostHeaders(raw.rawHeaders);
    if (hosts === 1 || (hosts === 0 && raw.httpVersion === '1.0')) return done();
    done(new AppError('malformed_request', hosts === 0 ? 'an HTTP/1.1 request needs a Host header' : 'a request may carry only one Host header'));
  });
}
