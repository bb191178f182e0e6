// The v1.1 control-character patterns of the text fields, with the words a client is shown when a
// value breaks one (Ajv's own message would quote the pattern). No imports: text-fields.ts builds the
// schemas from them and errors.ts words the refusals.

// Written as regex escapes (not raw characters) so the OpenAPI document shows them readably; the
// same in Ajv's unicode mode and in a client's plain RegExp.
/** No C0 control character and no DEL. */
export const SINGLE_LINE_PATTERN = '^[^\\u0000-\\u001F\\u007F]*$';
/** As SINGLE_LINE_PATTERN, but tab, line feed and carriage return are allowed. */
export const MULTI_LINE_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';

/** The message of a value that breaks one of the patterns above, or undefined for any other pattern. */
export function controlCharacterMessage(pattern: unknown): string | undefined {
  if (pattern === SINGLE_LINE_PATTERN) return 'must not contain control characters';
  if (pattern === MULTI_LINE_PATTERN) return 'must not contain control characters other than tab, line feed and carriage return';
  return undefined;
}
