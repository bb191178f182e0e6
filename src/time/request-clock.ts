// request.now, the focus domain's "now": the real clock, or X-Test-Now under FOCUS_TEST_CLOCK=1.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { errors } from '../errors.js';
import { parseRfc3339, wholeSecond } from './clock.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** "Now" for the focus domain: the real clock, or X-Test-Now under FOCUS_TEST_CLOCK=1. */
    now: Date;
  }
}

export function registerRequestClock(app: FastifyInstance, config: Config): void {
  app.decorateRequest('now', null as unknown as Date);
  app.addHook('onRequest', (request, _reply, done) => {
    const header = config.testClock ? request.headers['x-test-now'] : undefined;
    if (typeof header === 'string') {
      const parsed = parseRfc3339(header);
      if (!parsed) return done(errors.validation([{ field: 'X-Test-Now', message: 'must be an RFC 3339 date-time' }], 'X-Test-Now must be an RFC 3339 date-time'));
      request.now = wholeSecond(parsed);
    } else {
      request.now = wholeSecond(new Date());
    }
    done();
  });
}
