// The opaque keyset cursor of GET /sessions: the (started_at, id) of the last row of a page.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export interface HistoryCursor {
  startedAt: string;
  id: number;
}

export function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(`${cursor.startedAt}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when the string is not one this server made. */
export function decodeCursor(value: string): HistoryCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return null;
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const [startedAt, id, ...rest] = text.split('|');
  if (rest.length > 0 || startedAt === undefined || id === undefined) return null;
  if (!TIMESTAMP.test(startedAt) || Number.isNaN(Date.parse(startedAt))) return null;
  if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2147483647) return null;
  return { startedAt, id: Number(id) };
}
