// Tags (contract section 11): the caller's list, create, rename/recolor/archive, delete, and relabeling a
// session. Each call answers the data or a message to show; a network failure throws (Offline/SignedOut).
import { api, errorMessage } from '../api/client.js';
import type { FocusSession, Tag } from '../api/types.js';
import { authed } from './auth.js';

export type Result<T> = { ok: true; data: T } | { ok: false; message: string };

function result<T>(answer: { data?: { data: T }; error?: unknown }): Result<T> {
  return answer.data ? { ok: true, data: answer.data.data } : { ok: false, message: errorMessage(answer.error) };
}

/** Every tag of the caller, archived ones included, by name regardless of case. */
export async function listTags(): Promise<Result<Tag[]>> {
  return result(await authed(() => api.GET('/api/v1/tags')));
}

export async function createTag(name: string, color?: string): Promise<Result<Tag>> {
  return result(await authed(() => api.POST('/api/v1/tags', { body: color ? { name, color } : { name } })));
}

export async function updateTag(id: number, patch: { name?: string; color?: string; archived?: boolean }): Promise<Result<Tag>> {
  return result(await authed(() => api.PATCH('/api/v1/tags/{id}', { params: { path: { id } }, body: patch })));
}

/** Sessions that carried the tag become untagged; their time stays in every total. */
export async function deleteTag(id: number): Promise<Result<null>> {
  const answer = await authed(() => api.DELETE('/api/v1/tags/{id}', { params: { path: { id } } }));
  return answer.data ? { ok: true, data: null } : { ok: false, message: errorMessage(answer.error) };
}

/** Gives any session (ended ones too) another tag or note; no time, progress or badge changes. */
export async function relabelSession(id: number, patch: { tag_id?: number | null; note?: string | null }): Promise<Result<FocusSession>> {
  return result(await authed(() => api.PATCH('/api/v1/sessions/{id}', { params: { path: { id } }, body: patch })));
}
