// Pure rules of a focus session: the state machine (contract 3), the elapsed_seconds rules (contract 4)
// and the moments actions are recorded at (contract 10). Instants are whole seconds since the epoch.
import type { SessionStatus } from '../../db/database.js';

export type SessionAction = 'pause' | 'resume' | 'end';

export const ALLOWED_FROM: Readonly<Record<SessionAction, readonly SessionStatus[]>> = {
  pause: ['active'],
  resume: ['paused'],
  end: ['active', 'paused'],
};

export function canTransition(action: SessionAction, status: SessionStatus): boolean {
  return ALLOWED_FROM[action].includes(status);
}

/** 24 hours: how far back a queued start may be dated. */
export const START_LOOKBACK_SECONDS = 86_400;

/** The moment to record, or the earliest moment the request could have named (a 422). */
export type Moment = { at: number } | { earliest: number };

/**
 * The moment a pause, resume or end is recorded: the device's `requested` moment when it queued the
 * action, else now. A moment later than now is now (a fast device clock is no error); one more than
 * the tolerance before the last transition is refused, one within it is the last transition. Without
 * a requested moment, a server clock behind the last transition (another instance's clock) gives the
 * last transition: the client claimed nothing it could correct.
 */
export function transitionMoment(c: { requested: number | undefined; now: number; lastTransition: number; toleranceSeconds: number }): Moment {
  const earliest = c.lastTransition - c.toleranceSeconds;
  // Stryker disable next-line ConditionalExpression: undefined < earliest is false anyway; the test is for the type checker
  if (c.requested !== undefined && c.requested < earliest) return { earliest };
  return { at: Math.max(c.lastTransition, Math.min(c.requested ?? c.now, c.now)) };
}

/**
 * The moment a start is recorded: `requested` (a queued start) at most 24 hours back and not before
 * the user's latest end, later than now taken as now; else now.
 */
export function startMoment(c: { requested: number | undefined; now: number; latestEndedAt: number | undefined }): Moment {
  if (c.requested === undefined) return { at: c.now };
  const earliest = Math.max(c.now - START_LOOKBACK_SECONDS, c.latestEndedAt ?? Number.NEGATIVE_INFINITY);
  if (c.requested < earliest) return { earliest };
  return { at: Math.min(c.requested, c.now) };
}

export interface ActiveTime {
  status: SessionStatus;
  /** Active time of the runs already closed by a pause. */
  activeSeconds: number;
  /** When the run in progress began; null unless active. */
  resumedAt: number | null;
}

/** The active time the server has seen by `at`: the closed runs plus the run in progress up to `at`. */
export function activeSecondsAt(s: ActiveTime, at: number): number {
  if (s.status !== 'active' || s.resumedAt === null) return s.activeSeconds;
  return s.activeSeconds + Math.max(0, at - s.resumedAt);
}

/** When an active session reaches its duration if nobody pauses it; null unless active. */
export function plannedEndAt(s: { status: SessionStatus; resumedAt: number | null; durationSeconds: number; elapsedSeconds: number }): number | null {
  if (s.status !== 'active' || s.resumedAt === null) return null;
  return s.resumedAt + (s.durationSeconds - s.elapsedSeconds);
}

export interface ElapsedCheck {
  elapsed: number;
  storedElapsed: number;
  durationSeconds: number;
  /** The active time the server has seen at the action's moment (activeSecondsAt). */
  activeSecondsSeen: number;
  toleranceSeconds: number;
  /** The status the request asks for. */
  target: 'paused' | 'completed' | 'abandoned';
}

export interface ElapsedViolation {
  rule: 1 | 2 | 3 | 4;
  message: string;
}

/** The first elapsed_seconds rule the request breaks, or null when it keeps all four. */
export function elapsedViolation(c: ElapsedCheck): ElapsedViolation | null {
  if (c.elapsed > c.durationSeconds) {
    return { rule: 1, message: `elapsed_seconds (${c.elapsed}) must not exceed duration_seconds (${c.durationSeconds})` };
  }
  if (c.elapsed < c.storedElapsed) {
    return { rule: 2, message: `elapsed_seconds (${c.elapsed}) must not be lower than the ${c.storedElapsed} already recorded` };
  }
  // the tolerance once for the whole session, not once per run: time spent paused is not focus
  if (c.elapsed > c.activeSecondsSeen + c.toleranceSeconds) {
    return {
      rule: 3,
      message: `elapsed_seconds (${c.elapsed}) is more than the ${c.activeSecondsSeen} seconds the session has been active (tolerance ${c.toleranceSeconds})`,
    };
  }
  if (c.target === 'completed' && c.elapsed !== c.durationSeconds) {
    return {
      rule: 4,
      message: `a completed session needs elapsed_seconds equal to duration_seconds (${c.durationSeconds}); end it as abandoned to quit early`,
    };
  }
  return null;
}
