// One-at-a-time HTTP requests (setup, seeding through the API, and the sequential scale timings).
import { Agent, request as httpRequest } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export interface Reply {
  status: number;
  body: string;
  /** Client-observed milliseconds from sending the request to the last byte of the response. */
  ms: number;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  method?: string;
  path: string;
  token?: string;
  now?: string;
  body?: unknown;
}

export function send(baseUrl: string, options: RequestOptions): Promise<Reply> {
  const url = new URL(options.path, baseUrl);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.now) headers['x-test-now'] = options.now;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(url, { method: options.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const ms = performance.now() - started;
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body, ms, json: <T>() => JSON.parse(body) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Sends and throws unless the status is the expected one. */
export async function expectStatus(baseUrl: string, status: number, options: RequestOptions): Promise<Reply> {
  const reply = await send(baseUrl, options);
  if (reply.status !== status) {
    throw new Error(`${options.method ?? 'GET'} ${options.path}: expected ${status}, got ${reply.status} ${reply.body.slice(0, 300)}`);
  }
  return reply;
}

/** RFC 3339 UTC with whole seconds. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

export interface BenchUser {
  id: number;
  email: string;
  token: string;
  /** This user's test clock (X-Test-Now), in epoch milliseconds; each lifecycle cycle moves it on. */
  clockMs: number;
}

/** Registers `count` users through the API, `concurrency` at a time (argon2 is the slow part). */
export async function registerUsers(baseUrl: string, count: number, label: string, startMs: number, concurrency = 4): Promise<BenchUser[]> {
  const users: BenchUser[] = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const email = `bench.${label}.${process.pid}.${i}@example.com`;
      const reply = await expectStatus(baseUrl, 201, {
        method: 'POST',
        path: '/api/v1/auth/register',
        body: { email, password: 'bench password 123' },
      });
      const data = reply.json<{ data: { access_token: string; user: { id: number } } }>().data;
      users[i] = { id: data.user.id, email, token: data.access_token, clockMs: startMs };
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return users;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
