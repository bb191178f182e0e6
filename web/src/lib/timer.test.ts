import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rfc3339 } from './format.js';
import {
  type ServerSession,
  type TimerState,
  clockSkew,
  elapsedAt,
  fromServer,
  isFinished,
  parseTimer,
  paused,
  plannedEndMs,
  remainingAt,
  restore,
  resumed,
  sameTimer,
  wholeSecond,
} from './timer.js';

const T0 = Date.UTC(2026, 1, 18, 8, 0, 0);
const iso = (ms: number) => rfc3339(ms);
const session = (over: Partial<ServerSession> = {}): ServerSession => ({
  id: 7,
  duration_seconds: 1500,
  elapsed_seconds: 0,
  status: 'active',
  resumed_at: iso(T0),
  planned_end_at: iso(T0 + 1_500_000),
  tag: null,
  note: null,
  ...over,
});

/** The session object the server would answer for this timer (contract section 10). */
function asServer(state: TimerState): ServerSession {
  const end = plannedEndMs(state);
  return session({
    id: state.sessionId,
    duration_seconds: state.durationSeconds,
    elapsed_seconds: state.elapsedSeconds,
    status: state.status,
    resumed_at: state.resumedAtMs === null ? null : iso(state.resumedAtMs),
    planned_end_at: end === null ? null : iso(end),
    tag: state.tag,
    note: state.note,
  });
}

describe('browser countdown', () => {
  it('counts whole seconds from the moment the run began', () => {
    const timer = fromServer(session())!;
    expect(elapsedAt(timer, T0 + 999)).toBe(0);
    expect(elapsedAt(timer, T0 + 61_500)).toBe(61);
    expect(remainingAt(timer, T0 + 61_500)).toBe(1439);
  });

  it('stops at the planned duration and then reports itself finished', () => {
    const timer = fromServer(session({ duration_seconds: 60, planned_end_at: iso(T0 + 60_000) }))!;
    expect(isFinished(timer, T0 + 59_999)).toBe(false);
    expect(elapsedAt(timer, T0 + 3_600_000)).toBe(60);
    expect(isFinished(timer, T0 + 60_000)).toBe(true);
    expect(plannedEndMs(timer)).toBe(T0 + 60_000);
  });

  it('freezes while paused and continues from the saved seconds after resume', () => {
    const p = paused(fromServer(session())!, T0 + 750_000);
    expect(p).toMatchObject({ status: 'paused', elapsedSeconds: 750, resumedAtMs: null });
    expect(elapsedAt(p, T0 + 10_000_000)).toBe(750);
    expect(plannedEndMs(p)).toBeNull();
    const r = resumed(p, T0 + 2_000_400);
    expect(r.resumedAtMs).toBe(T0 + 2_000_000);
    expect(elapsedAt(r, T0 + 2_010_000)).toBe(760);
  });

  it('pausing a paused timer and resuming a running one change nothing', () => {
    const timer = fromServer(session())!;
    expect(resumed(timer, T0 + 5000)).toBe(timer);
    const p = paused(timer, T0 + 5000);
    expect(paused(p, T0 + 9000)).toBe(p);
  });

  it('never counts time before the run began, even when the clock goes back', () => {
    expect(elapsedAt(fromServer(session({ elapsed_seconds: 30 }))!, T0 - 60_000)).toBe(30);
  });
});

describe('the timer from the server\'s session (contract section 10)', () => {
  it('takes a paused session with its elapsed seconds, its tag and note', () => {
    const tag = { id: 3, name: 'Writing', color: '#4F46E5' };
    const timer = fromServer(session({ status: 'paused', elapsed_seconds: 750, resumed_at: null, planned_end_at: null, tag, note: 'chapter 2' }));
    expect(timer).toEqual({ sessionId: 7, durationSeconds: 1500, status: 'paused', elapsedSeconds: 750, resumedAtMs: null, tag, note: 'chapter 2' });
  });

  it('runs an active session from resumed_at, so a device that opens it late shows the true time left', () => {
    const timer = fromServer(session({ elapsed_seconds: 300, resumed_at: iso(T0), planned_end_at: iso(T0 + 1_200_000) }))!;
    expect(remainingAt(timer, T0 + 600_000)).toBe(600);
  });

  it('works the run back from planned_end_at when resumed_at is missing', () => {
    const timer = fromServer(session({ elapsed_seconds: 300, resumed_at: null, planned_end_at: iso(T0 + 1_200_000) }))!;
    expect(timer.resumedAtMs).toBe(T0);
  });

  it('has no timer for an ended session', () => {
    expect(fromServer(session({ status: 'completed' }))).toBeNull();
    expect(fromServer(session({ status: 'abandoned' }))).toBeNull();
  });
});

