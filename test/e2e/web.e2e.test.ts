// The reference web client in real Chromium against a real Focus server: sign up, the timer, reload,
// progress and badges, and the offline queue. Time is the page's fake clock (Playwright) passed to the
// server as X-Test-Now (FOCUS_TEST_CLOCK=1), so a 25-minute session takes no real waiting.
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FocusServer, apiAs, chromiumAvailable, CHROMIUM, launchChromium, openClockedPage, startFocusServer } from './harness.js';

if (!chromiumAvailable) {
  process.stdout.write(`\n[focus] ${CHROMIUM} not found: the web client end-to-end tests are SKIPPED (apt-get install -y chromium).\n\n`);
}

// 10:00 in Berlin on a Wednesday: no early-bird or night-owl badge by accident.
const START = Date.parse('2026-02-18T09:00:00Z');
const EMAIL = `e2e.${process.pid}.${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery';

interface ActiveSession {
  id: number;
  status: string;
  elapsed_seconds: number;
}

describe.skipIf(!chromiumAvailable)('web client in Chromium', () => {
  let server: FocusServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let get: Awaited<ReturnType<typeof apiAs>>;
  let pausedAt = 0;
  const cspViolations: string[] = [];

  const eventually = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });
  const countdown = () => page.getByTestId('countdown');
  // The page clock is fake but keeps flowing while the test works: allow the seconds the test takes.
  const remaining = async () => {
    const [m, sec] = ((await countdown().textContent()) ?? '').split(':').map(Number);
    return (m ?? 0) * 60 + (sec ?? 0);
  };
  const near = (expected: number) => (seconds: number) => seconds <= expected && seconds >= expected - 3;
  const timerState = () => page.getByTestId('timer-state');
  const now = () => page.evaluate(() => new Date(Date.now()).toISOString().slice(0, 19) + 'Z');

  beforeAll(async () => {
    server = await startFocusServer();
    browser = await launchChromium();
    ({ context, page } = await openClockedPage(browser, { viewport: { width: 360, height: 780 }, time: START }));
    // the server's Content-Security-Policy must not break any screen of the client
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs up with the browser time zone and keeps the access token out of localStorage', async () => {
    await page.goto(server.url);
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    const registered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/register'));
    await page.getByRole('button', { name: 'Create account' }).click();
    const body = (await (await registered).json()) as { data: { access_token: string; user: { timezone: string } } };
    expect(body.data.user.timezone).toBe('Europe/Berlin');
    await eventually(() => page.getByRole('button', { name: /Lock-in/ }).isVisible()).toBe(true);
    const stored = await page.evaluate(() => Object.values(localStorage).join('\n'));
    expect(stored).not.toContain(body.data.access_token);
    get = await apiAs(server.url, EMAIL, PASSWORD);
  });

  it('locks in for 25 minutes and counts down in the browser', async () => {
    await page.getByRole('radio', { name: '25 min' }).check();
    await page.getByRole('button', { name: /Lock-in/ }).click();
    await eventually(() => timerState().textContent()).toBe('Locked in');
    await page.clock.fastForward('05:00');
    await eventually(async () => near(1200)(await remaining())).toBe(true);
    const start = server.received.find((r) => r.method === 'POST' && r.path === '/api/v1/sessions');
    expect(start).toMatchObject({ status: 201, idempotencyKey: expect.any(String) });
  });

  it('pauses: the server stores the elapsed seconds', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await eventually(() => timerState().textContent()).toBe('Paused');
    await eventually(async () => (await get<ActiveSession>('/sessions/active'))?.status).toBe('paused');
    pausedAt = (await get<ActiveSession>('/sessions/active')).elapsed_seconds;
    expect(near(303)(pausedAt)).toBe(true);
    expect(await remaining()).toBe(1500 - pausedAt);
    await page.clock.fastForward('10:00');
    expect(await remaining()).toBe(1500 - pausedAt);
  });

  it('restores the paused timer after a reload, still signed in', async () => {
    await page.reload();
    await eventually(() => timerState().textContent()).toBe('Paused');
    expect(await remaining()).toBe(1500 - pausedAt);
  });

  it('resumes and completes by itself when the countdown reaches zero, celebrating the new badge', async () => {
    await page.getByRole('button', { name: 'Resume' }).click();
    await eventually(async () => (await get<ActiveSession>('/sessions/active'))?.status).toBe('active');
    await page.clock.fastForward((1500 - pausedAt - 10) * 1000);
    await eventually(async () => near(10)(await remaining())).toBe(true);
    await page.clock.fastForward('00:11');
    const dialog = page.getByTestId('celebration');
    await eventually(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('First Focus');
    expect(await get('/sessions/active')).toBeNull();
    await page.getByRole('button', { name: 'Nice!' }).click();
    expect(await page.getByTestId('result').textContent()).toContain('Session complete');
  });

  it('shows today, the streak, the charts, the earned badge and the history on Progress', async () => {
    await page.getByRole('link', { name: 'Progress' }).click();
    const summary = page.getByTestId('summary');
    await eventually(() => summary.textContent()).toContain('25 minFocus today');
    expect(await summary.textContent()).toContain('1Sessions today');
    expect(await summary.textContent()).toContain('1 dayCurrent streak');
    // badges, charts and history each arrive with their own request: wait for each
    await eventually(() => page.locator('[data-badge="first_focus"]').getAttribute('data-earned')).toBe('yes');
    expect(await page.locator('[data-badge="sessions_10"]').getAttribute('data-earned')).toBe('no');
    // The week's summary (its chart says the same in a table) and the heatmap: progress.e2e checks them in depth.
    await eventually(() => page.getByTestId('summary-days').locator('tbody tr').count()).toBe(7);
    await eventually(() => page.getByTestId('summary-focus').textContent()).toBe('25 min');
    await eventually(() => page.getByTestId('heatmap').getAttribute('aria-label')).toContain('25 min on 1 day');
    await eventually(() => page.getByTestId('history').locator('li').count()).toBe(1);
    expect(await page.getByTestId('history').textContent()).toContain('completed');
  });

  it('keeps the timer running offline, queues pause and end, and sends each once when back online', async () => {
    await page.getByRole('link', { name: 'Timer', exact: true }).click();
    await page.getByRole('button', { name: 'Start another' }).click();
    await page.getByRole('button', { name: /Lock-in/ }).click();
    await eventually(() => timerState().textContent()).toBe('Locked in');
    const sessionId = (await get<ActiveSession>('/sessions/active')).id;

    await context.setOffline(true);
    await page.clock.fastForward('02:00');
    await eventually(async () => near(1380)(await remaining())).toBe(true);
    await page.getByRole('button', { name: 'Pause' }).click();
    await eventually(() => page.getByTestId('sync-banner').textContent()).toContain('Offline · 1 change waiting');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.clock.fastForward('23:05');
    await eventually(() => page.getByTestId('result').textContent()).toContain('sent as soon as the network is back');
    expect(await page.getByTestId('sync-banner').textContent()).toContain('3 changes waiting');
    // Nothing reached the server while offline.
    expect(await get<ActiveSession>('/sessions/active')).toMatchObject({ id: sessionId, status: 'active', elapsed_seconds: 0 });

    // Back online, the answer to the end call is lost once: the server applied it, the page never
    // heard. The retry carries the same Idempotency-Key, so it is answered, not counted again.
    let dropped = false;
    await page.route('**/api/v1/sessions/*/end', async (route) => {
      if (dropped) return route.fallback();
      dropped = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await context.setOffline(false);
    await eventually(() => dropped).toBe(true);
    await eventually(async () => (await get('/sessions/active')) === null).toBe(true);
    await page.clock.fastForward('00:16'); // the queue retries after 15 s
    await eventually(() => page.getByTestId('sync-banner').count()).toBe(0);
    // The card says the session is in; the line under it has today's total (the card no longer repeats it).
    await eventually(() => page.getByTestId('result').textContent()).not.toContain('sent as soon as the network is back');
    await eventually(() => page.getByTestId('today-line').textContent()).toContain('50 min of focus');

    // What the server received for this session: one of each, plus the retried end, answered as a replay.
    const calls = server.received.filter((r) => r.path.startsWith(`/api/v1/sessions/${sessionId}/`));
    expect(calls.map((r) => [r.path.split('/').pop(), r.status, r.replayed])).toEqual([
      ['pause', 200, false],
      ['resume', 200, false],
      ['end', 200, false],
      ['end', 200, true],
    ]);
    expect(calls[3]!.idempotencyKey).toBe(calls[2]!.idempotencyKey);
    expect(new Set(calls.map((r) => r.idempotencyKey)).size).toBe(3);

    const stats = await get<{ total_sessions_completed: number; total_focus_seconds: number }>('/stats', await now());
    expect(stats).toMatchObject({ total_sessions_completed: 2, total_focus_seconds: 3000 });
    const [session] = await get<{ id: number; status: string; elapsed_seconds: number }[]>('/sessions?limit=1');
    expect(session).toMatchObject({ id: sessionId, status: 'completed', elapsed_seconds: 1500 });
  });

  it('is usable by keyboard: Tab reaches the duration picker and Lock-in starts from the keyboard', async () => {
    await page.getByRole('button', { name: 'Start another' }).click();
    await page.getByRole('radio', { name: '45 min' }).focus();
    await page.keyboard.press('ArrowRight'); // radio group: arrows move the choice
    expect(await page.getByRole('radio', { name: '60 min' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: /Lock-in/ }).focus();
    await page.keyboard.press('Enter');
    await eventually(async () => near(3600)(await remaining())).toBe(true);
    await page.getByRole('button', { name: 'Give up' }).focus();
    await page.keyboard.press('Enter');
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await eventually(focused).toBe('Keep going');
    await page.keyboard.press('Tab');
    await eventually(focused).toBe('Give up');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByTestId('result').textContent()).toContain('Session ended early');
    await eventually(focused).toBe('Session ended early');
    await eventually(async () => (await get<{ status: string }[]>('/sessions?limit=1'))[0]?.status).toBe('abandoned');
  });
  it('keeps a pause queued offline when the tab is closed, and sends it when the page is opened again', async () => {
    await page.getByRole('button', { name: 'Start another' }).click();
    await page.getByRole('radio', { name: '60 min' }).check(); // the picker preselects the default, 25 min
    await page.getByRole('button', { name: /Lock-in/ }).click();
    await eventually(() => timerState().textContent()).toBe('Locked in');
    await page.clock.fastForward('01:00');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Pause' }).click();
    await eventually(() => page.getByTestId('sync-banner').textContent()).toContain('1 change waiting');
    const seconds = 3600 - (await remaining());
    await page.close();
    expect(await get<ActiveSession>('/sessions/active')).toMatchObject({ status: 'active', elapsed_seconds: 0 });

    await context.setOffline(false);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(server.url);
    await eventually(async () => (await get<ActiveSession>('/sessions/active'))?.status).toBe('paused');
    expect((await get<ActiveSession>('/sessions/active')).elapsed_seconds).toBe(seconds);
    await eventually(() => timerState().textContent()).toBe('Paused');
    expect(await remaining()).toBe(3600 - seconds);
    await page.getByRole('button', { name: 'Give up' }).click();
    await page.getByRole('group').getByRole('button', { name: 'Give up' }).click();
    await eventually(async () => (await get('/sessions/active')) === null).toBe(true);
  });

  it('two tabs reloading at once both stay signed in: refreshes take turns, so none reuses a rotated token', async () => {
    const second = await context.newPage();
    await second.goto(server.url);
    await second.getByRole('link', { name: 'Progress', exact: true }).waitFor();
    const before = server.received.length;
    // Hold each refresh a moment before it leaves the browser, so both tabs are refreshing at once.
    const slow = async (route: Route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    };
    await context.route('**/api/v1/auth/refresh', slow);
    await Promise.all([page.reload(), second.reload()]);
    for (const tab of [page, second]) await tab.getByRole('link', { name: 'Progress', exact: true }).click();
    for (const tab of [page, second]) await tab.getByTestId('summary').waitFor();
    const refreshes = server.received.slice(before).filter((r) => r.path === '/api/v1/auth/refresh');
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(refreshes.map((r) => r.status)).toEqual(refreshes.map(() => 200));
    await context.unroute('**/api/v1/auth/refresh', slow);
    await second.close();
  });

  it('signs out: the refresh token is revoked and forgotten, and a reload shows the login', async () => {
    const token = await page.evaluate(() => localStorage.getItem('focus.refreshToken'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('focus.refreshToken'))).toBeNull();
    const refresh = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: token }),
    });
    expect(refresh.status).toBe(401);
    await page.reload();
    await page.getByRole('button', { name: 'Create account' }).waitFor();
  });

  it('met no Content-Security-Policy violation on any screen along the way', () => {
    expect(cspViolations).toEqual([]);
  });
});
