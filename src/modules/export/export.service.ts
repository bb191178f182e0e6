// The user's data as files (contract 15): the JSON document and the sessions CSV. What is small (the
// user, tags, streak, badges) is read before the first byte, so a failure there is still an ordinary
// error answer; sessions and days are read a page at a time as the reply asks for more, so memory
// stays flat in history size. Pages are separate reads, not one snapshot: a transaction held open
// for a slow download would pin a PostgreSQL connection (and SQLite's only one) for its whole length.
import type { DatabaseHandle } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { addDays, daysBetween, localDay } from '../../time/calendar.js';
import { toTimestamp } from '../../time/clock.js';
import { toUserDto } from '../accounts/accounts.schemas.js';
import { accountsRepository } from '../accounts/accounts.repository.js';
import { badgesRepository } from '../badges/badges.repository.js';
import type { DayProgress } from '../progress/progress-rules.js';
import { toDayProgressDto } from '../progress/progress.schemas.js';
import { progressRepository } from '../progress/progress.repository.js';
import { toSessionDto } from '../sessions/sessions.schemas.js';
import type { SessionRecord } from '../sessions/sessions.repository.js';
import { streakAsRead } from '../streaks/streak-rules.js';
import { toStreakDto } from '../streaks/streaks.schemas.js';
import { compareTagNames } from '../tags/tag-rules.js';
import { toTagDto } from '../tags/tags.schemas.js';
import { tagsRepository } from '../tags/tags.repository.js';
import { csvRow } from './csv-rules.js';
import { type SessionKey, exportRepository } from './export.repository.js';

/** Sessions per read: big enough that 100,000 sessions are 200 round trips, small enough to stay a few hundred kB. */
export const EXPORT_PAGE_SIZE = 500;

/** Days per read of the day rows: at most this many rows. */
const DAY_PAGE_DAYS = 366;

export const SESSIONS_CSV_HEADER = ['id', 'status', 'started_at', 'ended_at', 'duration_seconds', 'elapsed_seconds', 'tag', 'note'] as const;

export interface ExportDownload {
  fileName: string;
  /** The file's text, produced as it is read: each chunk is read from the database when the reply wants it. */
  chunks: AsyncGenerator<string, void, undefined>;
}

export function exportService({ db }: DatabaseHandle) {
  const repo = exportRepository(db);
  const accounts = accountsRepository(db);
  const progress = progressRepository(db);
  const badges = badgesRepository(db);
  const tags = tagsRepository(db);

  async function userOrThrow(userId: number) {
    const user = await accounts.findUserById(userId);
    if (!user) throw errors.unauthorized();
    return user;
  }

  /** Every row `read` gives, a page at a time: each page starts after the key of the previous page's last row. */
  async function* keysetPages<T, K>(read: (after: K | null, limit: number) => Promise<T[]>, keyOf: (last: T) => K): AsyncGenerator<T[], void, undefined> {
    let after: K | null = null;
    for (;;) {
      const page = await read(after, EXPORT_PAGE_SIZE);
      if (page.length > 0) yield page;
      const last = page.at(-1);
      if (page.length < EXPORT_PAGE_SIZE || last === undefined) return;
      after = keyOf(last);
    }
  }

  const sessionPages = (userId: number) =>
    keysetPages<SessionRecord, SessionKey>((after, limit) => repo.sessionsPage(userId, after, limit), (last) => ({ startedAt: last.started_at, id: last.id }));

  /** The stored days through the progress module's own read (and so its row mapping), a year at a time. */
  async function* dayPages(userId: number): AsyncGenerator<DayProgress[], void, undefined> {
    const span = await repo.storedDays(userId);
    if (!span) return;
    // counted up front, so a stored day that is not a date fails here instead of looping
    const pages = Math.floor(daysBetween(span.first, span.last) / DAY_PAGE_DAYS) + 1;
    for (let i = 0; i < pages; i++) {
      const from = addDays(span.first, i * DAY_PAGE_DAYS);
      const page = await progress.days(userId, from, addDays(from, DAY_PAGE_DAYS - 1));
      if (page.length > 0) yield page;
    }
  }

  /** Items of a JSON array, a page per chunk, comma-separated across pages. */
  async function* jsonItems<T>(pages: AsyncGenerator<T[], void, undefined>, toJson: (item: T) => unknown): AsyncGenerator<string, void, undefined> {
    let first = true;
    for await (const page of pages) {
      const text = page.map((item) => JSON.stringify(toJson(item))).join(',');
      yield first ? text : `,${text}`;
      first = false;
    }
  }

  return {
    async json(userId: number, now: Date): Promise<ExportDownload> {
      const user = await userOrThrow(userId);
      const today = localDay(now, user.timezone);
      const [tagRows, totals, catalogue] = await Promise.all([tags.listOwned(userId), progress.totalsOf(userId), badges.catalogueFor(userId)]);
      const head = {
        format: 'focus-export',
        version: 1,
        exported_at: toTimestamp(now),
        user: toUserDto(user),
        tags: tagRows.sort(compareTagNames).map(toTagDto),
      };
      const earned = catalogue.flatMap((badge) => (badge.earnedAt === null ? [] : [{ code: badge.code, name: badge.name, earned_at: badge.earnedAt }]));
      const tail = { streak: toStreakDto(streakAsRead(totals, today)), badges: earned };

      async function* chunks(): AsyncGenerator<string, void, undefined> {
        // the head object without its closing brace, then the two streamed arrays, then the tail's members
        yield `${JSON.stringify(head).slice(0, -1)},"sessions":[`;
        yield* jsonItems(sessionPages(userId), toSessionDto);
        yield '],"daily_progress":[';
        yield* jsonItems(dayPages(userId), toDayProgressDto);
        yield `],${JSON.stringify(tail).slice(1)}\n`;
      }
      return { fileName: `focus-export-${today}.json`, chunks: chunks() };
    },

    async csv(userId: number, now: Date): Promise<ExportDownload> {
      const user = await userOrThrow(userId);
      async function* chunks(): AsyncGenerator<string, void, undefined> {
        yield csvRow(SESSIONS_CSV_HEADER);
        for await (const page of sessionPages(userId)) {
          yield page
            .map((s) => csvRow([s.id, s.status, s.started_at, s.ended_at, s.duration_seconds, s.elapsed_seconds, s.tag_name, s.note]))
            .join('');
        }
      }
      return { fileName: `focus-sessions-${localDay(now, user.timezone)}.csv`, chunks: chunks() };
    },
  };
}

export type ExportService = ReturnType<typeof exportService>;
