// Request bodies are JSON only; an empty body with a JSON content type counts as no body (the schema then decides).
import type { FastifyInstance } from 'fastify';
import { AppError, errors } from '../errors.js';

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Bodies are read as sent: a compressed body (Content-Encoding other than identity) or one in another
 * charset than UTF-8 would otherwise be parsed as UTF-8 text and fail as invalid JSON, or worse, pass
 * with mangled characters.
 */
function unsupportedEncoding(headers: Record<string, string | string[] | undefined>): AppError | null {
  const coding = headers['content-encoding'];
  if (coding !== undefined && !/^\s*(identity\s*)?$/i.test(String(coding))) {
    return new AppError('unsupported_media_type', 'the request body must not be compressed (Content-Encoding: identity only)', null, {
      'accept-encoding': 'identity',
    });
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(String(headers['content-type']))?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    return new AppError('unsupported_media_type', `the request body must be JSON in UTF-8 (got charset=${charset.slice(0, 40)})`);
  }
  return null;
}

/** Whether the request carries a body (the length of one sent chunked is unknown until read). */
function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

export function registerJsonBody(app: FastifyInstance): void {
  // Before the body is read, and for every route (resume has a parser of its own).
  app.addHook('preParsing', (request, _reply, payload, done) => {
    done(hasBody(request.headers) ? unsupportedEncoding(request.headers) : null, payload);
  });
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json\s*(;.*)?$/i, { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    const text = String(body);
    defaultJson(request, text, (error, value) => {
      // The parser refuses "__proto__" and "constructor.prototype" keys (prototype poisoning). Such a
      // body is well-formed JSON, so the answer is an unknown field, not invalid_json.
      if (error && parsesAsJson(text)) {
        return done(errors.validation([{ field: 'body', message: 'must not contain "__proto__" or "constructor" keys' }], 'the request body contains a forbidden key'), undefined);
      }
      done(error, value);
    });
  });
}
