// npm run screenshots: every screen of the web client on a 360 px phone and a desktop, in the light and
// the dark theme, written to docs/screenshots/<device>-<theme>-<screen>.png. Real server, real Chromium;
// each of the four runs has its own user with 12 weeks of tagged history made through the API with the
// test clock (a daily goal, a streak that earned a freeze and spent it), so every chart has something to show.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, type ColorScheme, chromiumAvailable, launchChromium, startFocusServer } from '../test/e2e/harness.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const TODAY_0900_BERLIN = Date.parse('2026-02-18T08:00:00Z');
const DAY_MS = 86_400_000;
const PASSWORD = 'correct horse battery';
const TAGS = [
  { name: 'Deep work', color: '#4F46E5' },
  { name: 'Reading', color: '#0E9F6E' },
  { name: 'Writing', color: '#D97706' },
];
const DEVICES = [
  { device: 'phone', viewport: { width: 360, height: 760 }, deviceScaleFactor: 2 },
  { device: 'desktop', viewport: { width: 1200, height: 820 }, deviceScaleFactor: 1 },
] as const;
const SCHEMES: ColorScheme[] = ['light', 'dark'];

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

/** How many sessions a day `daysAgo` before today holds: weekdays mostly, 7 days in a row that earn a
 * freeze, one missed day that the freeze covers, then four more days and three sessions today. */
function sessionsOn(daysAgo: number): number {
  if (daysAgo === 0) return 3;
  if (daysAgo === 5) return 0; // frozen
  if (daysAgo <= 12) return 2;
  if (daysAgo === 13) return 0; // the streak starts the day after
  const weekday = new Date(TODAY_0900_BERLIN - daysAgo * DAY_MS).getUTCDay();
  const pattern = (daysAgo * 7 + 3) % 11;
  return weekday === 0 || weekday === 6 || pattern < 3 ? 0 : 1 + (pattern % 3);
}

/** A user with a plausible 12 weeks (tags, notes, a 90-minute daily goal); signs them up and returns nothing. */
async function seedUser(base: string, email: string): Promise<void> {
  const registered = await call(base, null, 'POST', '/auth/register', { email, password: PASSWORD, timezone: 'Europe/Berlin', display_name: 'Ada' }, TODAY_0900_BERLIN - 90 * DAY_MS);
  const token = registered.access_token as string;
  await call(base, token, 'PATCH', '/users/me', { settings: { daily_goal_seconds: 5400 } });
  const tagIds: number[] = [];
  for (const tag of TAGS) tagIds.push((await call(base, token, 'POST', '/tags', tag)).id as number);
  for (let daysAgo = 83; daysAgo >= 0; daysAgo -= 1) {
    let t = TODAY_0900_BERLIN - daysAgo * DAY_MS;
    for (let i = 0; i < sessionsOn(daysAgo); i += 1) {
      const minutes = [25, 45, 60][(daysAgo + i) % 3]!;
      const tag = [tagIds[0], tagIds[1], tagIds[2], undefined][(daysAgo * 3 + i) % 4];
      const started = await call(base, token, 'POST', '/sessions', { duration_seconds: minutes * 60, ...(tag ? { tag_id: tag } : {}) }, t);
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

/** One device in one theme: every screen, from a password-reset link to Settings. */
async function shootAll(browser: Browser, base: string, { device, viewport, deviceScaleFactor }: (typeof DEVICES)[number], scheme: ColorScheme) {
  const email = `ada.${device}.${scheme}@example.com`;
  await seedUser(base, email);
  const context = await browser.newContext({ viewport, deviceScaleFactor, timezoneId: 'Europe/Berlin', locale: 'en-GB', colorScheme: scheme });
  await context.addInitScript(() => localStorage.setItem('focusTestClock', '1'));
  // 14:00 in Berlin: the browser's session is the fourth of the day and earns "Four a Day".
  await context.clock.install({ time: TODAY_0900_BERLIN + 5 * 3600_000 });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const name = (screen: string) => `${device}-${scheme}-${screen}`;

  await page.goto(`${base}/#/reset?token=from-the-email`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await shoot(page, name('reset'));

  await page.goto(`${base}/#/`);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await page.getByRole('button', { name: 'Send reset link' }).waitFor();
  await shoot(page, name('forgot-password'));
  await page.getByRole('button', { name: 'Back to log in' }).click();
  await page.getByLabel('Password').fill(PASSWORD);
  await shoot(page, name('login'));
  await page.locator('form').getByRole('button', { name: 'Log in' }).click();

  await page.getByRole('button', { name: /Lock-in/ }).waitFor();
  await page.getByLabel('Tag').selectOption({ label: 'Deep work' });
  await page.getByLabel('Note (optional)').fill('Chapter 3: the first draft');
  await page.getByTestId('today-line').waitFor();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // no focus ring in the picture
  await shoot(page, name('timer'));
  await page.getByRole('button', { name: /Lock-in/ }).click();
  await page.getByText('Locked in').waitFor();
  await page.clock.fastForward('08:20');
  await shoot(page, name('timer-running'));
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByText('Paused', { exact: true }).waitFor();
  await shoot(page, name('timer-paused'));
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.clock.fastForward('16:45');
  await page.getByTestId('result').waitFor();
  await page.getByTestId('celebration').waitFor();
  await shoot(page, name('badge-celebration'));
  await page.getByRole('button', { name: 'Nice!' }).click();
  await shoot(page, name('result'));

  await page.getByRole('link', { name: 'Progress', exact: true }).click();
  for (const part of ['summary', 'period-summary', 'heatmap', 'badges', 'history']) await page.getByTestId(part).waitFor();
  await page.getByTestId('history').locator('li').first().waitFor();
  await shoot(page, name('progress'), true);

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Time zone').waitFor();
  await page.getByText('Deep work').first().waitFor();
  await shoot(page, name('settings'), true);
  await context.close();
}

async function main(): Promise<void> {
  if (!chromiumAvailable) throw new Error(`${CHROMIUM} not found (apt-get install -y chromium)`);
  mkdirSync(OUT, { recursive: true });
  // the set is made whole each time: a screen renamed or dropped leaves no stale picture behind
  for (const file of readdirSync(OUT)) if (file.endsWith('.png')) rmSync(`${OUT}${file}`);
  const server = await startFocusServer();
  const browser = await launchChromium();
  try {
    for (const device of DEVICES) for (const scheme of SCHEMES) await shootAll(browser, server.url, device, scheme);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
