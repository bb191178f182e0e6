// Table types, declared once. Timestamps are RFC 3339 UTC text ("2026-02-18T08:00:00Z") on both
// dialects, so one migration and one query serve SQLite and PostgreSQL and text order is time order.
import type { Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';

export type SessionStatus = 'active' | 'paused' | 'completed' | 'abandoned';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  display_name: string | null;
  timezone: string;
  created_at: string;
  updated_at: string;
  /** 0 = no goal */
  daily_goal_seconds: Generated<number>;
  default_duration_seconds: Generated<number>;
  week_starts_on: Generated<WeekStart>;
}

export type WeekStart = 'monday' | 'sunday';

/** One sign-in (a token family): refresh rotation and reuse detection revoke it as a whole. */
export interface LoginsTable {
  id: Generated<number>;
  user_id: number;
  created_at: string;
  revoked_at: string | null;
}

export interface AccessTokensTable {
  token_hash: string;
  login_id: number;
  user_id: number;
  expires_at: string;
}

export interface RefreshTokensTable {
  token_hash: string;
  login_id: number;
  user_id: number;
  expires_at: string;
  rotated_at: string | null;
}

/** A password-reset token (contract 16), by its SHA-256 hash; `used_at` null = still outstanding. */
export interface PasswordResetsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface FocusSessionsTable {
  id: Generated<number>;
  user_id: number;
  duration_seconds: number;
  elapsed_seconds: number;
  status: SessionStatus;
  started_at: string;
  ended_at: string | null;
  updated_at: string;
  /** Set null when the tag is deleted: the session and its time stay. */
  tag_id: number | null;
  note: string | null;
  /** When the current active run began (contract 10); null unless active. */
  resumed_at: string | null;
  /**
   * The start, last pause, last resume or the end: an action's `at` may not go before it. Every
   * write of the application sets it; null only on rows inserted around it (seeds).
   */
  last_transition_at: string | null;
  /** The server's own count of active time of the runs already closed by a pause or the end (rule 3). */
  active_seconds: Generated<number>;
  /** The local day of the end in the user's zone when the end was processed ("YYYY-MM-DD"); null while running. */
  ended_day: string | null;
}

/** A user's label for sessions; `name_key` (lower-cased trimmed NFC name) is unique per user. */
export interface TagsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  name_key: string;
  color: string;
  /** 0 or 1 */
  archived: number;
  created_at: string;
}

/** The first response for (scope, key); `response_status` null = the first request is in flight. */
export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  user_id: number;
  fingerprint: string;
  response_status: number | null;
  response_type: string | null;
  response_body: string | null;
  created_at: string;
  expires_at: string;
}

/** One row per (user, local day) with a completed session; the day is fixed when the session ends. */
export interface DailyProgressTable {
  user_id: number;
  day: string;
  focus_seconds: number;
  sessions_completed: number;
  /** The user's daily goal when the day's last completion was processed (0 = none). */
  goal_seconds: Generated<number>;
  /** 1 = a streak freeze covered this day (contract 13); kept when a late end adds a completion to it. */
  frozen: Generated<number>;
}

/** Running totals per user, maintained as sessions end, so reads and badge checks never scan history. */
export interface UserTotalsTable {
  user_id: number;
  sessions_completed: number;
  sessions_abandoned: number;
  focus_seconds: number;
  current_streak: number;
  longest_streak: number;
  last_active_day: string | null;
  longest_session_seconds: number;
  best_day_sessions: number;
  best_day_focus_seconds: number;
  /** Streak freezes held, 0..2 (contract 13). */
  freezes_available: Generated<number>;
  updated_at: string;
}

export interface BadgeDefinitionsTable {
  code: string;
  name: string;
  description: string;
  criteria_type: string;
  threshold: number;
  sort_order: number;
  created_at: string;
  updated_at: string;
}

export interface UserBadgesTable {
  user_id: number;
  badge_code: string;
  earned_at: string;
}

export interface Database {
  idempotency_keys: IdempotencyKeysTable;
  users: UsersTable;
  logins: LoginsTable;
  access_tokens: AccessTokensTable;
  refresh_tokens: RefreshTokensTable;
  password_resets: PasswordResetsTable;
  focus_sessions: FocusSessionsTable;
  tags: TagsTable;
  daily_progress: DailyProgressTable;
  user_totals: UserTotalsTable;
  badge_definitions: BadgeDefinitionsTable;
  user_badges: UserBadgesTable;
}

export type Db = Kysely<Database>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type FocusSessionRow = Selectable<FocusSessionsTable>;
export type TagRow = Selectable<TagsTable>;
