import { describe, expect, it } from 'vitest';
import { type ServerSession, type TimerState, elapsedAt, isFinished, paused, remainingAt, restore, resumed, started } from './timer.js';

const T0 = Date.UTC(2026, 1, 18, 8, 0, 0);
const session = (over: Partial<ServerSession> = {}): ServerSession => ({ id: 7, duration_seconds: 1500, elapsed_seconds: 0, status: 'active', ...over });

describe('browser countdown', () => {
  it('counts whole seconds from the moment it started running', () => {
    const timer = started(session(), T0);
    expect(elapsedAt(timer, T0 + 999)).toBe(0);
    expect(elapsedAt(timer, T0 + 61_500)).toBe(61);
    expect(remainingAt(timer, T0 + 61_500)).toBe(1439);
  });

  it('stops at the planned duration and then reports itself finished', () => {
    const timer = started(session({ duration_seconds: 60 }), T0);
    expect(isFinished(timer, T0 + 59_999)).toBe(false);
    expect(elapsedAt(timer, T0 + 3_600_000)).toBe(60);
    expect(isFinished(timer, T0 + 60_000)).toBe(true);
  });

  it('freezes while paused and continues from the saved seconds after resume', () => {
    const p = paused(started(session(), T0), T0 + 750_000);
    expect(elapsedAt(p, T0 + 10_000_000)).toBe(750);
    const r = resumed(p, T0 + 2_000_000);
    expect(elapsedAt(r, T0 + 2_010_000)).toBe(760);
  });

  it('resuming a running timer changes nothing', () => {
    const timer = started(session(), T0);
    expect(resumed(timer, T0 + 5000)).toBe(timer);
  });

  it('never counts time before it started, even when the clock goes back', () => {
    expect(elapsedAt(started(session({ elapsed_seconds: 30 }), T0), T0 - 60_000)).toBe(30);
  });
});

describe('restoring the timer on reopen (spec step 7)', () => {
  const local: TimerState = { sessionId: 7, durationSeconds: 1500, status: 'active', elapsedAtAnchor: 100, anchorMs: T0 };

  it('shows nothing when the server has no running session and nothing waits to be sent', () => {
    expect(restore(null, local, false, T0)).toBeNull();
    expect(restore(session({ status: 'completed' }), null, false, T0)).toBeNull();
  });

  it('keeps this browser\'s own state for the same session and status (a reload)', () => {
    expect(restore(session({ elapsed_seconds: 0 }), local, false, T0 + 60_000)).toBe(local);
  });

  it('takes a paused session from the server with its elapsed seconds', () => {
    const restored = restore(session({ status: 'paused', elapsed_seconds: 750 }), null, false, T0);
    expect(restored).toMatchObject({ sessionId: 7, status: 'paused', elapsedAtAnchor: 750 });
    expect(elapsedAt(restored!, T0 + 999_999)).toBe(750);
  });

  it('runs an active session from another device on from the server\'s elapsed seconds', () => {
    const restored = restore(session({ id: 9, elapsed_seconds: 300 }), local, false, T0);
    expect(restored).toMatchObject({ sessionId: 9, status: 'active', elapsedAtAnchor: 300, anchorMs: T0 });
  });

  it('follows the server when the session was paused elsewhere', () => {
    expect(restore(session({ status: 'paused', elapsed_seconds: 400 }), local, false, T0)).toMatchObject({ status: 'paused', elapsedAtAnchor: 400 });
  });

  it('never restores behind the seconds the server already stored', () => {
    const behind: TimerState = { ...local, status: 'paused', elapsedAtAnchor: 100 };
    expect(restore(session({ status: 'paused', elapsed_seconds: 400 }), behind, false, T0)).toMatchObject({ elapsedAtAnchor: 400 });
  });

  it('trusts its own state while calls for that session still wait to be sent', () => {
    const pausedLocally: TimerState = { ...local, status: 'paused' };
    expect(restore(session({ status: 'active' }), pausedLocally, true, T0)).toBe(pausedLocally);
    expect(restore(null, pausedLocally, true, T0)).toBe(pausedLocally);
  });
});
