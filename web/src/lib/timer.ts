// The countdown that runs in the browser: pure functions over a small persisted state, `nowMs` is an argument.
import type { FocusSession } from '../api/types.js';

export type TimerStatus = 'active' | 'paused';

/** What the browser keeps about the running session (localStorage), enough to survive a reload. */
export interface TimerState {
  sessionId: number;
  durationSeconds: number;
  status: TimerStatus;
  /** Seconds of focus counted up to `anchorMs`. */
  elapsedAtAnchor: number;
  /** Local clock (ms) when the timer last started running; meaningless while paused. */
  anchorMs: number;
}

/** The server's view of a running session: the fields of the contract's session object used here. */
export type ServerSession = Pick<FocusSession, 'id' | 'duration_seconds' | 'elapsed_seconds' | 'status'>;

/** Whole seconds of focus at `nowMs`, never above the planned duration. */
export function elapsedAt(state: TimerState, nowMs: number): number {
  if (state.status === 'paused') return Math.min(state.elapsedAtAnchor, state.durationSeconds);
  const running = Math.max(0, Math.floor((nowMs - state.anchorMs) / 1000));
  return Math.min(state.durationSeconds, state.elapsedAtAnchor + running);
}

export function remainingAt(state: TimerState, nowMs: number): number {
  return state.durationSeconds - elapsedAt(state, nowMs);
}

export function isFinished(state: TimerState, nowMs: number): boolean {
  return elapsedAt(state, nowMs) >= state.durationSeconds;
}

export function started(session: ServerSession, nowMs: number): TimerState {
  return {
    sessionId: session.id,
    durationSeconds: session.duration_seconds,
    status: 'active',
    elapsedAtAnchor: session.elapsed_seconds,
    anchorMs: nowMs,
  };
}

export function paused(state: TimerState, nowMs: number): TimerState {
  return { ...state, status: 'paused', elapsedAtAnchor: elapsedAt(state, nowMs), anchorMs: nowMs };
}

export function resumed(state: TimerState, nowMs: number): TimerState {
  if (state.status === 'active') return state;
  return { ...state, status: 'active', anchorMs: nowMs };
}

/**
 * Step 7 of the spec: on reopen, the timer comes back from the running session in GET /home.
 * - no running session on the server: nothing to restore, unless this browser still has calls for
 *   the session waiting to be sent (offline), in which case its own state is the newer truth;
 * - this browser's saved state for the same session and status (a reload): keep it, it knows the
 *   exact moment the timer last started running;
 * - otherwise (another device, or the state changed elsewhere): the server's elapsed_seconds and
 *   duration_seconds, running from now when active.
 */
export function restore(
  server: ServerSession | null,
  local: TimerState | null,
  pendingForLocal: boolean,
  nowMs: number,
): TimerState | null {
  if (local && pendingForLocal && (server === null || server.id === local.sessionId)) return local;
  if (!server || (server.status !== 'active' && server.status !== 'paused')) return null;
  if (local && local.sessionId === server.id && local.status === server.status) {
    // Never behind what the server has stored (rule 2 of the contract).
    if (elapsedAt(local, nowMs) >= server.elapsed_seconds) return local;
  }
  const fresh = started(server, nowMs);
  return server.status === 'paused' ? { ...fresh, status: 'paused' } : fresh;
}
