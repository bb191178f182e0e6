// npm run lint:openapi: the document GET /api/v1/openapi.json serves, linted by tools no one here wrote
// (Spectral with spectral:oas, Redocly with recommended), so an audit's findings cannot come back.
// The app is built in memory and asked through inject: what is linted is what a client is served.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';

const root = fileURLToPath(new URL('..', import.meta.url));

async function servedDocument(): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:' });
  const database = connect(config.databaseUrl);
  const app = await buildApp(config, database, { webRoot: null });
  try {
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`GET /api/v1/openapi.json answered ${res.statusCode}`);
    return JSON.stringify(res.json(), null, 2);
  } finally {
    await app.close();
    await database.close();
  }
}

function run(command: string, args: string[]): number {
  process.stdout.write(`\n$ ${command} ${args.join(' ')}\n`);
  const result = spawnSync(join(root, 'node_modules/.bin', command), args, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

const dir = mkdtempSync(join(tmpdir(), 'focus-openapi-'));
try {
  const file = join(dir, 'openapi.json');
  writeFileSync(file, await servedDocument());
  const spectral = run('spectral', ['lint', file, '--ruleset', join(root, '.spectral.yaml'), '--fail-severity', 'error']);
  const redocly = run('redocly', ['lint', file, '--config', join(root, 'redocly.yaml')]);
  process.exitCode = spectral || redocly ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
