// The v1.1 rule for free text (email, display_name, tag name, note), once for every module.
//
// The schema refuses control characters, so the refusal is the standard 400 validation_error, is
// checked on the raw value (before any trimming) and is listed in the OpenAPI document; it also keeps
// a NUL away from PostgreSQL, whose text type cannot hold one. Lengths are checked after the schema,
// by textOrThrow: they count code points of the NFC form (trimmed first where the field is trimmed),
// which no JSON Schema keyword can express (Ajv's maxLength counts the raw code points).
import { Type } from '@sinclair/typebox';
import { errors } from './errors.js';
import { MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN } from './text-patterns.js';

export interface TextRule {
  /** Most code points of the NFC form (after trimming when `trim`). */
  maxLength: number;
  /** Fewest code points, 1 unless said otherwise (a trimmed blank value then fails it). */
  minLength?: number;
  /** Leading and trailing white space is dropped before counting and storing. */
  trim: boolean;
  /** Tab, line feed and carriage return allowed (a note), else refused like every other control character. */
  multiline?: boolean;
}

function describe(rule: TextRule): string {
  const min = rule.minLength ?? 1;
  const trimmed = rule.trim ? ', after trimming' : '';
  const controls = rule.multiline ? 'no control characters except tab, line feed and carriage return' : 'no control characters';
  return `${min} to ${rule.maxLength} characters (Unicode code points in NFC${trimmed}); ${controls}`;
}

/** A text field's schema: control characters refused here; the length is enforced by textOrThrow. */
export function TextField(rule: TextRule, options: { description?: string; examples?: string[] } = {}) {
  const description = options.description ? `${options.description}; ${describe(rule)}` : describe(rule);
  return Type.String({
    // Raw minLength 1 never refuses a valid value; raw maxLength would (padding, decomposed accents).
    minLength: rule.minLength === 0 ? 0 : 1,
    pattern: rule.multiline ? MULTI_LINE_PATTERN : SINGLE_LINE_PATTERN,
    description,
    ...(options.examples ? { examples: options.examples } : {}),
  });
}

/** A session's note: up to 500 characters, line breaks and tabs allowed, not trimmed. */
export const NOTE_RULE: TextRule = { maxLength: 500, minLength: 0, trim: false, multiline: true };

export function NoteField(options: { description?: string } = {}) {
  return TextField(NOTE_RULE, options);
}

/** Unicode code points, not UTF-16 units: "😀" is one. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

// In unicode mode a surrogate pair is one code point, so only an unpaired half matches.
const LONE_SURROGATE = /\p{Cs}/u;

/** The NFC form, trimmed when the rule says so, or why it breaks the rule. Pure. */
export function normalizeText(raw: string, rule: TextRule): { value: string } | { problem: string } {
  // A lone surrogate cannot be stored as UTF-8: both drivers would silently turn it into U+FFFD.
  if (LONE_SURROGATE.test(raw)) return { problem: 'must be well-formed Unicode (no lone surrogates)' };
  const normalized = raw.normalize('NFC');
  const value = rule.trim ? normalized.trim() : normalized;
  const length = codePointLength(value);
  const min = rule.minLength ?? 1;
  if (length < min) return { problem: rule.trim && min === 1 ? 'must not be blank' : `must have at least ${min} characters` };
  if (length > rule.maxLength) return { problem: `must have at most ${rule.maxLength} characters` };
  return { value };
}

/** normalizeText, or a 400 validation_error naming `field`. */
export function textOrThrow(field: string, raw: string, rule: TextRule): string {
  const result = normalizeText(raw, rule);
  if ('problem' in result) throw errors.validation([{ field, message: result.problem }], `${field} ${result.problem}`);
  return result.value;
}
