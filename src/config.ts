// The one place that reads process.env: a typed, frozen configuration or one clear error line.
import { isIP } from 'node:net';
import type { SqliteSynchronous } from './db/connect.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly logLevel: LogLevel;
  readonly elapsedToleranceSeconds: number;
  readonly rateLimitPerMinute: number;
  readonly authRateLimitPerMinute: number;
  /** redis://… : rate-limit counters shared by every instance; unset = counters in each process. */
  readonly rateLimitRedisUrl: string | null;
  readonly testClock: boolean;
  readonly nodeEnv: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly dbPoolMax: number;
  /** SQLite's durability: full (a commit survives a power loss; the default) or normal (a process crash). */
  readonly sqliteSynchronous: SqliteSynchronous;
  /** Origins whose browser pages may call the API (CORS), exactly as a browser sends them; empty = none. */
  readonly corsOrigins: readonly string[];
  /** Bearer token that GET /metrics requires; null = /metrics is open (keep it off the public network). */
  readonly metricsToken: string | null;
  /** smtp:// or smtps:// (optional user:pass@) for password-reset mail; null = reset answers 503. */
  readonly smtpUrl: string | null;
  /** The From header of the mail Focus sends. */
  readonly mailFrom: string;
  /** The link a reset mail holds; `{token}` is replaced by the reset token. */
  readonly passwordResetUrl: string;
  /** Fastify's trustProxy: false, true, or a comma list of addresses, ranges and names. */
  readonly trustProxy: boolean | string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${raw}")`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${raw}")`);
  return value;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function addressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

/**
 * Whom to believe for the client's address (X-Forwarded-For: the per-IP limits, the log) and for
 * X-Forwarded-Proto/Host. Unset: nobody, as when Focus faces its clients directly; behind a reverse
 * proxy, its address (a header anyone else sends is ignored), `true` only when nothing but the proxy
 * can reach Focus. No hop counts: Fastify trusts none (it cannot tell the proxy from a client).
 */
function trustProxy(env: Env): boolean | string {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  const entries = raw.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !PROXY_NAMES.has(entry) && !addressOrRange(entry));
  if (bad !== undefined) {
    throw new ConfigError('TRUST_PROXY', `must be true or a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal or uniquelocal (got "${bad}")`);
  }
  return entries.join(',');
}

function redisUrl(env: Env): string | null {
  const raw = env.RATE_LIMIT_REDIS_URL;
  if (raw === undefined || raw === '') return null;
  if (!/^rediss?:\/\/[^\s]+$/.test(raw)) throw new ConfigError('RATE_LIMIT_REDIS_URL', 'must be a redis:// or rediss:// URL');
  return raw;
}

/**
 * Each entry must be what a browser sends in its Origin header (scheme://host[:port], lower-case
 * host, no default port, no path): anything else would never match, and the mistake would show only
 * as browsers refusing every answer.
 */
function corsOrigins(env: Env): readonly string[] {
  const raw = env.CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return Object.freeze([]);
  const origins = raw.split(',').map((entry) => entry.trim());
  for (const entry of origins) {
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    } catch {
      // not a URL: reported below
    }
    if (origin !== entry) {
      const hint = origin ? ` (write it as "${origin}")` : '';
      throw new ConfigError('CORS_ORIGINS', `must be a comma-separated list of origins such as https://app.example.com or http://localhost:5173; "${entry}" is not one${hint}`);
    }
  }
  return Object.freeze([...new Set(origins)]);
}

function metricsToken(env: Env): string | null {
  const raw = env.METRICS_TOKEN;
  if (raw === undefined || raw === '') return null;
  // The characters a bearer token may hold (RFC 6750 b64token); a short one could be guessed.
  if (!/^[A-Za-z0-9._~+/-]{16,256}=*$/.test(raw)) {
    throw new ConfigError('METRICS_TOKEN', 'must be 16 to 256 characters of A-Z a-z 0-9 . _ ~ + / - (e.g. from `openssl rand -hex 32`)');
  }
  return raw;
}

