// Every query about badge definitions and awarded badges.
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { prepare } from '../../db/prepared.js';
import type { BadgeFacts, Criteria, CriteriaType } from './badge-rules.js';

export interface BadgeDefinition {
  code: string;
  name: string;
  description: string;
  criteria: Criteria;
  sortOrder: number;
}

export interface NewBadgeDefinition {
  code: string;
  name: string;
  description: string;
  criteria: Criteria;
  sort_order?: number | undefined;
}

const DEFINITION_COLUMNS = ['d.code', 'd.name', 'd.description', 'd.criteria_type', 'd.threshold', 'd.sort_order'] as const;

function toDefinition(row: { code: string; name: string; description: string; criteria_type: string; threshold: number; sort_order: number }): BadgeDefinition {
  return {
    code: row.code,
    name: row.name,
    description: row.description,
    criteria: { type: row.criteria_type as CriteriaType, threshold: row.threshold },
    sortOrder: row.sort_order,
  };
}

// Run on every completion: built and compiled once (src/db/prepared.ts).
// The unearned definitions these figures may meet: the database skips the rest so a completion's
// cost does not grow with the catalogue; the rule (badge-rules.ts) still decides, so this filter only
// has to let every met one through. An hour of -1 (no local hour) lets every ended_before_hour one through.
const unearnedMeetableQuery = prepare(
  (db, p: Omit<BadgeFacts, 'endedLocalHour'> & { userId: number; hour: number }) =>
    db
      .selectFrom('badge_definitions as d')
      .leftJoin('user_badges as ub', (join) => join.onRef('ub.badge_code', '=', 'd.code').on('ub.user_id', '=', p.userId))
      .select(['d.code', 'd.criteria_type', 'd.threshold'])
      .where('ub.badge_code', 'is', null)
      .where((eb) =>
        eb.or([
          eb.and([eb('d.criteria_type', '=', 'total_sessions'), eb('d.threshold', '<=', p.totalSessions)]),
          eb.and([eb('d.criteria_type', '=', 'total_focus_seconds'), eb('d.threshold', '<=', p.totalFocusSeconds)]),
          eb.and([eb('d.criteria_type', '=', 'streak_days'), eb('d.threshold', '<=', p.longestStreak)]),
          eb.and([eb('d.criteria_type', '=', 'session_focus_seconds'), eb('d.threshold', '<=', p.longestSessionSeconds)]),
          eb.and([eb('d.criteria_type', '=', 'daily_sessions'), eb('d.threshold', '<=', p.bestDaySessions)]),
          eb.and([eb('d.criteria_type', '=', 'daily_focus_seconds'), eb('d.threshold', '<=', p.bestDayFocusSeconds)]),
          eb.and([eb('d.criteria_type', '=', 'ended_before_hour'), eb('d.threshold', '>', p.hour)]),
          eb.and([eb('d.criteria_type', '=', 'ended_at_or_after_hour'), eb('d.threshold', '<=', p.hour)]),
        ]),
      ),
);

export function badgesRepository(db: Db) {
  return {
    /** Every definition with the user's earned_at (null when not earned), in display order. */
    async catalogueFor(userId: number): Promise<Array<BadgeDefinition & { earnedAt: string | null }>> {
      const rows = await db
        .selectFrom('badge_definitions as d')
        .leftJoin('user_badges as ub', (join) => join.onRef('ub.badge_code', '=', 'd.code').on('ub.user_id', '=', userId))
        .select([...DEFINITION_COLUMNS, 'ub.earned_at'])
        .orderBy('d.sort_order')
        .orderBy('d.code')
        .execute();
      return rows.map((row) => ({ ...toDefinition(row), earnedAt: row.earned_at ?? null }));
    },

    /**
     * The criteria of the definitions this user has not earned yet and these facts may meet, and
     * nothing else: run on every completion, so it stays narrow and unordered, and the database
     * leaves out what cannot be met. definitionsFor() fetches the few that the rule finds met.
     */
    async unearnedMeetable(userId: number, facts: BadgeFacts): Promise<Array<{ code: string; criteria: Criteria }>> {
      const { endedLocalHour, ...figures } = facts;
      const rows = await unearnedMeetableQuery.rows(db, { ...figures, userId, hour: endedLocalHour ?? -1 });
      return rows.map((row) => ({ code: row.code, criteria: { type: row.criteria_type as CriteriaType, threshold: row.threshold } }));
    },

    /** The given definitions, whole, in display order. */
    async definitionsFor(codes: readonly string[]): Promise<BadgeDefinition[]> {
      if (codes.length === 0) return [];
      const rows = await db
        .selectFrom('badge_definitions as d')
        .select(DEFINITION_COLUMNS)
        .where('d.code', 'in', codes)
        .orderBy('d.sort_order')
        .orderBy('d.code')
        .execute();
      return rows.map(toDefinition);
    },

    /** Awards the badges; returns the codes actually inserted (an already-awarded one is skipped by the database). */
    async award(userId: number, codes: readonly string[], earnedAt: string): Promise<Set<string>> {
      if (codes.length === 0) return new Set();
      const rows = await db
        .insertInto('user_badges')
        .values(codes.map((code) => ({ user_id: userId, badge_code: code, earned_at: earnedAt })))
        .onConflict((oc) => oc.columns(['user_id', 'badge_code']).doNothing())
        .returning('badge_code')
        .execute();
      return new Set(rows.map((row) => row.badge_code));
    },

    /** The user's most recently earned badges, newest first. */
    async recentFor(userId: number, limit: number): Promise<Array<BadgeDefinition & { earnedAt: string }>> {
      const rows = await db
        .selectFrom('user_badges as ub')
        .innerJoin('badge_definitions as d', 'd.code', 'ub.badge_code')
        .select([...DEFINITION_COLUMNS, 'ub.earned_at'])
        .where('ub.user_id', '=', userId)
        .orderBy('ub.earned_at', 'desc')
        .orderBy('d.sort_order', 'desc')
        .limit(sql.lit(limit)) // written into the SQL: SQLite prepares a statement with a bound LIMIT anew at every run
        .execute();
      return rows.map((row) => ({ ...toDefinition(row), earnedAt: row.earned_at }));
    },

    /** Inserts or updates definitions by code; returns how many were new. */
    async upsertDefinitions(definitions: readonly NewBadgeDefinition[], now: string): Promise<{ added: number; updated: number }> {
      let added = 0;
      let updated = 0;
      const existing = new Map(
        (await db.selectFrom('badge_definitions').select(['code', 'sort_order']).execute()).map((row) => [row.code, row.sort_order]),
      );
      let nextOrder = Math.max(0, ...existing.values()) + 10;
      for (const definition of definitions) {
        const before = existing.get(definition.code);
        const sortOrder = definition.sort_order ?? before ?? nextOrder;
        if (definition.sort_order === undefined && before === undefined) nextOrder += 10;
        const values = {
          name: definition.name,
          description: definition.description,
          criteria_type: definition.criteria.type,
          threshold: definition.criteria.threshold,
          sort_order: sortOrder,
          updated_at: now,
        };
        if (before === undefined) {
          await db.insertInto('badge_definitions').values({ code: definition.code, ...values, created_at: now }).execute();
          added += 1;
        } else {
          await db.updateTable('badge_definitions').set(values).where('code', '=', definition.code).execute();
          updated += 1;
        }
      }
      return { added, updated };
    },
  };
}

export type BadgesRepository = ReturnType<typeof badgesRepository>;
