// End-to-end harness: the web client built into a temp dir, a real Focus server listening on a free
// port over a fresh SQLite file (FOCUS_TEST_CLOCK=1), and Debian's Chromium driven by playwright-core.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { build } from 'vite';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connect } from '../../src/db/connect.js';
import { migrateToLatestOrThrow } from '../../src/db/migrate.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

const WEB_CONFIG = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));

/** `vite build` of the web client into `outDir` (a temp dir, so parallel runs never share web/dist). */
export async function buildWebClient(outDir: string): Promise<void> {
  await build({ configFile: WEB_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

export interface ReceivedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status?: number;
  replayed?: boolean;
}

export interface FocusServer {
  url: string;
  /** Every /api request the server received, in order, with its answer's status. */
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** Builds the web client and starts a real listening server on 127.0.0.1, any free port. */
export async function startFocusServer(env: Record<string, string> = {}): Promise<FocusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'focus-e2e-'));
  const webRoot = join(dir, 'web');
  await buildWebClient(webRoot);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    FOCUS_TEST_CLOCK: '1',
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_RATE_LIMIT_PER_MINUTE: '0',
    DATABASE_URL: `sqlite:${join(dir, 'focus.db')}`,
    PORT: '0',
    ...env,
  });
  const database = connect(config.databaseUrl);
  await migrateToLatestOrThrow(database.db);
  const app = await buildApp(config, database, { webRoot });
  const received: ReceivedRequest[] = [];
  const seen = new WeakMap<object, ReceivedRequest>();
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const key = request.headers['idempotency-key'];
    const entry = { method: request.method, path: request.url.split('?')[0] ?? '', idempotencyKey: typeof key === 'string' ? key : null };
    received.push(entry);
    seen.set(request, entry);
  });
  app.addHook('onResponse', async (request, reply) => {
    const entry = seen.get(request);
    if (!entry) return;
    entry.status = reply.statusCode;
    entry.replayed = reply.getHeader('idempotent-replayed') === 'true';
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async close() {
      await app.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A browser context on the test clock: Playwright's fake clock installed at `time`, which the client
 * sends as X-Test-Now (`localStorage.focusTestClock`); Berlin's time zone and en-GB unless the options
 * say otherwise. Returns it with its first page (10 s default timeout).
 */
export async function openClockedPage(browser: Browser, { time, ...options }: BrowserContextOptions & { time: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-GB', ...options });
  await context.addInitScript(() => localStorage.setItem('focusTestClock', '1'));
  await context.clock.install({ time });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/**
 * Runs axe-core (every rule it has: WCAG 2.2 A and AA, best practices) on the page as it is now and
 * throws, listing each one, when any violation is serious or critical. `label` names the screen and
 * theme in the message. Not tied to vitest, so scripts can use it too.
 */
export async function expectNoSeriousA11yViolations(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length === 0) return;
  const lines = serious.flatMap((v) => [
    `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`,
    ...v.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
  ]);
  throw new Error(`${label}: ${serious.length} serious or critical accessibility violation(s)\n  ${lines.join('\n  ')}`);
}

export type ColorScheme = 'light' | 'dark';

/**
 * Shows the page in a colour scheme: 'system' emulates the device's preference (prefers-color-scheme)
 * with no data-theme attribute; 'attribute' forces it with <html data-theme>, as the settings screen does.
 */
export async function showColorScheme(page: Page, scheme: ColorScheme, via: 'system' | 'attribute' = 'system'): Promise<void> {
  if (via === 'system') {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
  } else {
    await page.emulateMedia({ colorScheme: scheme === 'light' ? 'dark' : 'light' }); // the attribute must win over the device
    await page.evaluate((theme) => document.documentElement.setAttribute('data-theme', theme), scheme);
  }
}

/** A small client for checking, from outside the browser, what the server really stored. */
export async function apiAs(baseUrl: string, email: string, password: string) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
  return async function get<T = unknown>(path: string, now?: string): Promise<T> {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      headers: { authorization: `Bearer ${token}`, ...(now ? { 'x-test-now': now } : {}) },
    });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: T }).data;
  };
}
