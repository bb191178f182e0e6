// Accessibility of every screen of the web client in real Chromium: axe-core finds no serious or
// critical violation in the light or the dark theme; each screen names itself in the tab title; focus
// never falls to the page body after Lock-in, sign-in or sign-out; nothing scrolls sideways on a
// 320 px wide phone; and <html data-theme> wins over the device's colour scheme.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ColorScheme,
  type FocusServer,
  CHROMIUM,
  chromiumAvailable,
  expectNoSeriousA11yViolations,
  launchChromium,
  openClockedPage,
  showColorScheme,
  startFocusServer,
} from './harness.js';

if (!chromiumAvailable) {
  process.stdout.write(`\n[focus] ${CHROMIUM} not found: the accessibility end-to-end tests are SKIPPED (apt-get install -y chromium).\n\n`);
}

const START = Date.parse('2026-02-18T09:00:00Z');
const EMAIL = `a11y.${process.pid}.${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery';
const SCHEMES: ColorScheme[] = ['light', 'dark'];

describe.skipIf(!chromiumAvailable)('accessibility of every screen, light and dark', () => {
  let server: FocusServer;
  let browser: Browser;
  let page: Page;

  const eventually = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });
  const focusOnBody = () => page.evaluate(() => document.activeElement === null || document.activeElement === document.body);
  /** What sticks out to the right of the viewport (nothing, when the page does not scroll sideways). */
  const sidewaysOverflow = () =>
    page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return [];
      return [...document.querySelectorAll('body *')]
        .filter((element) => element.getBoundingClientRect().right > width + 0.5)
        .map((element) => `<${element.tagName.toLowerCase()} class="${element.getAttribute('class') ?? ''}"> ends at ${Math.round(element.getBoundingClientRect().right)} px`);
    });

  /** The screen as it is now: its own title, no sideways scroll, and axe clean in both themes. */
  async function checkScreen(label: string, title: string | RegExp): Promise<void> {
    await eventually(() => page.title()).toMatch(title);
    for (const scheme of SCHEMES) {
      await showColorScheme(page, scheme);
      await expectNoSeriousA11yViolations(page, `${label} (${scheme})`);
    }
    expect(await sidewaysOverflow(), `${label} scrolls sideways at 320 px`).toEqual([]);
  }

  beforeAll(async () => {
    server = await startFocusServer();
    browser = await launchChromium();
    // The narrowest phone in use: what fits here fits everywhere.
    ({ page } = await openClockedPage(browser, { viewport: { width: 320, height: 700 }, time: START }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sign-up, log-in and forgot-password screens', async () => {
    await page.goto(server.url);
    await checkScreen('sign-up', 'Sign up · Focus');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await checkScreen('log-in', 'Log in · Focus');
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await checkScreen('forgot password', 'Reset password · Focus');
    await eventually(focusOnBody).toBe(false);
    await page.getByRole('button', { name: 'Back to log in' }).click();
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  });

  it('signs up: focus lands on the timer, which is clean idle', async () => {
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: /Lock-in/ }).waitFor();
    await eventually(focusOnBody).toBe(false); // after sign-in
    await checkScreen('timer, idle', 'Timer · Focus');
  });

  it('timer running, giving up, paused', async () => {
    await page.getByRole('radio', { name: '25 min' }).check();
    await page.getByRole('button', { name: /Lock-in/ }).click();
    await eventually(() => page.getByTestId('timer-state').textContent()).toBe('Locked in');
    await eventually(focusOnBody).toBe(false); // after Lock-in
    await page.clock.fastForward('05:00');
    await checkScreen('timer, running', /^\d\d:\d\d · Focus$/);
    await page.getByRole('button', { name: 'Give up' }).click();
    await checkScreen('timer, give-up confirmation', /^\d\d:\d\d · Focus$/);
    await page.getByRole('button', { name: 'Keep going' }).click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await eventually(() => page.getByTestId('timer-state').textContent()).toBe('Paused');
    await checkScreen('timer, paused', 'Timer · Focus');
  });

  it('the result card and the badge dialog', async () => {
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.clock.fastForward('20:05');
    const dialog = page.getByTestId('celebration');
    await eventually(() => dialog.isVisible()).toBe(true);
    await checkScreen('badge dialog', 'Done · Focus');
    await page.getByRole('button', { name: 'Nice!' }).click();
    await eventually(focusOnBody).toBe(false); // after the dialog
    await checkScreen('timer, result', 'Done · Focus');
  });

  it('progress', async () => {
    await page.getByRole('link', { name: 'Progress', exact: true }).click();
    await page.getByTestId('history').locator('li').first().waitFor();
    await eventually(focusOnBody).toBe(false);
    await checkScreen('progress', 'Progress · Focus');
  });

  it('settings', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await eventually(focusOnBody).toBe(false);
    await checkScreen('settings', 'Settings · Focus');
  });

  it('forces a theme with <html data-theme> whatever the device prefers', async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await showColorScheme(page, 'light');
    const light = await background();
    await showColorScheme(page, 'dark');
    const dark = await background();
    expect(light).not.toBe(dark);
    await showColorScheme(page, 'light', 'attribute'); // the device says dark
    expect(await background()).toBe(light);
    await expectNoSeriousA11yViolations(page, 'settings (forced light)');
    await showColorScheme(page, 'dark', 'attribute'); // the device says light
    expect(await background()).toBe(dark);
    await expectNoSeriousA11yViolations(page, 'settings (forced dark)');
    await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
  });

  it('signs out: focus lands on the sign-in screen', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: /Create account|Log in/ }).last().waitFor();
    await eventually(focusOnBody).toBe(false);
  });

  it('the reset screen of a password-reset link', async () => {
    await page.goto(`${server.url}/#/reset?token=x`);
    await checkScreen('reset', 'Choose a new password · Focus');
    await eventually(focusOnBody).toBe(false);
  });
});
