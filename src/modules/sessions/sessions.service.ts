// The session lifecycle: each operation is one transaction around the pure rules.
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/connect.js';
import type { Db, FocusSessionRow, SessionStatus } from '../../db/database.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors.js';
import { errors } from '../../errors.js';
import { NOTE_RULE, textOrThrow } from '../../text-fields.js';
import { epochSeconds, fromEpochSeconds, parseRfc3339, toTimestamp } from '../../time/clock.js';
import { tagsRepository } from '../tags/tags.repository.js';
import { decodeCursor, encodeCursor } from './history-cursor.js';
import { endSession } from './session-end.js';
import {
  ALLOWED_FROM,
  type Moment,
  type SessionAction,
  activeSecondsAt,
  canTransition,
  elapsedViolation,
  startMoment,
  transitionMoment,
} from './session-rules.js';
import {
  type EndInput,
  type HistoryInput,
  type PauseInput,
  type RelabelInput,
  type ResumeInput,
  type RewardsDto,
  type SessionDto,
  type StartInput,
  toSessionDto,
} from './sessions.schemas.js';
import { sessionsRepository } from './sessions.repository.js';

function assertTransition(action: SessionAction, row: FocusSessionRow): void {
  if (!canTransition(action, row.status)) throw errors.invalidSessionState(action, row.status, ALLOWED_FROM[action]);
}

/** The device's `at` in seconds since the epoch (sub-seconds dropped); undefined when absent or null. 400 when it is no RFC 3339 date-time. */
function requestedMoment(at: string | null | undefined): number | undefined {
  if (at === undefined || at === null) return undefined;
  const instant = parseRfc3339(at);
  if (!instant) throw errors.validation([{ field: 'at', message: 'must be an RFC 3339 date-time with an offset' }], 'at must be an RFC 3339 date-time');
  return Math.floor(instant.getTime() / 1000);
}

function momentOrThrow(moment: Moment): number {
  if ('earliest' in moment) throw errors.actionTimeInvalid(fromEpochSeconds(moment.earliest));
  return moment.at;
}

/** The active time the server has seen in `row` by `at` (rule 3's count). */
function activeSecondsOf(row: FocusSessionRow, at: number): number {
  return activeSecondsAt({ status: row.status, activeSeconds: row.active_seconds, resumedAt: row.resumed_at === null ? null : epochSeconds(row.resumed_at) }, at);
}

/**
 * The moment a pause, resume or end of `row` is recorded, checked against its last transition (422
 * action_time_invalid), then elapsed_seconds against the four rules at that moment (422
 * elapsed_seconds_invalid): the order of contract 4. Returns the moment and the active time seen by then.
 */
function checkedMoment(
  row: FocusSessionRow,
  requested: number | undefined,
  now: Date,
  config: Config,
  elapsed?: { value: number; target: 'paused' | 'completed' | 'abandoned' },
): { at: string; activeSeconds: number } {
  const lastTransition = epochSeconds(row.last_transition_at ?? row.started_at);
  const at = momentOrThrow(
    transitionMoment({ requested, now: epochSeconds(toTimestamp(now)), lastTransition, toleranceSeconds: config.elapsedToleranceSeconds }),
  );
  const activeSeconds = activeSecondsOf(row, at);
  if (elapsed) {
    const violation = elapsedViolation({
      elapsed: elapsed.value,
      storedElapsed: row.elapsed_seconds,
      durationSeconds: row.duration_seconds,
      activeSecondsSeen: activeSeconds,
      toleranceSeconds: config.elapsedToleranceSeconds,
      target: elapsed.target,
    });
    if (violation) throw errors.elapsedInvalid(`rule ${violation.rule}: ${violation.message}`, violation.rule);
  }
  return { at: fromEpochSeconds(at), activeSeconds };
}

/** A note as stored (NFC, at most 500 code points: 400 otherwise); null and absent stay as they are. */
function noteOrThrow<T extends null | undefined>(note: string | T): string | T {
  return typeof note === 'string' ? textOrThrow('note', note, NOTE_RULE) : note;
}

