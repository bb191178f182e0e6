// Costs flat in history size: seed big histories and many badge definitions in bulk, then time requests
// one at a time (interleaved, so drift and noise hit both sides of each ratio alike) and print ratios.
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/db/connect.js';
import { encodeCursor } from '../src/modules/sessions/history-cursor.js';
import { type BenchUser, expectStatus, median, registerUsers, timestamp } from './client.js';

export interface ScaleOptions {
  /** Sessions in the big history (the issue says 100,000). */
  bigHistory: number;
  smallHistory: number;
  /** Badge definitions in the "many" case (the issue says 1,000). */
  manyBadges: number;
  /** Timed samples per side of each ratio (after `samples / 5` discarded warm-up samples). */
  samples: number;
  historyPage: number;
  pageSize: number;
}

export interface ScaleRatio {
  name: string;
  baseLabel: string;
  baseMs: number;
  caseLabel: string;
  caseMs: number;
  ratio: number;
  limit: number;
  note?: string;
}

const HOUR = 3600 * 1000;
/** Seeded history ends here; the timed requests happen after it. */
export const SEED_END_MS = Date.parse('2026-01-01T00:00:00Z');

/** `count` finished sessions for a user, one an hour back from SEED_END_MS, inserted in bulk. */
export async function seedSessions(handle: DatabaseHandle, userId: number, count: number): Promise<void> {
  const batch = 1000;
  await handle.db.transaction().execute(async (trx) => {
    for (let offset = 0; offset < count; offset += batch) {
      const rows = [];
      for (let i = offset; i < Math.min(count, offset + batch); i++) {
        const started = SEED_END_MS - (i + 1) * HOUR;
        const completed = i % 5 !== 0;
        rows.push({
          user_id: userId,
          duration_seconds: 1500,
          elapsed_seconds: completed ? 1500 : 600,
          status: completed ? ('completed' as const) : ('abandoned' as const),
          started_at: timestamp(started),
          ended_at: timestamp(started + 1800 * 1000),
          // the users are in UTC, so the local day of the end is its UTC date
          ended_day: timestamp(started + 1800 * 1000).slice(0, 10),
          updated_at: timestamp(started + 1800 * 1000),
        });
      }
      await trx.insertInto('focus_sessions').values(rows).execute();
    }
    // The derived rows such a history leaves behind: one daily_progress row per day, the totals row.
    const days = new Map<string, { focus: number; sessions: number }>();
    let completed = 0;
    let abandoned = 0;
    let focus = 0;
    for (let i = 0; i < count; i++) {
      if (i % 5 === 0) {
        abandoned += 1;
        continue;
      }
      const day = timestamp(SEED_END_MS - (i + 1) * HOUR + 1800 * 1000).slice(0, 10);
      const entry = days.get(day) ?? { focus: 0, sessions: 0 };
      entry.focus += 1500;
      entry.sessions += 1;
      days.set(day, entry);
      completed += 1;
      focus += 1500;
    }
    const dayRows = [...days].map(([day, e]) => ({ user_id: userId, day, focus_seconds: e.focus, sessions_completed: e.sessions }));
    for (let i = 0; i < dayRows.length; i += 1000) await trx.insertInto('daily_progress').values(dayRows.slice(i, i + 1000)).execute();
    const best = [...days.values()].reduce((a, e) => ({ focus: Math.max(a.focus, e.focus), sessions: Math.max(a.sessions, e.sessions) }), { focus: 0, sessions: 0 });
    await trx
      .insertInto('user_totals')
      .values({
        user_id: userId,
        sessions_completed: completed,
        sessions_abandoned: abandoned,
        focus_seconds: focus,
        current_streak: days.size,
        longest_streak: days.size,
        last_active_day: timestamp(SEED_END_MS).slice(0, 10),
        longest_session_seconds: 1500,
        best_day_sessions: best.sessions,
        best_day_focus_seconds: best.focus,
        updated_at: timestamp(SEED_END_MS),
      })
      .execute();
  });
  if (handle.dialect === 'postgres') await sql`analyze focus_sessions`.execute(handle.db);
  else await sql`analyze`.execute(handle.db);
}

