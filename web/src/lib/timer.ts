// The countdown that runs in the browser: pure functions over a small persisted state; `nowMs` is an argument.
// The state mirrors the server's session (contract section 10): the seconds counted before the current run
// and the moment that run began. So any device shows the same time left, max(0, planned_end_at - now), and
// the seconds a pause reports are exactly the whole-second runs the server counts (no rule 3 refusal).
import type { FocusSession } from '../api/types.js';

export type TimerStatus = 'active' | 'paused';
export type SessionTag = FocusSession['tag'];

/** What the browser keeps about the running session (localStorage), enough to survive a reload. */
export interface TimerState {
  sessionId: number;
  durationSeconds: number;
  status: TimerStatus;
  /** Seconds of focus before the current run (all of them while paused). */
  elapsedSeconds: number;
  /** When the current run began (ms, a whole second, as the server stores it); null while paused. */
  resumedAtMs: number | null;
  tag: SessionTag;
  note: string | null;
}

/** The server's view of a session: the fields of the contract's session object used here. */
export type ServerSession = Pick<
  FocusSession,
  'id' | 'duration_seconds' | 'elapsed_seconds' | 'status' | 'resumed_at' | 'planned_end_at' | 'tag' | 'note'
>;

/** The whole second at or before `ms`: what the server keeps of an `at` (sub-seconds dropped). */
export function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Whole seconds of focus at `nowMs`, never above the planned duration, never counting time before the run. */
export function elapsedAt(state: TimerState, nowMs: number): number {
  if (state.status === 'paused' || state.resumedAtMs === null) return Math.min(state.elapsedSeconds, state.durationSeconds);
  const running = Math.max(0, Math.floor((nowMs - state.resumedAtMs) / 1000));
  return Math.min(state.durationSeconds, state.elapsedSeconds + running);
}

/** Seconds left: max(0, planned end - now) while running, in whole seconds. */
export function remainingAt(state: TimerState, nowMs: number): number {
  return state.durationSeconds - elapsedAt(state, nowMs);
}

export function isFinished(state: TimerState, nowMs: number): boolean {
  return elapsedAt(state, nowMs) >= state.durationSeconds;
}

/** The moment the countdown reaches zero (ms), or null while paused. */
export function plannedEndMs(state: TimerState): number | null {
  if (state.status !== 'active' || state.resumedAtMs === null) return null;
  return state.resumedAtMs + (state.durationSeconds - state.elapsedSeconds) * 1000;
}

/**
 * The timer for a running session as the server has it, or null for an ended one. An active run begins at
 * `resumed_at`; a server that sent only `planned_end_at` has it worked back from there.
 */
export function fromServer(session: ServerSession): TimerState | null {
  if (session.status !== 'active' && session.status !== 'paused') return null;
  const base = {
    sessionId: session.id,
    durationSeconds: session.duration_seconds,
    elapsedSeconds: session.elapsed_seconds,
    tag: session.tag ?? null,
    note: session.note ?? null,
  };
  if (session.status === 'paused') return { ...base, status: 'paused', resumedAtMs: null };
  const resumedAt = session.resumed_at
    ? Date.parse(session.resumed_at)
    : Date.parse(session.planned_end_at ?? '') - (session.duration_seconds - session.elapsed_seconds) * 1000;
  return { ...base, status: 'active', resumedAtMs: Number.isFinite(resumedAt) ? resumedAt : null };
}

/** Paused at `atMs` (a whole second, the pause's `at`): the run so far is added to the count. */
export function paused(state: TimerState, atMs: number): TimerState {
  if (state.status === 'paused') return state;
  return { ...state, status: 'paused', elapsedSeconds: elapsedAt(state, atMs), resumedAtMs: null };
}

/** Running again from `atMs` (a whole second, the resume's `at`). */
export function resumed(state: TimerState, atMs: number): TimerState {
  if (state.status === 'active') return state;
  return { ...state, status: 'active', resumedAtMs: wholeSecond(atMs) };
}

/**
 * Spec step 7, v1.1: which timer to show, given the server's running session (GET /home or
 * /sessions/active) and this browser's own state.
 * - calls for the session still wait in this browser's queue (offline): its own state is the newer truth
 *   (null when its end is queued);
 * - otherwise the server's session, on every device and after sign-in: the true time left.
 */
export function restore(server: ServerSession | null, local: TimerState | null, pending: boolean): TimerState | null {
  if (pending) return local;
  return server ? fromServer(server) : null;
}

/**
 * How far this device's clock runs ahead of the server's (ms), from an answer's Date header and the device's
 * time on receiving it; null without a usable header. The header has whole seconds and the answer took a
 * moment to arrive, so only a clearly wrong clock (more than 2 s off) is corrected: 0 otherwise.
 */
export function clockSkew(dateHeader: string | null, deviceNowMs: number): number | null {
  const date = Date.parse(dateHeader ?? '');
  if (!Number.isFinite(date)) return null;
  const skew = deviceNowMs - (date + 500);
  return Math.abs(skew) > 2000 ? skew : 0;
}

/** True when both describe the same countdown (nothing to redraw). */
export function sameTimer(a: TimerState | null, b: TimerState | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.sessionId === b.sessionId &&
    a.status === b.status &&
    a.elapsedSeconds === b.elapsedSeconds &&
    a.resumedAtMs === b.resumedAtMs &&
    a.durationSeconds === b.durationSeconds &&
    a.tag?.id === b.tag?.id &&
    a.tag?.name === b.tag?.name &&
    a.tag?.color === b.tag?.color &&
    a.note === b.note
  );
}

/** A stored state, or null when it is missing or from an older version of the client. */
export function parseTimer(raw: string | null): TimerState | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<TimerState> | null;
    if (!value || typeof value.sessionId !== 'number' || typeof value.elapsedSeconds !== 'number' || !('resumedAtMs' in value)) return null;
    return { tag: null, note: null, ...value } as TimerState;
  } catch {
    return null;
  }
}