/** A tag given to a session was deleted between its check and the write: the same 404 as one never there. */
async function tagStillThere<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isForeignKeyViolation(error)) throw errors.notFound('tag');
    throw error;
  }
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
  const tags = tagsRepository(db);

  /** Whether the caller's tag `tagId` is archived; 404 when it is not one of theirs. */
  async function tagArchivedOrThrow(userId: number, tagId: number): Promise<boolean> {
    const archived = await tags.archivedOwned(userId, tagId);
    if (archived === undefined) throw errors.notFound('tag');
    return archived;
  }

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

  return {
    async start(userId: number, input: StartInput, now: Date): Promise<SessionDto> {
      const requested = requestedMoment(input.at);
      const note = noteOrThrow(input.note) ?? null;
      const tagId = input.tag_id ?? null;
      const tagArchived = tagId !== null && (await tagArchivedOrThrow(userId, tagId));
      const nowTs = toTimestamp(now);
      let at = nowTs;
      if (requested !== undefined) {
        // a running session is a 409 before any 422 about the moment
        const running = await repo.findRunning(userId);
        if (running) throw errors.sessionAlreadyRunning(toSessionDto(running));
        const latest = await repo.latestEndedAt(userId);
        const moment = startMoment({ requested, now: epochSeconds(nowTs), latestEndedAt: latest === undefined ? undefined : epochSeconds(latest) });
        at = fromEpochSeconds(momentOrThrow(moment));
      }
      if (tagArchived) {
        // 409 before 422 (contract 4's order): only a start that would otherwise be refused asks
        const running = await repo.findRunning(userId);
        if (running) throw errors.sessionAlreadyRunning(toSessionDto(running));
        throw errors.tagArchived();
      }
      try {
        return toSessionDto(await tagStillThere(() => repo.insert(userId, input.duration_seconds, at, nowTs, { tagId, note })));
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
      const requested = requestedMoment(input.at);
      const nowTs = toTimestamp(now);
      const row = await transition(userId, id, 'pause', (current, txRepo) => {
        const { at, activeSeconds } = checkedMoment(current, requested, now, config, { value: input.elapsed_seconds, target: 'paused' });
        // the pause closes the run in progress: its time joins the count, and no run is in progress
        return txRepo.update(id, { status: 'paused', elapsed_seconds: input.elapsed_seconds, updated_at: nowTs, resumed_at: null, last_transition_at: at, active_seconds: activeSeconds });
      });
      return toSessionDto(row);
    },

    async resume(userId: number, id: number, input: ResumeInput, now: Date): Promise<SessionDto> {
      const requested = requestedMoment(input?.at);
      const nowTs = toTimestamp(now);
      if (requested === undefined) {
        // One statement in the usual case: the UPDATE itself checks the owner and the state machine.
        const resumed = await repo.resumeIfPaused(userId, id, nowTs, nowTs);
        if (resumed) return toSessionDto(resumed);
      }
      // A device's moment, or nothing matched: decide on the row as it is now (404, 409, 422, or
      // resume it if it was paused meanwhile).
      const row = await transition(userId, id, 'resume', (current, txRepo) => {
        const { at } = checkedMoment(current, requested, now, config);
        const kept = { elapsed_seconds: current.elapsed_seconds, active_seconds: current.active_seconds };
        return txRepo.update(id, { status: 'active', ...kept, updated_at: nowTs, resumed_at: at, last_transition_at: at });
      });
      return toSessionDto(row);
    },

    async end(userId: number, id: number, input: EndInput, now: Date): Promise<SessionDto & { rewards: RewardsDto | null }> {
      const requested = requestedMoment(input.at);
      const nowTs = toTimestamp(now);
      // The side effects commit in the same transaction as the status change (contract 5).
      return transition(userId, id, 'end', async (current, _txRepo, trx, timezone) => {
        const { at, activeSeconds } = checkedMoment(current, requested, now, config, { value: input.elapsed_seconds, target: input.status });
        const end = { status: input.status, elapsed_seconds: input.elapsed_seconds, ended_at: at, active_seconds: activeSeconds, updated_at: nowTs };
        return endSession(trx, id, end, timezone);
      });
    },

    /**
     * Relabel (contract 11): the tag and the note of a session in any status, no time, progress,
     * streak or badge. An archived tag only when the session already carries it.
     */
    async relabel(userId: number, id: number, input: RelabelInput, now: Date): Promise<SessionDto> {
      const changes: { tag_id?: number | null; note?: string | null; updated_at: string } = { updated_at: toTimestamp(now) };
      if (input.note !== undefined) changes.note = noteOrThrow(input.note);
      if (input.tag_id !== undefined) changes.tag_id = input.tag_id;
      const current = await repo.findOwned(userId, id);
      if (!current) throw errors.notFound('session');
      if (input.tag_id !== undefined && input.tag_id !== null && input.tag_id !== current.tag_id && (await tagArchivedOrThrow(userId, input.tag_id))) {
        throw errors.tagArchived();
      }
      const row = await tagStillThere(() => repo.relabel(userId, id, changes));
      if (!row) throw errors.notFound('session');
      return toSessionDto(row);
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
      const tagId = input.tag_id;
      const rows = await repo.history(userId, {
        limit,
        ...(tagId !== undefined ? { tagId } : {}),
        ...(statuses ? { statuses } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(after ? { after } : {}),
      });
      // Only an empty page asks whether the tag is the caller's: a session of theirs carries only their tags.
      if (tagId !== undefined && rows.length === 0) await tagArchivedOrThrow(userId, tagId);
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
