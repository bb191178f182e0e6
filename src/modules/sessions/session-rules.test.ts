import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../db/database.js';
import { ALLOWED_FROM, type ElapsedCheck, type SessionAction, canTransition, elapsedViolation } from './session-rules.js';

const STATUSES: SessionStatus[] = ['active', 'paused', 'completed', 'abandoned'];

describe('the session state machine', () => {
  const allowed: Array<[SessionAction, SessionStatus]> = [
    ['pause', 'active'],
    ['resume', 'paused'],
    ['end', 'active'],
    ['end', 'paused'],
  ];

  it.each(allowed)('allows %s from %s', (action, status) => {
    expect(canTransition(action, status)).toBe(true);
  });

  const forbidden = (['pause', 'resume', 'end'] as SessionAction[]).flatMap((action) =>
    STATUSES.filter((status) => !allowed.some(([a, s]) => a === action && s === status)).map(
      (status) => [action, status] as [SessionAction, SessionStatus],
    ),
  );

  it('forbids every other (action, status) pair: eight of them', () => {
    expect(forbidden).toHaveLength(8);
  });

  it.each(forbidden)('forbids %s from %s', (action, status) => {
    expect(canTransition(action, status)).toBe(false);
  });

  it('treats completed and abandoned as final: no action leaves them', () => {
    for (const status of ['completed', 'abandoned'] as SessionStatus[]) {
      for (const action of Object.keys(ALLOWED_FROM) as SessionAction[]) expect(canTransition(action, status)).toBe(false);
    }
  });

  it('lists allowed_from as the contract draws it', () => {
    expect(ALLOWED_FROM).toEqual({ pause: ['active'], resume: ['paused'], end: ['active', 'paused'] });
  });
});

describe('the elapsed_seconds rules', () => {
  const base: ElapsedCheck = {
    elapsed: 750,
    storedElapsed: 0,
    durationSeconds: 1500,
    wallClockSeconds: 750,
    toleranceSeconds: 5,
    target: 'paused',
  };
  const check = (changes: Partial<ElapsedCheck>) => elapsedViolation({ ...base, ...changes });

  it('accepts a pause that keeps all four rules', () => {
    expect(check({})).toBeNull();
  });

  describe('rule 1: at most duration_seconds', () => {
    it('accepts elapsed equal to the duration', () => {
      expect(check({ elapsed: 1500, wallClockSeconds: 1500 })).toBeNull();
    });
    it('rejects one second over the duration, naming both figures (the message reaches the client)', () => {
      expect(check({ elapsed: 1501, wallClockSeconds: 5000 })).toEqual({
        rule: 1,
        message: 'elapsed_seconds (1501) must not exceed duration_seconds (1500)',
      });
    });
    it('accepts zero on a fresh session', () => {
      expect(check({ elapsed: 0, wallClockSeconds: 0 })).toBeNull();
    });
  });

  describe('rule 2: never lower than the stored value', () => {
    it('accepts the same value as stored', () => {
      expect(check({ storedElapsed: 750 })).toBeNull();
    });
    it('rejects one second below the stored value', () => {
      const violation = check({ elapsed: 749, storedElapsed: 750 });
      expect(violation?.rule).toBe(2);
      expect(violation?.message).toContain('750');
    });
  });

  describe('rule 3: never more than the wall clock plus the tolerance', () => {
    it('accepts exactly wall clock + tolerance', () => {
      expect(check({ elapsed: 15, wallClockSeconds: 10, toleranceSeconds: 5 })).toBeNull();
    });
    it('rejects one second beyond wall clock + tolerance', () => {
      expect(check({ elapsed: 16, wallClockSeconds: 10, toleranceSeconds: 5 })?.rule).toBe(3);
    });
    it('rejects 25 minutes of focus claimed 10 seconds after the start', () => {
      const violation = check({ elapsed: 1500, wallClockSeconds: 10, target: 'completed' });
      expect(violation?.rule).toBe(3);
      expect(violation?.message).toContain('10 seconds');
    });
    it('treats a clock that went backwards as zero seconds, so only the tolerance is allowed', () => {
      expect(check({ elapsed: 5, wallClockSeconds: -100 })).toBeNull();
      expect(check({ elapsed: 6, wallClockSeconds: -100 })?.rule).toBe(3);
    });
    it('with tolerance 0 allows exactly the wall clock', () => {
      expect(check({ elapsed: 10, wallClockSeconds: 10, toleranceSeconds: 0 })).toBeNull();
      expect(check({ elapsed: 11, wallClockSeconds: 10, toleranceSeconds: 0 })?.rule).toBe(3);
    });
  });

  describe('rule 4: completed needs the full duration', () => {
    it('accepts completed with elapsed == duration', () => {
      expect(check({ elapsed: 1500, wallClockSeconds: 1500, target: 'completed' })).toBeNull();
    });
    it('rejects completed one second short, and says to abandon instead', () => {
      const violation = check({ elapsed: 1499, wallClockSeconds: 1500, target: 'completed' });
      expect(violation?.rule).toBe(4);
      expect(violation?.message).toContain('abandoned');
    });
    it('does not apply to abandoned or paused', () => {
      expect(check({ elapsed: 400, wallClockSeconds: 400, target: 'abandoned' })).toBeNull();
      expect(check({ elapsed: 400, wallClockSeconds: 400, target: 'paused' })).toBeNull();
    });
  });

  describe('rule order: the first broken rule is the one reported', () => {
    it('reports rule 1 when rules 1, 3 and 4 are all broken', () => {
      expect(check({ elapsed: 2000, wallClockSeconds: 10, target: 'completed' })?.rule).toBe(1);
    });
    it('reports rule 2 before rule 3', () => {
      // 700 < stored 800 (rule 2) and 700 > 10 + 5 (rule 3)
      expect(check({ elapsed: 700, storedElapsed: 800, wallClockSeconds: 10 })?.rule).toBe(2);
    });
    it('reports rule 2 before rule 4', () => {
      expect(check({ elapsed: 700, storedElapsed: 800, wallClockSeconds: 2000, target: 'completed' })?.rule).toBe(2);
    });
    it('reports rule 3 before rule 4', () => {
      expect(check({ elapsed: 100, wallClockSeconds: 10, target: 'completed' })?.rule).toBe(3);
    });
  });

  it('accepts exactly the values inside every bound (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 60, max: 86400 }),
        fc.nat({ max: 200_000 }),
        fc.nat({ max: 100 }),
        fc.nat({ max: 86400 }),
        fc.nat({ max: 86400 }),
        fc.constantFrom<ElapsedCheck['target']>('paused', 'completed', 'abandoned'),
        (durationSeconds, wallClockSeconds, toleranceSeconds, elapsed, storedElapsed, target) => {
          const c = { durationSeconds, wallClockSeconds, toleranceSeconds, elapsed, storedElapsed, target };
          const keepsAll =
            elapsed <= durationSeconds &&
            elapsed >= storedElapsed &&
            elapsed <= wallClockSeconds + toleranceSeconds &&
            (target !== 'completed' || elapsed === durationSeconds);
          expect(elapsedViolation(c) === null).toBe(keepsAll);
        },
      ),
    );
  });
});
