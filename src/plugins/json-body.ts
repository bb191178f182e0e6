// Request bodies are JSON only; an empty body with a JSON content type counts as no body (the schema then decides).
import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function registerJsonBody(app: FastifyInstance): void {
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
