// The Progress screen in real Chromium against a real Focus server: the history is built through the
// HTTP API with X-Test-Now (a 7-day streak that earns a freeze, a missed day, a completion that spends
// it), then the page, on a fake clock sent as X-Test-Now, must show what the API says: the freeze held
// and the frozen day, the goal ring, the week and month summaries with their by-tag breakdown; a
// session is relabelled from history (the server stores it, no total moves); on a phone the badge
// grid shows the earned badges and the rest behind "Show all"; opening the screen shifts nothing.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duration } from '../../web/src/lib/format.js';
import {
  type FocusServer,
  apiAs,
  chromiumAvailable,
  CHROMIUM,
  expectNoSeriousA11yViolations,
  launchChromium,
  openClockedPage,
  showColorScheme,
  startFocusServer,
} from './harness.js';

if (!chromiumAvailable) {
  process.stdout.write(`\n[focus] ${CHROMIUM} not found: the Progress end-to-end tests are SKIPPED (apt-get install -y chromium).\n\n`);
}

const EMAIL = `progress.${process.pid}.${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery';
// Berlin is UTC+1 in early March 2026; every session starts at 10:00 local on a Monday-first week.
const DAY = (d: number, hourUtc = 9) => `2026-03-${String(d).padStart(2, '0')}T${String(hourUtc).padStart(2, '0')}:00:00Z`;

interface TagEntry {
  tag: { id: number; name: string; color: string } | null;
  focus_seconds: number;
  sessions_completed: number;
}
interface SummaryData {
  from: string;
  to: string;
  focus_seconds: number;
  sessions_completed: number;
  days_active: number;
  goal_days_met: number;
  by_tag: TagEntry[];
  previous: { focus_seconds: number };
}
interface SessionData {
  id: number;
  tag: { id: number; name: string } | null;
  note: string | null;
  elapsed_seconds: number;
}

describe.skipIf(!chromiumAvailable)('Progress screen in Chromium', () => {
  let server: FocusServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token = '';
  let get: Awaited<ReturnType<typeof apiAs>>;
  const tags: Record<string, number> = {};

  const eventually = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });

  async function call<T>(method: string, path: string, body: unknown, now: string): Promise<T> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-test-now': now, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { data: T };
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  }

  /** A 25-minute session started at `start` and completed at its end. */
  async function complete(start: string, tag: string | null) {
    const session = await call<{ id: number }>('POST', '/sessions', { duration_seconds: 1500, tag_id: tag ? tags[tag] : null }, start);
    const end = new Date(Date.parse(start) + 1500_000).toISOString().slice(0, 19) + 'Z';
    await call('PATCH', `/sessions/${session.id}/end`, { elapsed_seconds: 1500, status: 'completed' }, end);
  }

  const summary = (period: string, date: string) => get<SummaryData>(`/summary?period=${period}&date=${date}`);
  const panel = () => page.getByTestId('period-summary');
  /** The by-tag list as the page shows it: "name time" per line. */
  const shownTags = () =>
    panel()
      .getByTestId('summary-tags')
      .locator('li')
      .evaluateAll((items) => items.map((li) => `${li.querySelector('.tag-name')?.textContent} ${li.querySelector('.tag-time')?.textContent}`));
  const expectedTags = (data: SummaryData) => data.by_tag.map((e) => `${e.tag?.name ?? 'No tag'} ${duration(e.focus_seconds)}`);
  async function expectSummaryShows(data: SummaryData) {
    await eventually(() => panel().getByTestId('summary-focus').textContent()).toBe(duration(data.focus_seconds));
    expect(await panel().getByTestId('summary-sessions').textContent()).toContain(String(data.sessions_completed));
    expect(await panel().getByTestId('summary-days-active').textContent()).toBe(`${data.days_active} of ${dayCount(data)}`);
    expect(await shownTags()).toEqual(expectedTags(data));
    // the visually hidden table says each day's focus in words, one row per day of the period
    expect(await panel().getByTestId('summary-days').locator('tbody tr').count()).toBe(dayCount(data));
  }
  const dayCount = (data: SummaryData) => (Date.parse(data.to) - Date.parse(data.from)) / 86_400_000 + 1;

  beforeAll(async () => {
    server = await startFocusServer();
    const now = DAY(1);
    const registered = await call<{ access_token: string }>('POST', '/auth/register', { email: EMAIL, password: PASSWORD, timezone: 'Europe/Berlin', display_name: 'Grace' }, now);
    token = registered.access_token;
    tags.Writing = (await call<{ id: number }>('POST', '/tags', { name: 'Writing', color: '#0F766E' }, now)).id;
    tags.Reading = (await call<{ id: number }>('POST', '/tags', { name: 'Reading', color: '#B45309' }, now)).id;
    // Monday 2 to Sunday 8 March: a 7-day streak, which earns a freeze.
    const plan = ['Writing', 'Reading', 'Writing', 'Reading', 'Writing', null, 'Writing'];
    for (const [i, tag] of plan.entries()) await complete(DAY(2 + i), tag);
    get = await apiAs(server.url, EMAIL, PASSWORD);

    browser = await launchChromium();
    ({ context, page } = await openClockedPage(browser, { viewport: { width: 1000, height: 900 }, time: Date.parse(DAY(8, 17)) }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in and opens Progress: its title, its heading focused', async () => {
    await page.goto(server.url);
    await page.getByRole('group', { name: 'Account' }).getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.getByRole('link', { name: 'Progress', exact: true }).click();
    await eventually(() => page.title()).toBe('Progress · Focus');
    await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('progress-heading');
  });

  it('shows the 7-day streak with the freeze it earned, and no goal set with the way to Settings', async () => {
    const streak = await get<{ current_streak: number; freezes_available: number }>('/streaks', DAY(8, 17));
    expect(streak).toMatchObject({ current_streak: 7, freezes_available: 1 });
    const today = page.getByTestId('summary');
    await eventually(() => today.textContent()).toContain('7 daysCurrent streak');
    expect(await page.getByTestId('freezes').textContent()).toBe('1 freeze held');
    expect(await page.getByTestId('goal').textContent()).toBe('No daily goal set. Set one in Settings');
    expect(await page.getByTestId('goal').getByRole('link', { name: 'Set one in Settings' }).getAttribute('href')).toBe('#/settings');
  });

  it("shows this week's summary as the API has it, with each tag's time and the comparison", async () => {
    const week = await summary('week', '2026-03-08');
    expect(week.focus_seconds).toBe(7 * 1500);
    await expectSummaryShows(week);
    expect(await panel().getByRole('heading', { level: 2 }).textContent()).toMatch(/^This week 2\s?–\s?8 Mar 2026$/);
    expect(await panel().getByTestId('summary-compare').textContent()).toBe('Up from nothing last week');
    // 25 minutes on the best day: the axis climbs in round steps with their unit
    expect(await panel().locator('.day-axis').textContent()).toBe('15 min30 min');
    expect(await panel().getByRole('button', { name: 'Next week' }).isDisabled()).toBe(true);
  });

  it('after a missed Monday and a completed Tuesday: the frozen day on the heatmap, the freeze spent, the goal met', async () => {
    await call('PATCH', '/users/me', { settings: { daily_goal_seconds: 3000 } }, DAY(9, 12));
    await complete(DAY(10, 9), 'Writing');
    await complete(DAY(10, 10), null);
    const now = DAY(10, 17);
    const [streak, days] = await Promise.all([
      get<{ current_streak: number; freezes_available: number }>('/streaks', now),
      get<{ date: string; frozen: boolean; goal_met: boolean }[]>('/progress?from=2026-03-09&to=2026-03-10', now),
    ]);
    expect(streak).toMatchObject({ current_streak: 8, freezes_available: 0 });
    expect(days.map((d) => [d.date, d.frozen, d.goal_met])).toEqual([
      ['2026-03-09', true, false],
      ['2026-03-10', false, true],
    ]);

    await page.clock.setSystemTime(Date.parse(now));
    await page.reload();
    await page.getByRole('link', { name: 'Progress', exact: true }).click();
    await eventually(() => page.getByTestId('summary').textContent()).toContain('8 daysCurrent streak');
    expect(await page.getByTestId('freezes').textContent()).toBe('No freeze held');
    const frozen = page.getByTestId('heatmap').locator('[data-date="2026-03-09"]');
    expect(await frozen.getAttribute('data-frozen')).toBe('yes');
    expect(await frozen.getAttribute('aria-label')).toBe('Mon 9 Mar: frozen, a streak freeze kept the streak');
    expect(await page.getByTestId('heatmap').locator('[data-frozen]').count()).toBe(1);
    expect(await page.getByTestId('heatmap').getAttribute('aria-label')).toBe('Focus over the last 12 weeks: 3 h 45 min on 8 days; 1 frozen day');
    expect(await page.locator('.legend').textContent()).toContain('Frozen: a streak freeze covered a missed day');
    // a frozen cell looks unlike both an empty day and a day with focus
    const look = (date: string) => page.locator(`[data-date="${date}"]`).evaluate((el) => getComputedStyle(el).backgroundImage + getComputedStyle(el).backgroundColor);
    const [frozenLook, emptyLook, activeLook] = await Promise.all([look('2026-03-09'), look('2026-03-01'), look('2026-03-08')]);
    expect(new Set([frozenLook, emptyLook, activeLook]).size).toBe(3);

    const goal = page.getByTestId('goal');
    expect(await goal.getAttribute('data-met')).toBe('yes');
    expect(await goal.getByRole('img').getAttribute('aria-label')).toBe('Goal of 50 min met (100 %)');
    expect(await page.getByTestId('summary').textContent()).toContain('50 minFocus today');
  });

  it('compares the new week with the one before, goes back to it, and shows the month', async () => {
    const week = await summary('week', '2026-03-10');
    expect(week).toMatchObject({ focus_seconds: 3000, goal_days_met: 1, previous: { focus_seconds: 10500 } });
    await expectSummaryShows(week);
    expect(await panel().getByTestId('summary-compare').textContent()).toBe('\u221271 % vs last week (2 h 55 min last week)');
    expect(await panel().getByTestId('summary-goal-days').textContent()).toBe('1 day');
    // the goal line is drawn, and an empty day has no bar
    expect(await panel().locator('.day-goal').count()).toBe(1);
    expect(await panel().locator('.day-bar').count()).toBe(1);

    await panel().getByRole('button', { name: 'Previous week' }).click();
    await eventually(() => panel().getByRole('heading', { level: 2 }).textContent()).toMatch(/^Last week 2\s?–\s?8 Mar 2026$/);
    await expectSummaryShows(await summary('week', '2026-03-02'));

    await panel().getByRole('button', { name: 'Month' }).click();
    await eventually(() => panel().getByRole('heading', { level: 2 }).textContent()).toMatch(/^This month 1\s?–\s?31 Mar 2026$/);
    const month = await summary('month', '2026-03-10');
    expect(month.focus_seconds).toBe(9 * 1500);
    await expectSummaryShows(month);
    expect(expectedTags(month)).toEqual(['Writing 2 h 5 min', 'Reading 50 min', 'No tag 50 min']);
    expect(await panel().getByTestId('summary-compare').textContent()).toBe('Up from nothing last month');
    // every tag in its own colour, "No tag" in the muted one
    const dots = await panel().getByTestId('summary-tags').locator('.tag-dot').evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
    expect(dots.slice(0, 2)).toEqual(['rgb(15, 118, 110)', 'rgb(180, 83, 9)']);
  });

  it('relabels a session from history by keyboard: the server stores the tag and note, no total changes', async () => {
    const before = await get<{ total_focus_seconds: number; total_sessions_completed: number }>('/stats', DAY(10, 17));
    const [latest] = await get<SessionData[]>('/sessions?limit=1');
    expect(latest!.tag).toBeNull();
    const item = page.getByTestId('history').locator(`[data-session="${latest!.id}"]`);
    expect(await item.getByTestId('history-tag').textContent()).toBe('No tag');
    await item.getByRole('button', { name: /Edit tag and note/ }).focus();
    await page.keyboard.press('Enter');
    const picker = item.getByLabel('Tag', { exact: true });
    await eventually(() => picker.evaluate((el) => el === document.activeElement)).toBe(true);
    await picker.selectOption({ label: 'Reading' });
    await page.keyboard.press('Tab');
    await page.keyboard.type('Chapter 3');
    await item.getByRole('button', { name: 'Save' }).press('Enter');

    await eventually(() => item.getByTestId('history-tag').textContent()).toBe('Reading');
    expect(await item.locator('.history-note').textContent()).toBe('Chapter 3');
    await eventually(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Edit');
    const [stored] = await get<SessionData[]>('/sessions?limit=1');
    expect(stored).toMatchObject({ id: latest!.id, tag: { name: 'Reading' }, note: 'Chapter 3', elapsed_seconds: 1500 });
    expect(await get('/stats', DAY(10, 17))).toMatchObject(before);

    // the month's breakdown follows: Reading gained the session's 25 minutes, "No tag" lost them
    const month = await summary('month', '2026-03-10');
    expect(expectedTags(month)).toEqual(['Writing 2 h 5 min', 'Reading 1 h 15 min', 'No tag 25 min']);
    await eventually(shownTags).toEqual(expectedTags(month));
    expect(await panel().getByTestId('summary-focus').textContent()).toBe(duration(month.focus_seconds));

    // and back to no tag, with the note cleared
    await item.getByRole('button', { name: /Edit tag and note/ }).click();
    await item.getByLabel('Tag', { exact: true }).selectOption({ label: 'No tag' });
    await item.getByLabel('Note', { exact: true }).fill('');
    await item.getByRole('button', { name: 'Save' }).click();
    await eventually(() => item.getByTestId('history-tag').textContent()).toBe('No tag');
    expect(await get<SessionData[]>('/sessions?limit=1')).toMatchObject([{ tag: null, note: null }]);
  });

  it('has no serious or critical axe violation, light or dark, with the month, a frozen day and the relabel form open', async () => {
    await page.getByTestId('history').locator('li').first().getByRole('button', { name: /Edit tag and note/ }).click();
    await page.getByTestId('history').locator('form').waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await showColorScheme(page, scheme);
      await expectNoSeriousA11yViolations(page, `progress (${scheme})`);
    }
    await page.getByTestId('history').getByRole('button', { name: 'Cancel' }).click();
    await showColorScheme(page, 'light');
  });

  it('on a 360 px phone: the earned badges first, the rest behind "Show all"', async () => {
    const badges = await get<{ code: string; description: string; earned_at: string | null }[]>('/badges');
    const earned = badges.filter((b) => b.earned_at).map((b) => b.code);
    expect(earned.length).toBeGreaterThan(0);
    const grid = page.getByTestId('badges');
    const visible = async () => {
      const shown: string[] = [];
      for (const badge of await grid.locator('[data-badge]').all()) if (await badge.isVisible()) shown.push((await badge.getAttribute('data-badge'))!);
      return shown;
    };
    const showAll = page.getByRole('button', { name: `Show all ${badges.length} badges` });
    expect(await showAll.isVisible()).toBe(false); // a wide screen shows every badge
    expect(await visible()).toHaveLength(badges.length);

    await page.setViewportSize({ width: 360, height: 780 });
    await eventually(() => showAll.isVisible()).toBe(true);
    expect((await visible()).sort()).toEqual([...earned].sort());
    await showAll.click();
    await eventually(visible).toHaveLength(badges.length);
    expect((await visible()).slice(0, earned.length).sort()).toEqual([...earned].sort());
    expect(await page.getByRole('button', { name: 'Show earned only' }).getAttribute('aria-expanded')).toBe('true');
    // Night Owl says one thing, the server's description, with no second hint that disagrees
    const owl = grid.locator('[data-badge="night_owl"]');
    expect(await owl.locator('.badge-desc').textContent()).toBe(badges.find((b) => b.code === 'night_owl')!.description);
    expect(await owl.textContent()).not.toMatch(/after 22/);
    // nothing on the screen reaches past the phone's width
    // (what is visually hidden for screen readers is clipped to one pixel and takes no room)
    const widest = await page
      .locator('.progress')
      .evaluate((root) => Math.max(...[root, ...root.querySelectorAll('*')].filter((el) => !el.closest('.visually-hidden')).map((el) => el.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(360);
  });

  it('opens without moving: the week summary comes with the other figures, so nothing below it is pushed down', async () => {
    const fresh = await context.newPage();
    // tall, so that everything below the summary is in view, where a shift counts
    await fresh.setViewportSize({ width: 412, height: 2400 });
    await fresh.addInitScript(() => {
      const w = window as unknown as { focusShifts: number[] };
      w.focusShifts = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!entry.hadRecentInput) w.focusShifts.push(entry.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await fresh.goto(`${server.url}/#/progress`);
    await fresh.getByTestId('summary-focus').waitFor();
    await fresh.getByTestId('history').locator('li').first().waitFor();
    await fresh.getByTestId('badges').waitFor();
    // one more frame, so the last layout has been reported
    await fresh.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const shifts = await fresh.evaluate(() => (window as unknown as { focusShifts: number[] }).focusShifts);
    expect(shifts.reduce((sum, value) => sum + value, 0)).toBeLessThan(0.01);
    await fresh.close();
  });
});
