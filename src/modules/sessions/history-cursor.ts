// The opaque keyset cursor of GET /sessions: the (started_at, id) of the last row of a page.

export interface HistoryCursor {
  startedAt: string;
  id: number;
}

export function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(`${cursor.startedAt}|${cursor.id}`).toString('base64url');
}

/** The cursor, or null when the string is not one this server made. */
export function decodeCursor(value: string): HistoryCursor | null {
  // Only what encodeCursor writes: Node's decoder would also take '=' padding, '+', '/' and spaces.
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return null;
  const text = Buffer.from(value, 'base64url').toString();
  // A whole-second UTC timestamp, '|', a positive id; both groups are mandatory, so a match holds both.
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)\|([1-9]\d{0,9})$/.exec(text) as [string, string, string] | null;
  if (!match) return null;
  const [, startedAt, id] = match;
  if (Number.isNaN(Date.parse(startedAt)) || Number(id) > 2147483647) return null;
  return { startedAt, id: Number(id) };
}