/**
 * Adds definitions until there are `total`, cloning the numeric-threshold ones already there with
 * thresholds no one reaches: what is measured is evaluating them on every completed end.
 * Returns false when there is no badge definitions table (yet).
 */
export async function seedBadgeDefinitions(handle: DatabaseHandle, total: number): Promise<boolean> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const db = handle.db as any;
  let existing: Record<string, unknown>[];
  try {
    existing = await db.selectFrom('badge_definitions').selectAll().execute();
  } catch {
    return false; // no such table in this build
  }
  const numeric = existing.filter((row) => {
    const type = String(row.criteria_type ?? row.type ?? '');
    return !type.includes('hour');
  });
  if (numeric.length === 0) throw new Error('badge_definitions has no numeric-threshold row to clone');
  const rows: Record<string, unknown>[] = [];
  for (let i = existing.length; i < total; i++) {
    const template = numeric[i % numeric.length] as Record<string, unknown>;
    const row: Record<string, unknown> = { ...template };
    delete row.id;
    row.code = `bench_${i}`;
    if ('name' in row) row.name = `Bench badge ${i}`;
    if ('threshold' in row) row.threshold = 1_000_000_000 + i;
    if ('criteria_threshold' in row) row.criteria_threshold = 1_000_000_000 + i;
    if (typeof row.criteria === 'string') {
      const criteria = JSON.parse(row.criteria) as Record<string, unknown>;
      criteria.threshold = 1_000_000_000 + i;
      row.criteria = JSON.stringify(criteria);
    }
    if ('sort_order' in row) row.sort_order = 1000 + i;
    if ('position' in row) row.position = 1000 + i;
    rows.push(row);
  }
  for (let i = 0; i < rows.length; i += 100) await db.insertInto('badge_definitions').values(rows.slice(i, i + 100)).execute();
  return true;
}

/** One completed session for the user: start (untimed) then end (timed). Returns the end's ms. */
async function timedEnd(baseUrl: string, user: BenchUser): Promise<number> {
  const start = await expectStatus(baseUrl, 201, {
    method: 'POST',
    path: '/api/v1/sessions',
    token: user.token,
    now: timestamp(user.clockMs),
    body: { duration_seconds: 1500 },
  });
  const id = start.json<{ data: { id: number } }>().data.id;
  const end = await expectStatus(baseUrl, 200, {
    method: 'PATCH',
    path: `/api/v1/sessions/${id}/end`,
    token: user.token,
    now: timestamp(user.clockMs + 1500 * 1000),
    body: { elapsed_seconds: 1500, status: 'completed' },
  });
  user.clockMs += HOUR;
  return end.ms;
}

/** A GET as `user` that must answer 200: its ms. */
function timedGet(baseUrl: string, user: BenchUser, path: string): () => Promise<number> {
  return async () => (await expectStatus(baseUrl, 200, { path, token: user.token })).ms;
}

/** Runs the named thunks in turns, discarding a warm-up, and returns each one's median ms. */
async function interleaved(samples: number, sides: Record<string, () => Promise<number>>): Promise<Record<string, number>> {
  const names = Object.keys(sides);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const warmup = Math.max(1, Math.floor(samples / 5));
  for (let i = 0; i < warmup + samples; i++) {
    for (const name of names) {
      const ms = await (sides[name] as () => Promise<number>)();
      if (i >= warmup) (times[name] as number[]).push(ms);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(times[n] as number[])]));
}

export interface ScaleServers {
  /** Default badge catalogue. */
  base: { url: string; handle: DatabaseHandle };
  /** Same code, `manyBadges` definitions; absent when there is no badge definitions table. */
  manyBadges?: { url: string; handle: DatabaseHandle };
}

/** The big history's median over the small one's, for medians measured as `small` and `big`. */
function againstHistory(name: string, options: ScaleOptions, medians: Record<string, number>, limit: number): ScaleRatio {
  const small = medians.small as number;
  const big = medians.big as number;
  return {
    name: `${name}, history ${options.bigHistory.toLocaleString('en')} vs ${options.smallHistory}`,
    baseLabel: `${options.smallHistory} sessions`,
    baseMs: small,
    caseLabel: `${options.bigHistory.toLocaleString('en')} sessions`,
    caseMs: big,
    ratio: big / small,
    limit,
  };
}

