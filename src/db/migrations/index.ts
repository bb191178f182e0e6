// Every migration, in order. Listed by hand so the same list runs from src (tsx) and dist (node).
import type { Migration } from 'kysely';
import * as m0001 from './0001_accounts.js';
import * as m0002 from './0002_sessions.js';
import * as m0003 from './0003_progress_badges.js';
import * as m0004 from './0004_reliability.js';
import * as m0005 from './0005_sqlite_without_rowid.js';
import * as m0006 from './0006_badge_criteria_index.js';
import * as m0007 from './0007_tags.js';
import * as m0008 from './0008_settings_goals.js';
import * as m0009 from './0009_session_time.js';
import * as m0010 from './0010_password_resets.js';
import * as m0011 from './0011_streak_freezes.js';
import * as m0012 from './0012_summary_index.js';

export const migrations: Record<string, Migration> = {
  '0001_accounts': m0001,
  '0002_sessions': m0002,
  '0003_progress_badges': m0003,
  '0004_reliability': m0004,
  '0005_sqlite_without_rowid': m0005,
  '0006_badge_criteria_index': m0006,
  '0007_tags': m0007,
  '0008_settings_goals': m0008,
  '0009_session_time': m0009,
  '0010_password_resets': m0010,
  '0011_streak_freezes': m0011,
  '0012_summary_index': m0012,
};
