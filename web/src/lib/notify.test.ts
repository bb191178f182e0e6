import { describe, expect, it } from 'vitest';
import { type AlertEnv, announceEnd, prepareAlerts, timerTitle } from './notify.js';

/** localStorage's two calls over a Map. */
function memoryStorage(): AlertEnv['storage'] {
  const values = new Map<string, string>();
  return { getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) };
}

/** A stand-in for the browser's Notification API that records what the page does with it. */
function notificationApi(permission: NotificationPermission) {
  const shown: { title: string; options?: NotificationOptions }[] = [];
  let asked = 0;
  class Fake {
    static permission = permission;
    static async requestPermission() {
      asked += 1;
      return permission;
    }
    onclick: ((event: Event) => unknown) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, options });
    }
    close() {}
  }
  return { api: Fake, shown, asked: () => asked };
}

const message = { title: 'Session complete', body: '25 min of focus.', tag: 'focus-end-7' };

describe('the end of a session is noticed', () => {
  it('asks for notifications at the first Lock-in only, and never again', () => {
    const n = notificationApi('default');
    const env: AlertEnv = { notification: n.api, storage: memoryStorage() };
    prepareAlerts(env);
    prepareAlerts(env);
    expect(n.asked()).toBe(1);
  });

  it('does not ask when the person has already answered', () => {
    for (const permission of ['granted', 'denied'] as const) {
      const n = notificationApi(permission);
      prepareAlerts({ notification: n.api, storage: memoryStorage() });
      expect(n.asked()).toBe(0);
    }
  });

  it('shows one system notification, tagged with the session, when allowed, and vibrates', () => {
    const n = notificationApi('granted');
    const vibrations: number[][] = [];
    announceEnd(message, { notification: n.api, vibrate: (p) => (vibrations.push(p), true), storage: memoryStorage() });
    expect(n.shown).toEqual([{ title: 'Session complete', options: { body: '25 min of focus.', tag: 'focus-end-7' } }]);
    expect(vibrations).toHaveLength(1);
  });

  it('shows nothing when notifications are denied or missing, and fails on nothing', () => {
    const denied = notificationApi('denied');
    announceEnd(message, { notification: denied.api, storage: memoryStorage() });
    expect(denied.shown).toEqual([]);
    expect(() => announceEnd(message, { storage: memoryStorage() })).not.toThrow();
  });
});

describe('the tab title on the timer screen', () => {
  it('is the countdown while running, Done at the end, else the screen name', () => {
    expect(timerTitle({ remainingSeconds: 754 })).toBe('12:34');
    expect(timerTitle({ remainingSeconds: 3725 })).toBe('1:02:05');
    expect(timerTitle('done')).toBe('Done');
    expect(timerTitle(null)).toBe('Timer');
  });
});