export async function measureScale(servers: ScaleServers, options: ScaleOptions): Promise<ScaleRatio[]> {
  const { base } = servers;
  const [small, big] = await registerUsers(base.url, 2, `scale${process.hrtime.bigint() % 100000n}`, SEED_END_MS + HOUR, 2);
  if (!small || !big) throw new Error('registration failed');
  await seedSessions(base.handle, small.id, options.smallHistory);
  await seedSessions(base.handle, big.id, options.bigHistory);

  const results: ScaleRatio[] = [];
  const ends = await interleaved(options.samples, {
    small: () => timedEnd(base.url, small),
    big: () => timedEnd(base.url, big),
  });
  results.push(againstHistory('end (completed)', options, ends, 1.2));

  // A month summary: both users ended the same sessions in January 2026 (the timed ends above, one
  // an hour from SEED_END_MS), and December's day rows are its month before; the big history has
  // all its other sessions further back, which the summary must not read.
  const month = `/api/v1/summary?period=month&date=${timestamp(SEED_END_MS).slice(0, 10)}`;
  const summaries = await interleaved(options.samples, { small: timedGet(base.url, small, month), big: timedGet(base.url, big, month) });
  results.push(againstHistory('month summary', options, summaries, 1.5));

  // Keyset page N: the cursor is the (started_at, id) of the last row of page N - 1.
  const historyPage = Math.min(options.historyPage, Math.floor(options.bigHistory / options.pageSize));
  const offset = (historyPage - 1) * options.pageSize - 1;
  const anchor = await base.handle.db
    .selectFrom('focus_sessions')
    .select(['started_at', 'id'])
    .where('user_id', '=', big.id)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .offset(offset)
    .executeTakeFirstOrThrow();
  const cursor = encodeCursor({ startedAt: anchor.started_at, id: anchor.id });
  const pages = await interleaved(options.samples, {
    first: timedGet(base.url, big, `/api/v1/sessions?limit=${options.pageSize}`),
    deep: timedGet(base.url, big, `/api/v1/sessions?limit=${options.pageSize}&cursor=${cursor}`),
  });
  results.push({
    name: `history page ${historyPage.toLocaleString('en')} vs page 1 (keyset, limit ${options.pageSize})`,
    baseLabel: 'page 1',
    baseMs: pages.first as number,
    caseLabel: `page ${historyPage.toLocaleString('en')}`,
    caseMs: pages.deep as number,
    ratio: (pages.deep as number) / (pages.first as number),
    limit: 1.5,
  });

  if (servers.manyBadges) {
    const many = servers.manyBadges;
    const [onBase] = await registerUsers(base.url, 1, `badge14${process.hrtime.bigint() % 100000n}`, SEED_END_MS + HOUR, 1);
    const [onMany] = await registerUsers(many.url, 1, `badge${options.manyBadges}`, SEED_END_MS + HOUR, 1);
    if (!onBase || !onMany) throw new Error('registration failed');
    await seedSessions(base.handle, onBase.id, options.smallHistory);
    await seedSessions(many.handle, onMany.id, options.smallHistory);
    const badges = await interleaved(options.samples, {
      few: () => timedEnd(base.url, onBase),
      many: () => timedEnd(many.url, onMany),
    });
    results.push({
      name: `end (completed), ${options.manyBadges.toLocaleString('en')} badge definitions vs the default catalogue`,
      baseLabel: 'default catalogue',
      baseMs: badges.few as number,
      caseLabel: `${options.manyBadges.toLocaleString('en')} definitions`,
      caseMs: badges.many as number,
      ratio: (badges.many as number) / (badges.few as number),
      limit: 2,
    });
  } else {
    results.push({
      name: 'end (completed), many badge definitions vs the default catalogue',
      baseLabel: '-',
      baseMs: Number.NaN,
      caseLabel: '-',
      caseMs: Number.NaN,
      ratio: Number.NaN,
      limit: 2,
      note: 'skipped: no badge_definitions table in this build',
    });
  }
  return results;
}
