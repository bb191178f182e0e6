// npm run screenshots: the web client's main screens, on a 360 px phone and a desktop, written to
// docs/screenshots/*.png. Real server, real Chromium; 12 weeks of history are made through the API
// with the test clock, so the charts and badges have something to show.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Page } from 'playwright-core';
import { CHROMIUM, chromiumAvailable, launchChromium, startFocusServer } from '../test/e2e/harness.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const TODAY_0900_BERLIN = Date.parse('2026-02-18T08:00:00Z');
const PASSWORD = 'correct horse battery';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

async function call(base: string, token: string | null, method: string, path: string, body?: unknown, now?: number) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(now === undefined ? {} : { 'x-test-now': iso(now) }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { data: Record<string, unknown> };
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** A user with a plausible 12 weeks: most weekdays one to three sessions, a streak, three sessions today. */
async function seedUser(base: string, email: string): Promise<void> {
  const registered = await call(base, null, 'POST', '/auth/register', { email, password: PASSWORD, timezone: 'Europe/Berlin', display_name: 'Ada' });
  const token = registered.access_token as string;
  for (let daysAgo = 83; daysAgo >= 0; daysAgo -= 1) {
    const dayStart = TODAY_0900_BERLIN - daysAgo * 86_400_000;
    const weekday = new Date(dayStart).getUTCDay();
    const pattern = (daysAgo * 7 + 3) % 11;
    const inStreak = daysAgo <= 4;
    if (!inStreak && (weekday === 0 || weekday === 6 || pattern < 3 || daysAgo === 5)) continue;
    const sessions = daysAgo === 0 ? 3 : inStreak ? 2 : 1 + (pattern % 3);
    let t = dayStart;
    for (let i = 0; i < sessions; i += 1) {
      const minutes = [25, 45, 60][(pattern + i) % 3]!;
      const started = await call(base, token, 'POST', '/sessions', { duration_seconds: minutes * 60 }, t);
      t += minutes * 60_000;
      await call(base, token, 'PATCH', `/sessions/${started.id}/end`, { elapsed_seconds: minutes * 60, status: 'completed' }, t);
      t += 15 * 60_000;
    }
  }
}

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage });
  process.stdout.write(`  docs/screenshots/${name}.png\n`);
}

async function main(): Promise<void> {
  if (!chromiumAvailable) throw new Error(`${CHROMIUM} not found (apt-get install -y chromium)`);
  mkdirSync(OUT, { recursive: true });
  const server = await startFocusServer();
  const browser = await launchChromium();
  try {
    for (const [device, viewport] of [
      ['phone', { width: 360, height: 760 }],
      ['desktop', { width: 1200, height: 820 }],
    ] as const) {
      const email = `ada.${device}@example.com`;
      await seedUser(server.url, email);
      const context = await browser.newContext({
        viewport,
        deviceScaleFactor: device === 'phone' ? 2 : 1,
        timezoneId: 'Europe/Berlin',
        locale: 'en-GB',
        colorScheme: 'light',
      });
      await context.addInitScript(() => localStorage.setItem('focusTestClock', '1'));
      // 14:00 in Berlin: the browser's session is the fourth of the day and earns "Four a Day".
      await context.clock.install({ time: TODAY_0900_BERLIN + 5 * 3600_000 });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await shoot(page, `${device}-login`);
      await page.locator('form').getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('button', { name: /Lock-in/ }).waitFor();
      await shoot(page, `${device}-timer`);
      await page.getByRole('button', { name: /Lock-in/ }).click();
      await page.getByText('Locked in').waitFor();
      await page.clock.fastForward('08:20');
      await shoot(page, `${device}-timer-running`);
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByText('Paused', { exact: true }).waitFor();
      await shoot(page, `${device}-timer-paused`);
      await page.getByRole('button', { name: 'Resume' }).click();
      await page.clock.fastForward('16:45');
      await page.getByTestId('result').waitFor();
      if (await page.getByTestId('celebration').isVisible()) {
        await shoot(page, `${device}-badge-celebration`);
        await page.getByRole('button', { name: 'Nice!' }).click();
      }
      await page.getByRole('link', { name: 'Progress', exact: true }).click();
      await page.getByTestId('badges').waitFor();
      await page.getByTestId('history').waitFor();
      await shoot(page, `${device}-progress`, true);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
