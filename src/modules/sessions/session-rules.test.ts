import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../db/database.js';
import {
  ALLOWED_FROM,
  type ElapsedCheck,
  type SessionAction,
  activeSecondsAt,
  canTransition,
  elapsedViolation,
  plannedEndAt,
  startMoment,
  transitionMoment,
} from './session-rules.js';

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
    activeSecondsSeen: 750,
    toleranceSeconds: 5,
    target: 'paused',
  };
  const check = (changes: Partial<ElapsedCheck>) => elapsedViolation({ ...base, ...changes });

  it('accepts a pause that keeps all four rules', () => {
    expect(check({})).toBeNull();
  });

  describe('rule 1: at most duration_seconds', () => {
    it('accepts elapsed equal to the duration', () => {
      expect(check({ elapsed: 1500, activeSecondsSeen: 1500 })).toBeNull();
    });
    it('rejects one second over the duration, naming both figures (the message reaches the client)', () => {
      expect(check({ elapsed: 1501, activeSecondsSeen: 5000 })).toEqual({
        rule: 1,
        message: 'elapsed_seconds (1501) must not exceed duration_seconds (1500)',
      });
    });
    it('accepts zero on a fresh session', () => {
      expect(check({ elapsed: 0, activeSecondsSeen: 0 })).toBeNull();
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

  describe('rule 3: never more than the active time seen plus the tolerance', () => {
    it('accepts exactly active time + tolerance', () => {
      expect(check({ elapsed: 15, activeSecondsSeen: 10, toleranceSeconds: 5 })).toBeNull();
    });
    it('rejects one second beyond active time + tolerance', () => {
      expect(check({ elapsed: 16, activeSecondsSeen: 10, toleranceSeconds: 5 })?.rule).toBe(3);
    });
    it('rejects 25 minutes of focus claimed after 10 seconds of active time, naming both figures', () => {
      expect(check({ elapsed: 1500, activeSecondsSeen: 10, target: 'completed' })).toEqual({
        rule: 3,
        message: 'elapsed_seconds (1500) is more than the 10 seconds the session has been active (tolerance 5)',
      });
    });
    it('with tolerance 0 allows exactly the active time', () => {
      expect(check({ elapsed: 10, activeSecondsSeen: 10, toleranceSeconds: 0 })).toBeNull();
      expect(check({ elapsed: 11, activeSecondsSeen: 10, toleranceSeconds: 0 })?.rule).toBe(3);
    });
  });

  describe('rule 4: completed needs the full duration', () => {
    it('accepts completed with elapsed == duration', () => {
      expect(check({ elapsed: 1500, activeSecondsSeen: 1500, target: 'completed' })).toBeNull();
    });
    it('rejects completed one second short, and says to abandon instead', () => {
      const violation = check({ elapsed: 1499, activeSecondsSeen: 1500, target: 'completed' });
      expect(violation?.rule).toBe(4);
      expect(violation?.message).toContain('abandoned');
    });
    it('does not apply to abandoned or paused', () => {
      expect(check({ elapsed: 400, activeSecondsSeen: 400, target: 'abandoned' })).toBeNull();
      expect(check({ elapsed: 400, activeSecondsSeen: 400, target: 'paused' })).toBeNull();
    });
  });

  describe('rule order: the first broken rule is the one reported', () => {
    it('reports rule 1 when rules 1, 3 and 4 are all broken', () => {
      expect(check({ elapsed: 2000, activeSecondsSeen: 10, target: 'completed' })?.rule).toBe(1);
    });
    it('reports rule 2 before rule 3', () => {
      // 700 < stored 800 (rule 2) and 700 > 10 + 5 (rule 3)
      expect(check({ elapsed: 700, storedElapsed: 800, activeSecondsSeen: 10 })?.rule).toBe(2);
    });
    it('reports rule 2 before rule 4', () => {
      expect(check({ elapsed: 700, storedElapsed: 800, activeSecondsSeen: 2000, target: 'completed' })?.rule).toBe(2);
    });
    it('reports rule 3 before rule 4', () => {
      expect(check({ elapsed: 100, activeSecondsSeen: 10, target: 'completed' })?.rule).toBe(3);
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
        (durationSeconds, activeSecondsSeen, toleranceSeconds, elapsed, storedElapsed, target) => {
          const c = { durationSeconds, activeSecondsSeen, toleranceSeconds, elapsed, storedElapsed, target };
          const keepsAll =
            elapsed <= durationSeconds &&
            elapsed >= storedElapsed &&
            elapsed <= activeSecondsSeen + toleranceSeconds &&
            (target !== 'completed' || elapsed === durationSeconds);
          expect(elapsedViolation(c) === null).toBe(keepsAll);
        },
      ),
    );
  });
});

describe('the moment a pause, resume or end is recorded', () => {
  const LAST = 1_000_000;
  const moment = (requested: number | undefined, now = LAST + 600, toleranceSeconds = 5) =>
    transitionMoment({ requested, now, lastTransition: LAST, toleranceSeconds });

  it('is now when the device names no moment', () => {
    expect(moment(undefined)).toEqual({ at: LAST + 600 });
  });
  it('is the named moment between the last transition and now', () => {
    expect(moment(LAST + 100)).toEqual({ at: LAST + 100 });
    expect(moment(LAST)).toEqual({ at: LAST });
    expect(moment(LAST + 600)).toEqual({ at: LAST + 600 });
  });
  it('takes a moment later than now as now (a device clock running fast)', () => {
    expect(moment(LAST + 601)).toEqual({ at: LAST + 600 });
    expect(moment(LAST + 86_400)).toEqual({ at: LAST + 600 });
  });
  it('takes a moment within the tolerance before the last transition as the last transition', () => {
    expect(moment(LAST - 1)).toEqual({ at: LAST });
    expect(moment(LAST - 5)).toEqual({ at: LAST });
  });
  it('refuses a moment more than the tolerance before the last transition, naming the earliest it accepts', () => {
    expect(moment(LAST - 6)).toEqual({ earliest: LAST - 5 });
    expect(moment(LAST - 1, LAST + 600, 0)).toEqual({ earliest: LAST });
    expect(moment(LAST, LAST + 600, 0)).toEqual({ at: LAST });
  });
  it('never records a moment before the last transition when the server clock is behind it', () => {
    expect(moment(undefined, LAST - 100)).toEqual({ at: LAST });
    expect(moment(LAST, LAST - 100)).toEqual({ at: LAST });
  });
});

describe('the moment a start is recorded', () => {
  const NOW = 2_000_000;
  const start = (requested: number | undefined, latestEndedAt?: number) => startMoment({ requested, now: NOW, latestEndedAt });

  it('is now when the device names no moment, whatever the latest end', () => {
    expect(start(undefined)).toEqual({ at: NOW });
    expect(start(undefined, NOW + 50)).toEqual({ at: NOW });
  });
  it('takes a moment later than now as now', () => {
    expect(start(NOW + 1)).toEqual({ at: NOW });
  });
  it('accepts a moment exactly 24 hours back, not one second more', () => {
    expect(start(NOW - 86_400)).toEqual({ at: NOW - 86_400 });
    expect(start(NOW - 86_401)).toEqual({ earliest: NOW - 86_400 });
  });
  it('accepts the moment of the latest end, not one second before it', () => {
    expect(start(NOW - 600, NOW - 600)).toEqual({ at: NOW - 600 });
    expect(start(NOW - 601, NOW - 600)).toEqual({ earliest: NOW - 600 });
  });
  it('keeps the 24-hour bound when the latest end is older', () => {
    expect(start(NOW - 86_401, NOW - 100_000)).toEqual({ earliest: NOW - 86_400 });
  });
});

describe('the active time the server has seen', () => {
  it('is the closed runs plus the run in progress up to the moment', () => {
    expect(activeSecondsAt({ status: 'active', activeSeconds: 60, resumedAt: 1000 }, 1300)).toBe(360);
  });
  it('is the closed runs alone while paused or ended', () => {
    for (const status of ['paused', 'completed', 'abandoned'] as SessionStatus[]) {
      expect(activeSecondsAt({ status, activeSeconds: 60, resumedAt: 1000 }, 1300)).toBe(60);
    }
  });
  it('counts no run in progress without a resume moment, nor a negative one', () => {
    expect(activeSecondsAt({ status: 'active', activeSeconds: 60, resumedAt: null }, 1300)).toBe(60);
    expect(activeSecondsAt({ status: 'active', activeSeconds: 60, resumedAt: 1300 }, 1000)).toBe(60);
  });
});

describe('the planned end', () => {
  it('is the resume moment plus the time left while active', () => {
    expect(plannedEndAt({ status: 'active', resumedAt: 1000, durationSeconds: 1500, elapsedSeconds: 300 })).toBe(2200);
  });
  it('is null unless active with a resume moment', () => {
    for (const status of ['paused', 'completed', 'abandoned'] as SessionStatus[]) {
      expect(plannedEndAt({ status, resumedAt: 1000, durationSeconds: 1500, elapsedSeconds: 300 })).toBeNull();
    }
    expect(plannedEndAt({ status: 'active', resumedAt: null, durationSeconds: 1500, elapsedSeconds: 300 })).toBeNull();
  });
});

describe('rule 3 over a whole session (property)', () => {
  type Step = { action: 'pause' | 'resume' | 'end'; wait: number; atOffset: number | null; claim: number };
  const step = fc.record({
    action: fc.constantFrom<Step['action']>('pause', 'resume', 'end'),
    wait: fc.nat({ max: 2000 }),
    // the device's moment relative to now: null = none sent, negative = queued, positive = fast clock
    atOffset: fc.option(fc.integer({ min: -3000, max: 300 }), { nil: null }),
    claim: fc.nat({ max: 4000 }),
  });

  it('for any sequence of pauses, resumes and ends with moments, accepted elapsed_seconds never exceeds the active runs plus one tolerance', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), fc.nat({ max: 10 }), (steps, toleranceSeconds) => {
        const durationSeconds = 3600;
        let now = 1_000_000;
        let status: SessionStatus = 'active';
        let elapsed = 0;
        let activeSeconds = 0;
        let resumedAt: number | null = now;
        let lastTransition = now;
        // the active runs as this test sees them, apart from the rules' own count
        const runs: Array<[number, number]> = [];
        for (const { action, wait, atOffset, claim } of steps) {
          now += wait;
          if (!canTransition(action, status)) continue;
          const requested = atOffset === null ? undefined : now + atOffset;
          const moment = transitionMoment({ requested, now, lastTransition, toleranceSeconds });
          if ('earliest' in moment) continue;
          const at = moment.at;
          expect(at).toBeGreaterThanOrEqual(lastTransition);
          expect(at).toBeLessThanOrEqual(Math.max(now, lastTransition));
          if (action === 'resume') {
            status = 'active';
            resumedAt = at;
            lastTransition = at;
            continue;
          }
          const target = action === 'pause' ? 'paused' : claim >= durationSeconds ? 'completed' : 'abandoned';
          const claimed = Math.min(claim, durationSeconds);
          const seen = activeSecondsAt({ status, activeSeconds, resumedAt }, at);
          const violation = elapsedViolation({ elapsed: claimed, storedElapsed: elapsed, durationSeconds, activeSecondsSeen: seen, toleranceSeconds, target });
          if (violation) continue;
          if (status === 'active' && resumedAt !== null) runs.push([resumedAt, at]);
          const activeRuns = runs.reduce((sum, [from, to]) => sum + (to - from), 0);
          expect(claimed).toBeLessThanOrEqual(activeRuns + toleranceSeconds);
          elapsed = claimed;
          activeSeconds = seen;
          resumedAt = null;
          lastTransition = at;
          status = target;
          if (action === 'end') break;
        }
      }),
    );
  });
});
