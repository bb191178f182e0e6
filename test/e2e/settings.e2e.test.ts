// The web client's Settings screen, forgot password and the reset link in real Chromium against a real
// Focus server and a real SMTP server: every change is checked through the API, not only on screen.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../smtp-server.js';
import { type FocusServer, apiAs, chromiumAvailable, CHROMIUM, launchChromium, startFocusServer } from './harness.js';

if (!chromiumAvailable) {
  process.stdout.write(`\n[focus] ${CHROMIUM} not found: the settings end-to-end tests are SKIPPED (apt-get install -y chromium).\n\n`);
}

const EMAIL = `settings.${process.pid}.${Date.now()}@example.com`;
const PASSWORDS = ['first password 1', 'second password 2', 'third password 3'] as const;
// The server's own address is known only once it listens, after its configuration is read: reset links
// name this stand-in host, and the browser context sends every request for it to the server.
const LINK_ORIGIN = 'http://focus.test';

interface Me {
  email: string;
  display_name: string | null;
  timezone: string;
  settings: { daily_goal_seconds: number; default_duration_seconds: number; week_starts_on: string };
}
interface Tag {
  id: number;
  name: string;
  color: string;
  archived: boolean;
}

describe.skipIf(!chromiumAvailable)('settings, forgot password and the reset link in Chromium', () => {
  let server: FocusServer;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let password: string = PASSWORDS[0];

  const eventually = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });
  const api = () => apiAs(server.url, EMAIL, password);
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? document.activeElement?.tagName);
  const profile = () => page.getByRole('region', { name: 'Profile and goals' });
  const tagsSection = () => page.getByRole('region', { name: 'Tags' });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startFocusServer({ SMTP_URL: smtp.url, PASSWORD_RESET_URL: `${LINK_ORIGIN}/#/reset?token={token}` });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Europe/Berlin', locale: 'en-GB', acceptDownloads: true });
    await context.route(`${LINK_ORIGIN}/**`, async (route) => {
      const response = await route.fetch({ url: route.request().url().replace(LINK_ORIGIN, server.url) });
      await route.fulfill({ response });
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('signs up and opens Settings from the header, focus on its heading', async () => {
    await page.goto(server.url);
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await eventually(() => page.title()).toBe('Settings · Focus');
    expect(await page.getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).toBe('page');
    await eventually(focused).toBe('Settings');
    expect(await profile().getByLabel('Name').inputValue()).toBe('Ada');
    expect(await profile().getByLabel('Time zone').inputValue()).toBe('Europe/Berlin');
    expect(await profile().getByLabel('Default duration (minutes)').inputValue()).toBe('25');
  });

  it('saves name, time zone, daily goal, default duration and week start (PATCH /users/me)', async () => {
    const form = profile();
    await form.getByLabel('Name').fill('Grace');
    await form.getByLabel('Time zone').fill('America/New_York');
    await form.getByLabel('Daily goal (minutes)').fill('90');
    await form.getByLabel('Default duration (minutes)').fill('50');
    await form.getByRole('radio', { name: 'Sunday' }).check();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await eventually(() => form.getByRole('status').first().textContent()).toBe('Settings saved.');
    const me = await (await api())<Me>('/users/me');
    expect(me).toMatchObject({
      display_name: 'Grace',
      timezone: 'America/New_York',
      settings: { daily_goal_seconds: 5400, default_duration_seconds: 3000, week_starts_on: 'sunday' },
    });
    // The app keeps the saved user: another screen and back shows it without a reload.
    await page.getByRole('link', { name: 'Progress' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    expect(await profile().getByLabel('Default duration (minutes)').inputValue()).toBe('50');
    expect(await profile().getByRole('radio', { name: 'Sunday' }).isChecked()).toBe(true);
  });

  it('shows the server refusing an unknown time zone, and changes nothing', async () => {
    const form = profile();
    expect(await form.getByRole('option').count()).toBe(0); // the <datalist> is not the form's content
    expect(await page.locator('#settings-zones option[value="Asia/Tokyo"]').count()).toBe(1);
    await form.getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await eventually(() => form.getByRole('alert').textContent()).toBe('Timezone "Mars/Olympus_Mons" is not an IANA time zone name');
    expect((await (await api())<Me>('/users/me')).timezone).toBe('America/New_York');
    await form.getByLabel('Time zone').fill('America/New_York');
  });

  it('sets the theme in this browser as <html data-theme>, kept across a reload; system removes it', async () => {
    const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
    await page.getByRole('radio', { name: 'Dark' }).check();
    expect(await theme()).toBe('dark');
    await page.reload();
    await eventually(() => page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    expect(await theme()).toBe('dark');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark');
    await page.getByRole('radio', { name: 'Light' }).check();
    expect(await theme()).toBe('light');
    await page.getByRole('radio', { name: 'System' }).check();
    await page.reload();
    await eventually(() => page.getByRole('radio', { name: 'System' }).isChecked()).toBe(true);
    expect(await theme()).toBeNull();
  });

  it('creates, renames, recolors, archives, unarchives and deletes tags', async () => {
    const section = tagsSection();
    const status = () => section.getByRole('status').textContent();
    for (const name of ['Deep work', 'Reading']) {
      await section.getByLabel('New tag').fill(name);
      await section.getByRole('button', { name: 'Add tag' }).click();
      await eventually(status).toBe(`Tag “${name}” created.`);
    }
    await section.getByRole('button', { name: 'Edit Deep work' }).click();
    await eventually(() => page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('Deep work');
    await section.getByLabel('Name').fill('Deep focus');
    await section.getByLabel('Color').fill('#12ab34');
    await section.getByRole('button', { name: 'Save' }).click();
    await eventually(status).toBe('Tag “Deep focus” saved.');
    await section.getByRole('button', { name: 'Archive Reading' }).click();
    await eventually(status).toMatch(/^Tag “Reading” archived/);
    let tags = await (await api())<Tag[]>('/tags');
    expect(tags.map(({ name, color, archived }) => ({ name, color, archived }))).toEqual([
      { name: 'Deep focus', color: '#12AB34', archived: false },
      { name: 'Reading', color: expect.stringMatching(/^#[0-9A-F]{6}$/), archived: true },
    ]);
    await section.getByRole('button', { name: 'Unarchive Reading' }).click();
    await eventually(status).toBe('Tag “Reading” is back in use.');
    // a name already taken: the server's message
    await section.getByRole('button', { name: 'Edit Reading' }).click();
    await section.getByLabel('Name').fill('deep FOCUS');
    await section.getByRole('button', { name: 'Save' }).click();
    await eventually(() => section.getByRole('alert').textContent()).toBe('You already have a tag with this name (names ignore letter case)');
    await section.getByRole('button', { name: 'Cancel' }).click();

    await section.getByRole('button', { name: 'Delete Deep focus' }).click();
    const confirm = section.getByRole('group', { name: 'Delete Deep focus?' });
    expect(await confirm.textContent()).toContain('their time stays in every total');
    await confirm.getByRole('button', { name: 'Delete tag' }).click();
    await eventually(status).toBe('Tag “Deep focus” deleted. Its sessions kept their time.');
    tags = await (await api())<Tag[]>('/tags');
    expect(tags.map((t) => [t.name, t.archived])).toEqual([['Reading', false]]);
  });

  it('changes the password: a wrong current one is refused, then the old one stops working', async () => {
    const section = page.getByRole('region', { name: 'Password' });
    await section.getByLabel('Current password').fill('not my password');
    await section.getByLabel('New password').fill(PASSWORDS[1]);
    await section.getByRole('button', { name: 'Change password' }).click();
    await eventually(() => section.getByRole('alert').textContent()).toBe('The current password is wrong');
    await section.getByLabel('Current password').fill(PASSWORDS[0]);
    await section.getByRole('button', { name: 'Change password' }).click();
    await eventually(() => section.getByRole('status').textContent()).toMatch(/^Password changed/);
    await expect(apiAs(server.url, EMAIL, PASSWORDS[0])).rejects.toThrow('login failed: 401');
    password = PASSWORDS[1];
    expect((await (await api())<Me>('/users/me')).email).toBe(EMAIL);
    // this browser stays signed in
    await page.reload();
    await eventually(() => profile().getByLabel('Name').inputValue()).toBe('Grace');
  });

  it('downloads the JSON export and the sessions CSV under the server’s file names', async () => {
    const section = page.getByRole('region', { name: 'Your data' });
    const [json] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Export all (JSON)' }).click()]);
    expect(json.suggestedFilename()).toMatch(/^focus-export-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(readFileSync(await json.path(), 'utf8')) as { format: string; version: number; user: Me; tags: Tag[]; sessions: unknown[] };
    expect(data).toMatchObject({ format: 'focus-export', version: 1, user: { email: EMAIL, display_name: 'Grace' }, sessions: [] });
    expect(data.tags.map((t) => t.name)).toEqual(['Reading']);
    await eventually(() => section.getByRole('status').textContent()).toBe(`Downloaded ${json.suggestedFilename()}.`);

    const [csv] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Export sessions (CSV)' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^focus-sessions-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(readFileSync(await csv.path(), 'utf8')).toBe('id,status,started_at,ended_at,duration_seconds,elapsed_seconds,tag,note\r\n');
  });

  it('forgot password: the neutral answer, the mail, the link, a new password, signed in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await eventually(() => page.title()).toBe('Sign up · Focus');
    await eventually(focused).toBe('Focus');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await eventually(focused).toBe('Reset your password');
    expect(await page.getByLabel('Email').inputValue()).toBe(EMAIL);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const neutral = await (async () => {
      await eventually(() => page.getByRole('status').textContent()).toMatch(/^If an account uses this email/);
      return page.getByRole('status').textContent();
    })();
    // an address with no account gets the very same words
    await page.getByLabel('Email').fill(`nobody.${Date.now()}@example.com`);
    await page.getByRole('button', { name: 'Send again' }).click();
    await eventually(() => page.getByRole('button', { name: 'Send again' }).isEnabled()).toBe(true);
    expect(await page.getByRole('status').textContent()).toBe(neutral);

    const mail = await smtp.nextMailTo(EMAIL);
    const link = /http:\/\/\S+token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    expect(link).toMatch(new RegExp(`^${LINK_ORIGIN}/#/reset\\?token=`));
    await page.goto(link!);
    await eventually(focused).toBe('Choose a new password');
    await page.getByLabel('New password').fill(PASSWORDS[2]);
    await page.getByLabel('Show password').check();
    expect(await page.getByLabel('New password').getAttribute('type')).toBe('text');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await eventually(() => page.getByRole('link', { name: 'Timer' }).getAttribute('aria-current')).toBe('page');
    expect(new URL(page.url()).hash).toBe('#/');
    await expect(apiAs(server.url, EMAIL, PASSWORDS[1])).rejects.toThrow('login failed: 401');
    password = PASSWORDS[2];
    expect((await (await api())<Me>('/users/me')).display_name).toBe('Grace');

    // the same link again: used, so it says so and offers a new one
    await page.goto(link!);
    await page.getByLabel('New password').fill('yet another password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await eventually(() => page.getByText(/already been used, has expired/).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Send reset link' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Back to log in' }).click();
  });

  it('deletes the account after a typed confirmation; the API then answers 401', async () => {
    // signed in by the reset link, on its origin
    await page.goto(`${LINK_ORIGIN}/#/settings`);
    const get = await api();
    const section = page.getByRole('region', { name: 'Delete account' });
    const remove = section.getByRole('button', { name: 'Delete my account' });
    await section.getByLabel(/To confirm, type your email/).fill('delete');
    expect(await remove.isDisabled()).toBe(true);
    await section.getByLabel(/To confirm, type your email/).fill(EMAIL.toUpperCase());
    expect(await remove.isEnabled()).toBe(true);
    await section.getByLabel(/To confirm, type your email/).fill('DELETE');
    await remove.click();
    await eventually(() => page.getByText('Your account and all of its data were deleted.').isVisible()).toBe(true);
    await eventually(focused).toBe('Focus');
    expect(await page.evaluate(() => localStorage.getItem('focus.refreshToken'))).toBeNull();
    await expect(get('/users/me')).rejects.toThrow(/^GET \/users\/me: 401/);
    await expect(api()).rejects.toThrow('login failed: 401');
  });

  it('a reset link opened while another account is signed in: that login is signed out, the link’s account signed in', async () => {
    const register = (email: string, display_name: string) =>
      fetch(`${server.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORDS[0], display_name }),
      });
    const [bob, carol] = [`bob.${EMAIL}`, `carol.${EMAIL}`];
    expect((await register(bob, 'Bob')).status).toBe(201);
    expect((await register(carol, 'Carol')).status).toBe(201);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill(bob);
    await page.getByLabel('Password').fill(PASSWORDS[0]);
    await page.getByRole('button', { name: 'Log in', exact: true }).last().click();
    await eventually(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    const asked = await fetch(`${server.url}/api/v1/auth/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: carol }),
    });
    expect(asked.status).toBe(202);
    const link = /http:\/\/\S+token=[A-Za-z0-9_-]+/.exec((await smtp.nextMailTo(carol)).text)?.[0];
    const loggedOut = server.received.filter((r) => r.path === '/api/v1/auth/logout').length;
    await page.goto(link!);
    await page.getByLabel('New password').fill(PASSWORDS[1]);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await eventually(() => page.getByRole('link', { name: 'Timer' }).getAttribute('aria-current')).toBe('page');
    expect(server.received.filter((r) => r.path === '/api/v1/auth/logout' && r.status === 200)).toHaveLength(loggedOut + 1);
    await page.getByRole('link', { name: 'Settings' }).click();
    await eventually(() => profile().getByLabel('Name').inputValue()).toBe('Carol');
    expect(await page.getByRole('region', { name: 'Delete account' }).textContent()).toContain(carol);
    await expect(apiAs(server.url, carol, PASSWORDS[1])).resolves.toBeTypeOf('function');
  });

  it('says plainly when the server cannot send email (503 email_not_configured)', async () => {
    const bare = await startFocusServer();
    try {
      const other = await context.newPage();
      await other.goto(bare.url);
      await other.getByRole('button', { name: 'Log in' }).click();
      await other.getByRole('button', { name: 'Forgot password?' }).click();
      await other.getByLabel('Email').fill(EMAIL);
      await other.getByRole('button', { name: 'Send reset link' }).click();
      await eventually(() => other.getByRole('alert').textContent()).toMatch(/^This Focus server cannot send email, so it cannot reset passwords\./);
      expect(await other.getByRole('status').textContent()).toBe('');
      await other.getByRole('button', { name: 'Back to log in' }).click();
      await eventually(() => other.title()).toBe('Log in · Focus');
      expect(await other.getByLabel('Email').inputValue()).toBe(EMAIL);
      await other.close();
    } finally {
      await bare.close();
    }
  }, 60_000);
});
