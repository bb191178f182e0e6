import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted an invalid configuration');
}

describe('loadConfig', () => {
  it('gives the contract defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/focus.db',
      logLevel: 'info',
      elapsedToleranceSeconds: 5,
      rateLimitPerMinute: 1200,
      authRateLimitPerMinute: 30,
      testClock: false,
      nodeEnv: 'development',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 2592000,
      dbPoolMax: 10,
      sqliteSynchronous: 'full',
      rateLimitRedisUrl: null,
      corsOrigins: [],
      metricsToken: null,
      smtpUrl: null,
      mailFrom: 'Focus <no-reply@localhost>',
      passwordResetUrl: 'http://127.0.0.1:3000/#/reset?token={token}',
      trustProxy: false,
    });
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', HOST: '', DATABASE_URL: '', FOCUS_TEST_CLOCK: '' })).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/focus.db',
      testClock: false,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://focus:secret@db:5432/focus',
      LOG_LEVEL: 'warn',
      ELAPSED_TOLERANCE_SECONDS: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_RATE_LIMIT_PER_MINUTE: '10',
      FOCUS_TEST_CLOCK: '1',
      NODE_ENV: 'test',
      ACCESS_TOKEN_TTL_SECONDS: '60',
      REFRESH_TOKEN_TTL_SECONDS: '3600',
      DB_POOL_MAX: '25',
      SQLITE_SYNCHRONOUS: 'NORMAL',
      RATE_LIMIT_REDIS_URL: 'redis://cache:6379/0',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      METRICS_TOKEN: 'scrape-token-0123456789abcdef',
      SMTP_URL: 'smtps://focus:secret@mail.example.com:465',
      MAIL_FROM: 'Focus <focus@example.com>',
      PASSWORD_RESET_URL: 'https://app.example.com/#/reset?token={token}',
      TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1',
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      databaseUrl: 'postgres://focus:secret@db:5432/focus',
      logLevel: 'warn',
      elapsedToleranceSeconds: 0,
      rateLimitPerMinute: 0,
      authRateLimitPerMinute: 10,
      testClock: true,
      nodeEnv: 'test',
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 3600,
      dbPoolMax: 25,
      sqliteSynchronous: 'normal',
      rateLimitRedisUrl: 'redis://cache:6379/0',
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      metricsToken: 'scrape-token-0123456789abcdef',
      smtpUrl: 'smtps://focus:secret@mail.example.com:465',
      mailFrom: 'Focus <focus@example.com>',
      passwordResetUrl: 'https://app.example.com/#/reset?token={token}',
      trustProxy: 'loopback,10.0.0.0/8,fd00::1',
    });
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it('accepts postgresql:// and sqlite paths', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/focus' }).databaseUrl).toBe('postgresql://localhost/focus');
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/focus/focus.db' }).databaseUrl).toBe('sqlite:/var/lib/focus/focus.db');
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).databaseUrl).toBe('sqlite::memory:');
  });

  it('reads TRUST_PROXY=true and false', () => {
    expect([loadConfig({ TRUST_PROXY: 'true' }).trustProxy, loadConfig({ TRUST_PROXY: 'false' }).trustProxy]).toEqual([true, false]);
  });

  it('treats FOCUS_TEST_CLOCK=0 as off', () => {
    expect(loadConfig({ FOCUS_TEST_CLOCK: '0' }).testClock).toBe(false);
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '65536' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '3000.5' }],
    ['PORT', { PORT: '1e3' }],
    ['ELAPSED_TOLERANCE_SECONDS', { ELAPSED_TOLERANCE_SECONDS: 'five' }],
    ['ELAPSED_TOLERANCE_SECONDS', { ELAPSED_TOLERANCE_SECONDS: '86401' }],
    ['RATE_LIMIT_PER_MINUTE', { RATE_LIMIT_PER_MINUTE: '-5' }],
    ['AUTH_RATE_LIMIT_PER_MINUTE', { AUTH_RATE_LIMIT_PER_MINUTE: 'lots' }],
    ['ACCESS_TOKEN_TTL_SECONDS', { ACCESS_TOKEN_TTL_SECONDS: '9' }],
    ['REFRESH_TOKEN_TTL_SECONDS', { REFRESH_TOKEN_TTL_SECONDS: '59' }],
    ['DB_POOL_MAX', { DB_POOL_MAX: '0' }],
    ['SQLITE_SYNCHRONOUS', { SQLITE_SYNCHRONOUS: 'off' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'INFO' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/focus' }],
    ['DATABASE_URL', { DATABASE_URL: 'sqlite:' }],
    ['DATABASE_URL', { DATABASE_URL: './data/focus.db' }],
    ['FOCUS_TEST_CLOCK', { FOCUS_TEST_CLOCK: 'yes' }],
    ['FOCUS_TEST_CLOCK', { FOCUS_TEST_CLOCK: '1', NODE_ENV: 'production' }],
    ['RATE_LIMIT_REDIS_URL', { RATE_LIMIT_REDIS_URL: 'http://cache:6379' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: '*' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'app.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com/' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com/app' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://App.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com:443' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'ftp://files.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com,,http://localhost:5173' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'null' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'short' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'has spaces in the middle of it' }],
    ['SMTP_URL', { SMTP_URL: 'mail.example.com:25' }],
    ['SMTP_URL', { SMTP_URL: 'http://mail.example.com' }],
    ['SMTP_URL', { SMTP_URL: 'smtp://' }],
    ['MAIL_FROM', { MAIL_FROM: 'Focus' }],
    ['MAIL_FROM', { MAIL_FROM: 'Focus <no-reply@example.com>\r\nBcc: x@example.com' }],
    ['PASSWORD_RESET_URL', { PASSWORD_RESET_URL: 'https://app.example.com/#/reset' }],
    ['PASSWORD_RESET_URL', { PASSWORD_RESET_URL: 'app.example.com/reset?token={token}' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'yes' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'proxy.example.com' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.1,' }],
    ['TRUST_PROXY', { TRUST_PROXY: '1' }],
  ])('rejects an invalid %s with one line naming it (%o)', (variable, env) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain('\n');
  });

  it('never repeats a password from a DATABASE_URL with a wrong scheme', () => {
    const error = configError({ DATABASE_URL: 'postgress://focus:s3cret@db:5432/focus' });
    expect(error.message).toContain('"postgress:"');
    expect(error.message).not.toContain('s3cret');
  });

  it('never repeats the password of an SMTP_URL it refuses', () => {
    const error = configError({ SMTP_URL: 'smpt://focus:s3cret@mail.example.com' });
    expect(error.message).not.toContain('s3cret');
  });

  it('accepts SMTP_URL without credentials or port, and a bare MAIL_FROM address', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1' }).smtpUrl).toBe('smtp://127.0.0.1');
    expect(loadConfig({ MAIL_FROM: ' no-reply@example.com ' }).mailFrom).toBe('no-reply@example.com');
  });

  it('names the fix for an origin written otherwise than a browser sends it', () => {
    expect(configError({ CORS_ORIGINS: 'https://App.Example.com:443' }).message).toContain('"https://app.example.com"');
  });

  it('reads CORS_ORIGINS as exact origins, IPv6 and non-default ports included, duplicates once', () => {
    expect(loadConfig({ CORS_ORIGINS: 'http://[::1]:8080,https://a.example:8443,https://a.example:8443' }).corsOrigins).toEqual([
      'http://[::1]:8080',
      'https://a.example:8443',
    ]);
    expect(loadConfig({ CORS_ORIGINS: ' ' }).corsOrigins).toEqual([]);
  });

  it('accepts the PORT bounds 0 and 65535', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it('allows the test clock outside production', () => {
    expect(loadConfig({ FOCUS_TEST_CLOCK: '1', NODE_ENV: 'test' }).testClock).toBe(true);
  });
});
