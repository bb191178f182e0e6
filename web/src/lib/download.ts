// File downloads behind the bearer token: fetched with the API client, then saved through an object URL
// under the name the server gives in Content-Disposition.
import { api, errorMessage } from '../api/client.js';
import { authed } from './auth.js';

export type Export = 'json' | 'csv';

const EXPORTS = {
  json: { path: '/api/v1/users/me/export', fallback: 'focus-export.json' },
  csv: { path: '/api/v1/sessions/export.csv', fallback: 'focus-sessions.csv' },
} as const;

/**
 * The file name a Content-Disposition header gives (RFC 6266: `filename*` in UTF-8 first, then
 * `filename`, quoted or not), stripped of any path; `fallback` when there is none.
 */
export function dispositionFilename(header: string | null, fallback: string): string {
  if (!header) return fallback;
  let name: string | undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      name = decodeURIComponent(extended[1]);
    } catch {
      name = undefined;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
    name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  }
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base ? base : fallback;
}

/** Hands the blob to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the data by then; the URL only holds memory.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads one of the user's exports: the saved file's name, or the message to show. */
export async function downloadExport(kind: Export): Promise<{ ok: true; filename: string } | { ok: false; message: string }> {
  const { path, fallback } = EXPORTS[kind];
  const { data, error, response } = await authed(() => api.GET(path, { parseAs: 'blob' }));
  if (!response.ok || !(data instanceof Blob)) return { ok: false, message: errorMessage(error, `The export failed (HTTP ${response.status}). Please try again.`) };
  const filename = dispositionFilename(response.headers.get('content-disposition'), fallback);
  saveBlob(data, filename);
  return { ok: true, filename };
}
