// Security headers (helmet) on every response. The CSP lets the same-origin web client at `/` and
// swagger-ui at `/docs` work: scripts only from our origin; inline styles allowed because swagger-ui's
// React components set style attributes; images may be data: URLs (swagger-ui's icons).
//
// The options are static, so helmet runs once at start-up against a recording response and every
// request gets the recorded headers (@fastify/helmet built a new helmet middleware, and so parsed the
// CSP again, on every request).
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  // Self-hosters often serve plain HTTP on a LAN; upgrading would break them. TLS is the proxy's job.
  upgradeInsecureRequests: null,
};

/** The headers helmet sets for these options (and the ones it removes), computed once. */
export function securityHeaders(): { set: [string, string][]; removed: string[] } {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
  };
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'no-referrer' },
  });
  middleware({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
  });
  return { set, removed };
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  // Set on the reply, not on the raw response: Node then writes every header from one object in
  // writeHead instead of validating and storing each of them twice (setHeader, then the merge).
  // Names in lower case, as reply.header() stores them. Helmet's removals (X-Powered-By) need no
  // work: nothing can have set a header before onRequest, and neither Fastify nor Focus sets it.
  const headers = securityHeaders().set.map(([name, value]) => [name.toLowerCase(), value] as const);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.header(name, value);
    done();
  });
}
