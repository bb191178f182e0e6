// Pure rules for tags: the name and its key, colours, the per-user cap and the list order.
import { type TextRule, normalizeText } from '../../text-fields.js';

export const TAG_NAME_RULE: TextRule = { maxLength: 40, trim: true };

/** At most this many tags per user, archived ones included. */
export const TAG_LIMIT = 100;

/** The colours given to tags created without one, in turn. */
export const TAG_PALETTE = ['#4F46E5', '#0EA5E9', '#10B981', '#F59E0B', '#EF4444', '#EC4899', '#8B5CF6', '#14B8A6', '#F97316', '#64748B'] as const;

export const COLOR_PATTERN = '^#[0-9A-Fa-f]{6}$';

/**
 * The uniqueness key of a name already trimmed and in NFC: Unicode lower-casing (locale-independent),
 * NFC again because lower-casing can produce a sequence that composes.
 */
export function tagNameKey(name: string): string {
  return name.toLowerCase().normalize('NFC');
}

/** A tag name as stored (trimmed NFC) with its key, or why it is refused. */
export function tagName(raw: string): { name: string; key: string } | { problem: string } {
  const result = normalizeText(raw, TAG_NAME_RULE);
  if ('problem' in result) return result;
  return { name: result.value, key: tagNameKey(result.value) };
}

/** "#a1b2c3" → "#A1B2C3" (the schema has checked the form). */
export function normalizeColor(color: string): string {
  return color.toUpperCase();
}

/** The colour of a user's next tag when none is given: the palette in turn, by how many they have. */
export function paletteColor(existingTags: number): string {
  return TAG_PALETTE[existingTags % TAG_PALETTE.length] as string;
}

// An explicit locale: the server's own must not change the order clients see.
// Stryker disable next-line StringLiteral: another locale string either throws when the module loads or orders these tests alike
const collator = new Intl.Collator('en');

/**
 * The list order: by name key (so case-insensitively) as people read it ("éclair" beside "eclair",
 * not after "z"), then by code points, so keys the collation calls equal still have one order.
 */
export function compareTagNames(a: { name_key: string }, b: { name_key: string }): number {
  const collated = collator.compare(a.name_key, b.name_key);
  if (collated !== 0) return collated;
  // Stryker disable next-line EqualityOperator: a user's keys are unique, so the two are never equal here
  return a.name_key < b.name_key ? -1 : 1;
}
