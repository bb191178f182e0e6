// The web client's timer across devices, in real Chromium against a real Focus server (issue 15): a tag and
// note chosen at Lock-in, a second browser context (the same user signed in separately) showing the true
// time left, a pause and a resume made on one seen on the other, the end noticed (system notification and
// the tab title), and an end queued offline and sent after midnight counted on the day it finished.
// Each context's clock is Playwright's fake clock, sent to the server as X-Test-Now (FOCUS_TEST_CLOCK=1).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FocusServer,
  apiAs,
  chromiumAvailable,
  expectNoSeriousA11yViolations,
  launchChromium,
  openClockedPage,
  showColorScheme,
  startFocusServer,
} from './harness.js';

// 10:00 in Berlin on a Wednesday.
const START = Date.parse('2026-02-18T09:00:00Z');
const EMAIL = `sync.${process.pid}.${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery';

interface Session {
  id: number;
  status: string;
  elapsed_seconds: number;
  ended_at: string | null;
  note: string | null;
  tag: { id: number; name: string; color: string } | null;
}

interface Recorded {
  shown: { title: string; body?: string; tag?: string }[];
  asked: number;
  /** Web Audio tones made, and vibrations asked for. */
  tones: number;
  vibrations: number;
}

const eventually = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });
const seconds = async (page: Page) => {
  const [m, s] = ((await page.getByTestId('countdown').textContent()) ?? '').split(':').map(Number);
  return (m ?? 0) * 60 + (s ?? 0);
};
const timerState = (page: Page) => page.getByTestId('timer-state').textContent();
const pageNow = (page: Page) => page.evaluate(() => Date.now());
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '(body)');
const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __focusAlerts: Recorded }).__focusAlerts);

/** axe-core on the screen as it is, in the light and the dark theme. */
async function noSeriousViolations(page: Page, label: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await showColorScheme(page, scheme);
    await expectNoSeriousA11yViolations(page, `${label}, ${scheme}`);
  }
}

describe.skipIf(!chromiumAvailable)('the timer across devices, in Chromium', () => {
  let server: FocusServer;
  let browser: Browser;
  let a: { context: BrowserContext; page: Page };
  let b: { context: BrowserContext; page: Page };
  let get: Awaited<ReturnType<typeof apiAs>>;
  let sessionId = 0;
  const cspViolations: string[] = [];

  /** A browser context of its own (another device), its clock at `time`, signed in through the page. */
  async function device(time: number) {
    const { context, page } = await openClockedPage(browser, { viewport: { width: 390, height: 844 }, time });
    // Before the first navigation, so it runs in every document of this device.
    await context.addInitScript(() => {
      // Record what the page does with notifications, then let the real API do it.
      const alerts: Recorded = { shown: [], asked: 0, tones: 0, vibrations: 0 };
      (window as unknown as { __focusAlerts: Recorded }).__focusAlerts = alerts;
      const createOscillator = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        alerts.tones += 1;
        return createOscillator.call(this);
      };
      const vibrate = navigator.vibrate?.bind(navigator);
      navigator.vibrate = ((pattern: number[]) => {
        alerts.vibrations += 1;
        return vibrate ? vibrate(pattern) : false;
      }) as Navigator['vibrate'];
      const Real = window.Notification;
      class RecordedNotification extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          alerts.shown.push({ title, body: options?.body, tag: options?.tag });
        }
        static override requestPermission(): Promise<NotificationPermission> {
          alerts.asked += 1;
          return Real.requestPermission();
        }
      }
      window.Notification = RecordedNotification;
    });
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(server.url);
    await page.getByRole('group', { name: 'Account' }).getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('link', { name: 'Progress' }).waitFor();
    return { context, page };
  }

  beforeAll(async () => {
    server = await startFocusServer();
    browser = await launchChromium();
    const registered = await fetch(`${server.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-now': iso(START) },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD, timezone: 'Europe/Berlin', display_name: 'Grace' }),
    });
    expect(registered.status).toBe(201);
    get = await apiAs(server.url, EMAIL, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('locks in with a new tag (its colour) and a note: both stored and shown; notifications asked at Lock-in, not on load', async () => {
    a = await device(START);
    const { page } = a;
    await page.getByRole('button', { name: /Lock-in/ }).waitFor();
    expect(await page.getByRole('radio', { name: '25 min' }).isChecked()).toBe(true); // the user's default
    expect((await recorded(page)).asked).toBe(0);

    await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'New tag…' });
    await page.getByLabel('Tag name').fill('Writing');
    await page.getByRole('radio', { name: 'Green' }).check();
    await noSeriousViolations(page, 'timer picker with the new-tag form');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await eventually(async () => page.getByLabel('Tag', { exact: true }).locator('option:checked').textContent()).toBe('Writing');
    // A control character (pasted, say) is explained before anything is sent.
    await page.getByLabel('Note (optional)').fill('bell\u0007');
    expect(await page.getByRole('alert').textContent()).toContain('cannot contain control characters');
    expect(await page.getByRole('button', { name: /Lock-in/ }).isDisabled()).toBe(true);
    await page.getByLabel('Note (optional)').fill('Chapter two\nfirst draft');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('button', { name: /Lock-in/ }).click();

    await eventually(() => timerState(page)).toBe('Locked in');
    expect((await recorded(page)).asked).toBe(1);
    await eventually(() => focused(page)).toBe('Pause'); // not the page body
    await eventually(() => page.title()).toMatch(/^(25:00|24:5\d) · Focus$/);
    await noSeriousViolations(page, 'running timer with its tag and note');
    const label = await page.getByTestId('session-label').textContent();
    expect(label).toContain('Writing');
    expect(label).toContain('Chapter two');

    const active = await get<Session>('/sessions/active');
    sessionId = active.id;
    expect(active).toMatchObject({ tag: { name: 'Writing', color: '#0F9D6B' }, note: 'Chapter two\nfirst draft' });
  });

  it('a second context signed in separately shows the true time left (within 2 s of the first), tag and note', async () => {
    await a.page.clock.fastForward('05:00');
    await eventually(async () => (await seconds(a.page)) <= 1200).toBe(true);
    b = await device(await pageNow(a.page));
    await eventually(() => timerState(b.page)).toBe('Locked in');
    const [left, right] = [await seconds(a.page), await seconds(b.page)];
    expect(left).toBeLessThanOrEqual(1200);
    expect(Math.abs(left - right)).toBeLessThanOrEqual(2);
    expect(await b.page.getByTestId('session-label').textContent()).toContain('Writing');
  });

  it('a pause on one shows on the other when it regains focus; a resume within a minute', async () => {
    await a.page.getByRole('button', { name: 'Pause' }).click();
    await eventually(async () => (await get<Session>('/sessions/active')).status).toBe('paused');
    await b.page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await eventually(() => timerState(b.page)).toBe('Paused');
    expect(await seconds(b.page)).toBe(await seconds(a.page));

    await a.page.getByRole('button', { name: 'Resume' }).click();
    await eventually(async () => (await get<Session>('/sessions/active')).status).toBe('active');
    await b.page.clock.fastForward('01:01'); // the once-a-minute re-read, no event needed
    await eventually(() => timerState(b.page)).toBe('Locked in');
    // B's clock is a minute ahead now: it shows a minute less, as the true time left at its "now".
    expect(Math.abs((await seconds(a.page)) - 61 - (await seconds(b.page)))).toBeLessThanOrEqual(2);
    await b.context.close();
  });

  it('at the end: a system notification, "Done" in the tab title, focus kept off the page body', async () => {
    const { page, context } = a;
    await context.grantPermissions(['notifications'], { origin: server.url });
    expect(await page.evaluate(() => Notification.permission)).toBe('granted');
    await page.clock.fastForward(((await seconds(page)) - 5) * 1000);
    await eventually(() => page.title()).toMatch(/^00:0\d · Focus$/);
    expect(await recorded(page)).toMatchObject({ shown: [], tones: 0, vibrations: 0 });
    await page.clock.fastForward('00:06');
    await eventually(() => page.title()).toBe('Done · Focus');
    const alerts = await recorded(page);
    expect(alerts.shown).toEqual([{ title: 'Session complete', body: '25 min of focus · Writing. Well done.', tag: `focus-end-${sessionId}` }]);
    expect(alerts).toMatchObject({ tones: 2, vibrations: 1 }); // the chime's two tones, made on the page
    // The first completed session earns a badge: its dialog, then the card.
    await page.getByRole('button', { name: 'Nice!' }).click();
    await eventually(() => focused(page)).not.toBe('(body)');
    await eventually(async () => (await get<Session[]>('/sessions?limit=1'))[0]?.status).toBe('completed');
    await page.getByRole('button', { name: 'Start another' }).click();
    await eventually(() => page.evaluate(() => document.activeElement?.classList.contains('lock-in'))).toBe(true);
    expect(await page.title()).toBe('Timer · Focus');
  });

  it('an end queued offline and sent after midnight counts on the day it finished', async () => {
    const { page, context } = a;
    // 23:30 in Berlin: a 25-minute session finishes at 23:55, the browser is offline until after midnight.
    await page.clock.fastForward(Date.parse('2026-02-18T22:30:00Z') - (await pageNow(page)));
    await page.getByRole('button', { name: /Lock-in/ }).click();
    await eventually(() => timerState(page)).toBe('Locked in');
    const id = (await get<Session>('/sessions/active')).id;
    await context.setOffline(true);
    await page.clock.fastForward('40:00');
    await eventually(() => page.getByTestId('result').textContent()).toContain('sent as soon as the network is back');
    expect(await page.title()).toBe('Done · Focus');
    expect((await get<Session>('/sessions/active')).status).toBe('active');

    await context.setOffline(false);
    await eventually(async () => (await get<Session | null>('/sessions/active')) === null).toBe(true);
    const [ended] = await get<Session[]>('/sessions?limit=1');
    expect(ended).toMatchObject({ id, status: 'completed', elapsed_seconds: 1500, ended_at: '2026-02-18T22:55:00Z' });
    const now = iso(await pageNow(page));
    const days = await get<{ date: string; focus_seconds: number; sessions_completed: number }[]>('/progress?from=2026-02-18&to=2026-02-19', now);
    expect(days.map((d) => [d.date, d.focus_seconds, d.sessions_completed])).toEqual([
      ['2026-02-18', 3000, 2],
      ['2026-02-19', 0, 0],
    ]);
  });

  it('preselects the user\'s default duration, added as a choice when it is not one of the presets', async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
    const patched = await fetch(`${server.url}/api/v1/users/me`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ settings: { default_duration_seconds: 3000 } }),
    });
    expect(patched.status).toBe(200);
    const { page } = a;
    await page.reload(); // the user is read at start-up
    await eventually(() => page.getByRole('radio', { name: '50 min' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio').filter({ hasNot: page.locator('[name=tag-color]') }).count()).toBe(5);
    expect(await page.getByRole('button', { name: /Lock-in/ }).textContent()).toContain('50 min');
  });

  it('met no Content-Security-Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
