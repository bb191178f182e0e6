import { describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types.js';

// settings.ts signs requests through auth.ts, which follows other tabs with the browser's
// addEventListener at import: Node has none, and these tests need none.
vi.hoisted(() => {
  globalThis.addEventListener ??= () => {};
});
const { confirmsDeletion, formFromUser, patchFrom, timeZones } = await import('./settings.js');

const user: User = {
  id: 1,
  email: 'Ada@Example.com',
  display_name: 'Ada',
  timezone: 'Europe/Berlin',
  created_at: '2026-02-18T08:00:00Z',
  settings: { daily_goal_seconds: 3600, default_duration_seconds: 1500, week_starts_on: 'monday' },
};

describe('the settings form', () => {
  it('shows seconds as whole minutes', () => {
    expect(formFromUser(user)).toEqual({ displayName: 'Ada', timezone: 'Europe/Berlin', goalMinutes: '60', durationMinutes: '25', weekStartsOn: 'monday' });
    expect(formFromUser({ ...user, display_name: null, settings: { ...user.settings, daily_goal_seconds: 0 } })).toMatchObject({ displayName: '', goalMinutes: '0' });
  });

  it('sends nothing when nothing changed (spaces and "60" vs "060" included)', () => {
    const form = formFromUser(user);
    expect(patchFrom(form, { ...form })).toBeNull();
    expect(patchFrom(form, { ...form, displayName: ' Ada ', goalMinutes: '060' })).toBeNull();
  });

  it('sends only what changed, minutes as seconds, settings as a subset', () => {
    const form = formFromUser(user);
    expect(patchFrom(form, { ...form, goalMinutes: '90' })).toEqual({ settings: { daily_goal_seconds: 5400 } });
    expect(patchFrom(form, { ...form, durationMinutes: '50', weekStartsOn: 'sunday' })).toEqual({
      settings: { default_duration_seconds: 3000, week_starts_on: 'sunday' },
    });
    expect(patchFrom(form, { ...form, displayName: ' Grace ', timezone: ' America/New_York ' })).toEqual({ display_name: 'Grace', timezone: 'America/New_York' });
  });

  it('clears the name with null', () => {
    const form = formFromUser(user);
    expect(patchFrom(form, { ...form, displayName: '   ' })).toEqual({ display_name: null });
  });
});

describe('typed confirmation of an account deletion', () => {
  it('accepts the email in any case, or DELETE', () => {
    expect(confirmsDeletion('ada@example.com', user.email)).toBe(true);
    expect(confirmsDeletion(' ADA@EXAMPLE.COM ', user.email)).toBe(true);
    expect(confirmsDeletion('DELETE', user.email)).toBe(true);
  });

  it('refuses anything else', () => {
    expect(confirmsDeletion('', user.email)).toBe(false);
    expect(confirmsDeletion('delete', user.email)).toBe(false);
    expect(confirmsDeletion('ada@example', user.email)).toBe(false);
    expect(confirmsDeletion('', '')).toBe(false);
  });
});

describe('the time zones offered', () => {
  it("are the runtime's IANA zones with UTC, sorted", () => {
    const zones = timeZones();
    expect(zones).toContain('Europe/Berlin');
    expect(zones).toContain('UTC');
    expect(zones).toEqual([...zones].sort());
    expect(new Set(zones).size).toBe(zones.length);
  });
});
