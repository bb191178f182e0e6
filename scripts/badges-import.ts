// npm run badges:import <file.json>: add or change badge definitions in DATABASE_URL without a release.
// The file is an array of {code, name, description, criteria: {type, threshold}, sort_order?};
// definitions are upserted by code in one transaction, and a bad file changes nothing.
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { BadgeImportError, importBadgeDefinitions, parseBadgeFile } from '../src/modules/badges/badge-import.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: npm run badges:import <file.json>\n');
  process.exit(2);
}

try {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const definitions = parseBadgeFile(text);
  const config = loadConfig();
  const database = connect(config.databaseUrl, { synchronous: config.sqliteSynchronous });
  try {
    const { added, updated } = await importBadgeDefinitions(database.db, definitions, new Date());
    process.stdout.write(`badges:import: ${added} added, ${updated} updated from ${file}\n`);
  } finally {
    await database.close();
  }
} catch (error) {
  const where = error instanceof BadgeImportError ? `${file} ` : '';
  process.stderr.write(`badges:import: ${where}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
