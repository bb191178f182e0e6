// Pure rules of the sessions CSV (contract 15): RFC 4180 cells and rows, and the guard against
// spreadsheet formula injection.

/** Line end of every row, the header's included (RFC 4180). */
export const CSV_LINE_END = '\r\n';

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP's list; `-` and `+` start one
 * too, and a leading tab or carriage return can hide the rest of one).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Characters that force a cell into quotes. */
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: null is empty; a formula start gets a leading `'`; then quoted when it holds a comma, quote or line break. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row, line end included. */
export function csvRow(cells: ReadonlyArray<string | number | null>): string {
  return cells.map(csvCell).join(',') + CSV_LINE_END;
}
