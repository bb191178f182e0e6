// Security headers (helmet) on every response. The CSP lets the same-origin web client at `/` and
// swagger-ui at `/docs` work: scripts only from our origin; inline styles allowed because swagger-ui's
// React components set style attributes; images may be data: URLs (swagger-ui's icons).
// The options are static, so helmet runs once, at start-up, and every request gets the recorded headers.
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

/**
 * API answers hold one user's data (and tokens): no cache, shared or private, may keep them. The
 * OpenAPI document is the same for everyone and may be cached.
 */
export function isUncachedApiPath(url: string): boolean {
  if (!url.startsWith('/api/v1')) return false;
  const path = url.split('?', 1)[0]!.replace(/(?<=.)\/+$/, '');
  return (path === '/api/v1' || path.startsWith('/api/v1/')) && path !== '/api/v1/openapi.json';
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  // On the reply, not the raw response, so Node writes them all at once in writeHead; lower-case names,
  // as reply.header() stores them. Helmet's removals (X-Powered-By) need nothing: no one sets it.
  const headers = securityHeaders().set.map(([name, value]) => [name.toLowerCase(), value] as const);
  app.addHook('onRequest', (request, reply, done) => {
    for (const [name, value] of headers) reply.header(name, value);
    if (isUncachedApiPath(request.url)) reply.header('cache-control', 'no-store');
    done();
  });
}
