// The operator's way to add or change badge definitions without a release: a validated JSON file,
// upserted by code in one transaction (scripts/badges-import.ts is the command line around it).
import { Value } from '@sinclair/typebox/value';
import type { Db } from '../../db/database.js';
import { toTimestamp } from '../../time/clock.js';
import { thresholdProblem } from './badge-rules.js';
import { BadgeImportFile, type BadgeImportInput } from './badges.schemas.js';
import { badgesRepository } from './badges.repository.js';

export class BadgeImportError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'BadgeImportError';
  }
}

/** The definitions in `value`, or a BadgeImportError naming the first bad entry by its JSON path. */
export function parseBadgeDefinitions(value: unknown): BadgeImportInput {
  const first = Value.Errors(BadgeImportFile, value).First();
  if (first) throw new BadgeImportError(first.path || '/', first.message.toLowerCase());
  const input = value as BadgeImportInput;
  const seen = new Set<string>();
  input.forEach((definition, i) => {
    if (seen.has(definition.code)) throw new BadgeImportError(`/${i}/code`, `"${definition.code}" appears more than once in the file`);
    seen.add(definition.code);
    const problem = thresholdProblem(definition.criteria);
    if (problem) throw new BadgeImportError(`/${i}/criteria/threshold`, `${problem} for ${definition.criteria.type}`);
  });
  return input;
}

/** Parses a file's text: JSON syntax errors are reported the same way. */
export function parseBadgeFile(text: string): BadgeImportInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadgeImportError('', `not valid JSON (${(error as Error).message})`);
  }
  return parseBadgeDefinitions(value);
}

/** Validates and upserts the definitions in one transaction; nothing is written when any entry is bad. */
export async function importBadgeDefinitions(db: Db, value: unknown, now: Date): Promise<{ added: number; updated: number }> {
  const definitions = parseBadgeDefinitions(value);
  return db.transaction().execute((trx) => badgesRepository(trx).upsertDefinitions(definitions, toTimestamp(now)));
}
