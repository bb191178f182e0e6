// The session lifecycle: each operation is one transaction around the pure rules.
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/connect.js';
import type { Db, FocusSessionRow, SessionStatus } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { errors } from '../../errors.js';
import { parseRfc3339, secondsBetween, toTimestamp } from '../../time/clock.js';
import { decodeCursor, encodeCursor } from './history-cursor.js';
import { applyAbandonment, applyCompletion } from './session-end.js';
import { ALLOWED_FROM, type SessionAction, canTransition, elapsedViolation } from './session-rules.js';
import { type EndInput, type HistoryInput, type PauseInput, type RewardsDto, type SessionDto, toSessionDto } from './sessions.schemas.js';
import { sessionsRepository } from './sessions.repository.js';

function assertTransition(action: SessionAction, row: FocusSessionRow): void {
  if (!canTransition(action, row.status)) throw errors.invalidSessionState(action, row.status, ALLOWED_FROM[action]);
}

function assertElapsed(row: FocusSessionRow, elapsed: number, target: 'paused' | 'completed' | 'abandoned', now: string, config: Config): void {
  const violation = elapsedViolation({
    elapsed,
    storedElapsed: row.elapsed_seconds,
    durationSeconds: row.duration_seconds,
    wallClockSeconds: secondsBetween(row.started_at, now),
    toleranceSeconds: config.elapsedToleranceSeconds,
    target,
  });
  if (violation) throw errors.elapsedInvalid(`rule ${violation.rule}: ${violation.message}`, violation.rule);
}

function boundOrThrow(field: 'from' | 'to', value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const instant = parseRfc3339(value);
  if (!instant) throw errors.validation([{ field, message: 'must be an RFC 3339 date-time' }], `${field} must be an RFC 3339 date-time`);
  // stored timestamps have whole seconds: from rounds up, to rounds down
  const ms = instant.getTime();
  const rounded = field === 'from' ? Math.ceil(ms / 1000) * 1000 : Math.floor(ms / 1000) * 1000;
  return toTimestamp(new Date(rounded));
}

export function sessionsService(handle: DatabaseHandle, config: Config) {
  const { db } = handle;
  const repo = sessionsRepository(db);

  /**
   * The locking transaction: the caller's session locked (404 when it is not theirs), the state
   * machine checked, then `apply`. The locking read also brings the owner's time zone, which a
   * completion needs (one round trip less than reading it apart).
   */
  async function transition<T>(
    userId: number,
    id: number,
    action: SessionAction,
    apply: (row: FocusSessionRow, repo: ReturnType<typeof sessionsRepository>, trx: Db, timezone: string) => Promise<T>,
  ): Promise<T> {
    return db.transaction().execute(async (trx) => {
      const txRepo = sessionsRepository(trx);
      const locked = await txRepo.lockOwned(userId, id);
      if (!locked) throw errors.notFound('session');
      const { timezone, ...row } = locked;
      assertTransition(action, row);
      return apply(row, txRepo, trx, timezone);
    });
  }

  /**
   * A transition with no side effects, without a transaction: read the row, decide with the pure
   * rules, then one UPDATE that applies only if the row is still what was read. A concurrent change
   * makes it match nothing and the rules decide again on the new row; after a few such rounds the
   * locking transaction takes over. On PostgreSQL that is 2 round trips instead of 4 (BEGIN,
   * SELECT … FOR UPDATE, UPDATE, COMMIT), with the same answers.
   */
  async function guardedTransition(
    userId: number,
    id: number,
    action: SessionAction,
    decide: (row: FocusSessionRow) => { status: SessionStatus; elapsed_seconds?: number; updated_at: string },
  ): Promise<FocusSessionRow> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const row = await repo.findOwned(userId, id);
      if (!row) throw errors.notFound('session');
      assertTransition(action, row);
      const updated = await repo.updateIfUnchanged(row, decide(row));
      if (updated) return updated;
    }
    return transition(userId, id, action, (row, txRepo) => txRepo.update(id, decide(row)));
  }

  return {
    async start(userId: number, durationSeconds: number, now: Date): Promise<SessionDto> {
      try {
        return toSessionDto(await repo.insert(userId, durationSeconds, toTimestamp(now)));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const running = await repo.findRunning(userId);
        throw errors.sessionAlreadyRunning(running ? toSessionDto(running) : null);
      }
    },

    async active(userId: number): Promise<SessionDto | null> {
      const row = await repo.findRunning(userId);
      return row ? toSessionDto(row) : null;
    },

    async pause(userId: number, id: number, input: PauseInput, now: Date): Promise<SessionDto> {
      const nowTs = toTimestamp(now);
      const row = await guardedTransition(userId, id, 'pause', (current) => {
        assertElapsed(current, input.elapsed_seconds, 'paused', nowTs, config);
        return { status: 'paused', elapsed_seconds: input.elapsed_seconds, updated_at: nowTs };
      });
      return toSessionDto(row);
    },

    async resume(userId: number, id: number, now: Date): Promise<SessionDto> {
      const nowTs = toTimestamp(now);
      const changes = { status: 'active', updated_at: nowTs } as const;
      // One statement in the usual case: the UPDATE itself checks the owner and the state machine.
      const resumed = await repo.updateOwnedIfStatus(userId, id, ALLOWED_FROM.resume, changes);
      if (resumed) return toSessionDto(resumed);
      // Nothing matched: decide on the row as it is now (404, 409, or resume it if it was paused meanwhile).
      return toSessionDto(await guardedTransition(userId, id, 'resume', () => changes));
    },

    async end(userId: number, id: number, input: EndInput, now: Date): Promise<SessionDto & { rewards: RewardsDto | null }> {
      const nowTs = toTimestamp(now);
      // The side effects commit in the same transaction as the status change (contract 5).
      return transition(userId, id, 'end', async (current, txRepo, trx, timezone) => {
        assertElapsed(current, input.elapsed_seconds, input.status, nowTs, config);
        const row = await txRepo.finish(id, { status: input.status, elapsed_seconds: input.elapsed_seconds, ended_at: nowTs, updated_at: nowTs });
        const rewards = row.status === 'completed' ? await applyCompletion(trx, row, timezone) : await applyAbandonment(trx, row);
        return { ...toSessionDto(row), rewards };
      });
    },

    async history(userId: number, input: HistoryInput) {
      const limit = input.limit ?? 20;
      let after: { startedAt: string; id: number } | undefined;
      if (input.cursor !== undefined) {
        const decoded = decodeCursor(input.cursor);
        if (!decoded) throw errors.validation([{ field: 'cursor', message: 'is not a cursor from this API' }], 'cursor is not valid');
        after = decoded;
      }
      const statuses = input.status ? ([...new Set(input.status.split(','))] as SessionStatus[]) : undefined;
      const from = boundOrThrow('from', input.from);
      const to = boundOrThrow('to', input.to);
      const rows = await repo.history(userId, {
        limit,
        ...(statuses ? { statuses } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(after ? { after } : {}),
      });
      const hasMore = rows.length > limit;
      const page = hasMore ? rows.slice(0, limit) : rows;
      const last = page[page.length - 1];
      return {
        data: page.map(toSessionDto),
        meta: {
          limit,
          has_more: hasMore,
          next_cursor: hasMore && last ? encodeCursor({ startedAt: last.started_at, id: last.id }) : null,
        },
      };
    },
  };
}

export type SessionsService = ReturnType<typeof sessionsService>;
