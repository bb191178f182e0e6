// Pure rules of a focus session: the state machine (contract 3) and the elapsed_seconds rules (contract 4).
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

export interface ElapsedCheck {
  elapsed: number;
  storedElapsed: number;
  durationSeconds: number;
  /** Whole seconds of wall-clock time since started_at. */
  wallClockSeconds: number;
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
  if (c.elapsed > Math.max(0, c.wallClockSeconds) + c.toleranceSeconds) {
    return {
      rule: 3,
      message: `elapsed_seconds (${c.elapsed}) is more than the ${Math.max(0, c.wallClockSeconds)} seconds since the session started (tolerance ${c.toleranceSeconds})`,
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