describe('restoring the timer on reopen, sign-in and every re-read (spec step 7)', () => {
  const local: TimerState = { sessionId: 7, durationSeconds: 1500, status: 'active', elapsedSeconds: 100, resumedAtMs: T0, tag: null, note: null };

  it('shows nothing when the server has no running session and nothing waits to be sent', () => {
    expect(restore(null, local, false)).toBeNull();
    expect(restore(session({ status: 'completed' }), null, false)).toBeNull();
  });

  it('follows the server otherwise: a pause, resume or new session made elsewhere', () => {
    expect(restore(session({ status: 'paused', elapsed_seconds: 400, resumed_at: null, planned_end_at: null }), local, false)).toMatchObject({
      status: 'paused',
      elapsedSeconds: 400,
    });
    expect(restore(session({ id: 9 }), local, false)).toMatchObject({ sessionId: 9, resumedAtMs: T0 });
  });

  it('trusts its own state while calls for the session still wait to be sent', () => {
    const pausedLocally: TimerState = { ...local, status: 'paused', resumedAtMs: null };
    expect(restore(session(), pausedLocally, true)).toBe(pausedLocally);
    expect(restore(null, pausedLocally, true)).toBe(pausedLocally);
    // Its end is queued: the session is over here, whatever the server still says.
    expect(restore(session(), null, true)).toBeNull();
  });

  it('reads back what it stored; an older client\'s state is dropped', () => {
    expect(parseTimer(JSON.stringify(local))).toEqual(local);
    expect(parseTimer(JSON.stringify({ sessionId: 7, durationSeconds: 1500, status: 'active', elapsedAtAnchor: 0, anchorMs: T0 }))).toBeNull();
    expect(parseTimer('not json')).toBeNull();
    expect(parseTimer(null)).toBeNull();
  });
});

describe('a device clock that is off', () => {
  const header = new Date(T0).toUTCString();

  it('is measured from the Date header of an answer, when clearly off', () => {
    expect(clockSkew(header, T0 + 60_500)).toBe(60_000);
    expect(clockSkew(header, T0 - 29_500)).toBe(-30_000);
  });

  it('is taken as right within the header\'s whole second and the answer\'s travel', () => {
    expect(clockSkew(header, T0 + 1_900)).toBe(0);
    expect(clockSkew(header, T0)).toBe(0);
  });

  it('is left as it was known without a usable header', () => {
    expect(clockSkew(null, T0)).toBeNull();
    expect(clockSkew('yesterday-ish', T0)).toBeNull();
  });
});

// Any run of pauses and resumes at arbitrary moments (milliseconds apart or hours).
const actions = fc.array(fc.integer({ min: 1, max: 900_000 }), { maxLength: 12 });
const durations = fc.integer({ min: 60, max: 86_400 });

describe('properties', () => {
  it('the time left and the time counted always add up to the duration, within bounds', () => {
    fc.assert(
      fc.property(durations, fc.integer({ min: 0, max: 86_400 }), fc.integer({ min: -1e7, max: 2e8 }), (duration, elapsed, offset) => {
        const e = Math.min(elapsed, duration);
        const timer = fromServer(session({ duration_seconds: duration, elapsed_seconds: e }))!;
        const left = remainingAt(timer, T0 + offset);
        expect(left + elapsedAt(timer, T0 + offset)).toBe(duration);
        expect(left).toBeGreaterThanOrEqual(0);
        expect(left).toBeLessThanOrEqual(duration - e);
      }),
    );
  });

  it('a pause reports exactly the whole-second runs the server counts, so rule 3 never refuses it', () => {
    fc.assert(
      fc.property(durations, actions, (duration, gaps) => {
        let timer = fromServer(session({ duration_seconds: duration }))!;
        let now = T0;
        let serverCount = 0;
        let runStart = T0;
        for (const gap of gaps) {
          now += gap;
          const at = wholeSecond(now);
          if (timer.status === 'active') {
            timer = paused(timer, at);
            serverCount += (at - runStart) / 1000;
            expect(timer.elapsedSeconds).toBe(Math.min(duration, serverCount));
          } else {
            timer = resumed(timer, now);
            runStart = at;
          }
          if (isFinished(timer, now)) break;
        }
      }),
    );
  });

  it('another device reading the session back shows the same time left at any moment', () => {
    fc.assert(
      fc.property(durations, actions, fc.integer({ min: 0, max: 3_600_000 }), (duration, gaps, later) => {
        let timer = fromServer(session({ duration_seconds: duration }))!;
        let now = T0;
        for (const gap of gaps) {
          now += gap;
          timer = timer.status === 'active' ? paused(timer, wholeSecond(now)) : resumed(timer, now);
        }
        const other = restore(asServer(timer), null, false)!;
        expect(sameTimer(other, timer)).toBe(true);
        expect(remainingAt(other, now + later)).toBe(remainingAt(timer, now + later));
      }),
    );
  });

  it('the time counted never goes down as time passes', () => {
    fc.assert(
      fc.property(durations, fc.integer({ min: 0, max: 1e8 }), fc.integer({ min: 0, max: 1e8 }), (duration, a, b) => {
        const timer = fromServer(session({ duration_seconds: duration }))!;
        const [early, late] = a < b ? [a, b] : [b, a];
        expect(elapsedAt(timer, T0 + late)).toBeGreaterThanOrEqual(elapsedAt(timer, T0 + early));
      }),
    );
  });
});
