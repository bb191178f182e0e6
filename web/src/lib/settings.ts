// The account's settings (contract sections 2, 12 and 16): name, time zone, goal, default duration and
// week start through PATCH /users/me, the password change, and deleting the account. Each call answers
// the data or the server's message; a network failure throws (Offline/SignedOut) as authed() does.
import { api, errorMessage } from '../api/client.js';
import type { User } from '../api/types.js';
import { authed, forgetTokens } from './auth.js';
import { newKey } from './ids.js';
import type { Result } from './tags.js';

export type UserPatch = {
  display_name?: string | null;
  timezone?: string;
  settings?: Partial<User['settings']>;
};

/** The bounds of contract section 12, in the minutes the screen shows. */
export const GOAL_MAX_MINUTES = 24 * 60;
export const DURATION_MIN_MINUTES = 1;
export const DURATION_MAX_MINUTES = 24 * 60;

/** The editable part of a user, as the form's fields hold it (whole minutes as typed). */
export interface SettingsForm {
  displayName: string;
  timezone: string;
  goalMinutes: string;
  durationMinutes: string;
  weekStartsOn: User['settings']['week_starts_on'];
}

export function formFromUser(user: User): SettingsForm {
  return {
    displayName: user.display_name ?? '',
    timezone: user.timezone,
    goalMinutes: String(Math.round(user.settings.daily_goal_seconds / 60)),
    durationMinutes: String(Math.round(user.settings.default_duration_seconds / 60)),
    weekStartsOn: user.settings.week_starts_on,
  };
}

/**
 * Only what changed from `before`, as PATCH /users/me takes it (minutes as seconds); null when nothing
 * did. The fields are checked by the form (whole minutes in bounds) and the server checks them again.
 */
export function patchFrom(before: SettingsForm, after: SettingsForm): UserPatch | null {
  const patch: UserPatch = {};
  const settings: NonNullable<UserPatch['settings']> = {};
  const name = after.displayName.trim();
  if (name !== before.displayName.trim()) patch.display_name = name === '' ? null : name;
  if (after.timezone.trim() !== before.timezone) patch.timezone = after.timezone.trim();
  const goal = Number(after.goalMinutes);
  const duration = Number(after.durationMinutes);
  if (goal !== Number(before.goalMinutes)) settings.daily_goal_seconds = Math.round(goal * 60);
  if (duration !== Number(before.durationMinutes)) settings.default_duration_seconds = Math.round(duration * 60);
  if (after.weekStartsOn !== before.weekStartsOn) settings.week_starts_on = after.weekStartsOn;
  if (Object.keys(settings).length > 0) patch.settings = settings;
  return Object.keys(patch).length > 0 ? patch : null;
}

/** The browser's IANA zones, plus UTC (some browsers leave it out), sorted. */
export function timeZones(): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // An old browser: the text field still takes any name, and the server validates it.
  }
  return zones.includes('UTC') ? zones : [...zones, 'UTC'].sort();
}

function outcome<T>(answer: { data?: { data: T }; error?: unknown }): Result<T> {
  return answer.data ? { ok: true, data: answer.data.data } : { ok: false, message: errorMessage(answer.error) };
}

export async function updateMe(patch: UserPatch): Promise<Result<User>> {
  return outcome(await authed(() => api.PATCH('/api/v1/users/me', { body: patch })));
}

/** Other logins of the user are signed out; this one keeps working. A wrong current password is 422. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<Result<null>> {
  const answer = await authed(() => api.POST('/api/v1/users/me/password', { body: { current_password: currentPassword, new_password: newPassword } }));
  return answer.response.ok ? { ok: true, data: null } : { ok: false, message: errorMessage(answer.error) };
}

/** The user and all of their data are gone; this browser is signed out. */
export async function deleteAccount(): Promise<Result<null>> {
  const key = newKey();
  const answer = await authed(() => api.DELETE('/api/v1/users/me', { headers: { 'Idempotency-Key': key } }));
  if (!answer.response.ok) return { ok: false, message: errorMessage(answer.error) };
  forgetTokens();
  return { ok: true, data: null };
}

/** Typed confirmation for deleting the account: the account's email (any case) or DELETE. */
export function confirmsDeletion(typed: string, email: string): boolean {
  const value = typed.trim();
  return value === 'DELETE' || (value !== '' && value.toLowerCase() === email.trim().toLowerCase());
}