function smtpUrl(env: Env): string | null {
  const raw = env.SMTP_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  // never repeat the URL itself: it may hold a password
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    throw new ConfigError('SMTP_URL', 'must be smtp://[user:pass@]host[:port] or smtps://[user:pass@]host[:port]');
  }
  return raw;
}

function mailFrom(env: Env): string {
  const raw = env.MAIL_FROM;
  if (raw === undefined || raw.trim() === '') return 'Focus <no-reply@localhost>';
  // an address, alone or in angle brackets after a name; a line break would let it add headers
  if (!/^([^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(raw.trim())) {
    throw new ConfigError('MAIL_FROM', `must be an address or a name and an address, such as Focus <no-reply@example.com> (got ${JSON.stringify(raw)})`);
  }
  return raw.trim();
}

function passwordResetUrl(env: Env): string {
  const raw = env.PASSWORD_RESET_URL;
  if (raw === undefined || raw === '') return 'http://127.0.0.1:3000/#/reset?token={token}';
  if (!/^https?:\/\/\S+$/.test(raw) || !raw.includes('{token}')) {
    throw new ConfigError('PASSWORD_RESET_URL', `must be an http:// or https:// URL holding {token}, such as https://app.example.com/#/reset?token={token} (got ${JSON.stringify(raw)})`);
  }
  return raw;
}

function sqliteSynchronous(env: Env): SqliteSynchronous {
  const raw = env.SQLITE_SYNCHRONOUS;
  if (raw === undefined || raw === '') return 'full';
  const value = raw.toLowerCase();
  if (value !== 'full' && value !== 'normal') throw new ConfigError('SQLITE_SYNCHRONOUS', `must be full or normal (got "${raw}")`);
  return value;
}

function databaseUrl(env: Env): string {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return 'sqlite:./data/focus.db';
  if (raw.startsWith('sqlite:')) {
    if (raw.length === 'sqlite:'.length) throw new ConfigError('DATABASE_URL', 'needs a path after "sqlite:" (got "sqlite:")');
    return raw;
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return raw;
  }
  // name only the scheme: the rest of a URL may hold a password
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(raw)?.[0] ?? 'no scheme';
  throw new ConfigError('DATABASE_URL', `must start with "sqlite:" or "postgres://" (got ${scheme === 'no scheme' ? scheme : `"${scheme}"`})`);
}

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  const clock = env.FOCUS_TEST_CLOCK;
  if (clock !== undefined && clock !== '' && clock !== '0' && clock !== '1') {
    throw new ConfigError('FOCUS_TEST_CLOCK', `must be 1 or unset (got "${clock}")`);
  }
  const nodeEnv = env.NODE_ENV ?? 'development';
  const testClock = clock === '1';
  if (testClock && nodeEnv === 'production') {
    throw new ConfigError('FOCUS_TEST_CLOCK', 'must not be set when NODE_ENV=production');
  }
  const host = env.HOST === undefined || env.HOST === '' ? '127.0.0.1' : env.HOST;
  return Object.freeze({
    port: integer(env, 'PORT', 3000, 0, 65535),
    host,
    databaseUrl: databaseUrl(env),
    logLevel,
    elapsedToleranceSeconds: integer(env, 'ELAPSED_TOLERANCE_SECONDS', 5, 0, 86400),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
    authRateLimitPerMinute: integer(env, 'AUTH_RATE_LIMIT_PER_MINUTE', 30, 0, 1_000_000),
    rateLimitRedisUrl: redisUrl(env),
    testClock,
    nodeEnv,
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86400),
    refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86400, 60, 365 * 86400),
    dbPoolMax: integer(env, 'DB_POOL_MAX', 10, 1, 1000),
    sqliteSynchronous: sqliteSynchronous(env),
    corsOrigins: corsOrigins(env),
    metricsToken: metricsToken(env),
    smtpUrl: smtpUrl(env),
    mailFrom: mailFrom(env),
    passwordResetUrl: passwordResetUrl(env),
    trustProxy: trustProxy(env),
  });
}
