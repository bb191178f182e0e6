// GET /metrics: Prometheus text. Request counts and latency by route pattern and status, DB pool
// figures and the process's own (memory, CPU, event-loop lag). One registry per app, not the global.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabaseHandle } from '../db/connect.js';
import { errors } from '../errors.js';

// The process's own figures belong to the process: collected once, however many apps it builds
// (tests build hundreds; each collection would leave its observers running).
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'focus_' });
  }
  return processRegistry;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** METRICS_TOKEN as a bearer token; compared in constant time (digests, so lengths do not leak either). */
function requireToken(token: string): onRequestHookHandler {
  const expected = digest(token);
  return (request, _reply, done) => {
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
    done(match && timingSafeEqual(digest(match[1]!), expected) ? undefined : errors.unauthorized('a valid metrics token (METRICS_TOKEN) is required'));
  };
}

/** `token`: the bearer token GET /metrics requires (METRICS_TOKEN); null leaves it open. */
export async function registerMetrics(app: FastifyInstance, database: DatabaseHandle, token: string | null = null): Promise<Registry> {
  const registry = new Registry();
  const shared = processMetrics();

  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'focus_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'focus_http_request_duration_seconds',
    help: 'Time from receiving the request to sending the response, by method, route pattern and status',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'focus_db_pool_connections',
    help: 'Database pool connections by state (total, idle) and clients waiting for one (waiting)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = database.poolStats();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  const groupCommit = database.groupCommit;
  if (groupCommit !== undefined) {
    // counters kept by the SQLite driver; a Gauge reads them at scrape time (they only grow)
    new Gauge({
      name: 'focus_sqlite_group_commit_total',
      help: 'SQLite group commit since start: batches committed, members (transactions and lone statements) they held, batches failed whole',
      labelNames: ['count'],
      registers: [registry],
      collect() {
        this.set({ count: 'batches' }, groupCommit.batches);
        this.set({ count: 'members' }, groupCommit.members);
        this.set({ count: 'aborted' }, groupCommit.aborted);
      },
    });
  }
  new Gauge({
    name: 'focus_db_info',
    help: 'The database dialect in use (value 1)',
    labelNames: ['dialect'],
    registers: [registry],
    collect() {
      this.set({ dialect: database.dialect }, 1);
    },
  });

  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern ("/api/v1/sessions/:id/end"), never the raw URL: label values stay few.
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  const guard = token === null ? {} : { onRequest: requireToken(token) };
  app.get('/metrics', { schema: { tags: ['health'], summary: 'Prometheus metrics (text exposition format)' }, ...guard }, async (_request, reply) => {
    const text = `${await registry.metrics()}\n${await shared.metrics()}`;
    return reply.type(registry.contentType).send(text);
  });
  return registry;
}
