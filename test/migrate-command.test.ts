// `npm run migrate` on both dialects: applies every migration once, then finds nothing to do.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.js';
import { migrations } from '../src/db/migrations/index.js';
import { postgresEnabled } from './databases.js';

const ROOT = new URL('..', import.meta.url).pathname;

function runMigrate(databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'migrate'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const ALL_MIGRATIONS = Object.keys(migrations);

describe('npm run migrate', () => {
  it('applies every migration to a new SQLite file, then finds it up to date', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'focus-migrate-'));
    try {
      const url = `sqlite:${join(dir, 'nested', 'focus.db')}`;
      const first = await runMigrate(url);
      expect(first, first.stderr).toMatchObject({ code: 0, stdout: `applied: ${ALL_MIGRATIONS.join(', ')}\n` });
      const second = await runMigrate(url);
      expect(second).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
      const handle = connect(url);
      try {
        expect(await handle.db.selectFrom('focus_sessions').select('id').execute()).toEqual([]);
      } finally {
        await handle.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with one line for an invalid DATABASE_URL', { timeout: 90_000 }, async () => {
    const res = await runMigrate('ftp://example.com/focus');
    expect(res.code).toBe(1);
    expect(res.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('DATABASE_URL')]);
  });

  it.skipIf(!postgresEnabled)('applies every migration to a new PostgreSQL database, then finds it up to date', { timeout: 90_000 }, async () => {
    const admin = new URL(process.env.TEST_DATABASE_URL!);
    const name = `focus_migrate_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`create database ${name}`);
    try {
      const url = new URL(admin.toString());
      url.pathname = `/${name}`;
      const first = await runMigrate(url.toString());
      expect(first, first.stderr).toMatchObject({ code: 0, stdout: `applied: ${ALL_MIGRATIONS.join(', ')}\n` });
      const second = await runMigrate(url.toString());
      expect(second).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
      const handle = connect(url.toString());
      try {
        expect(await handle.db.selectFrom('focus_sessions').select('id').execute()).toEqual([]);
      } finally {
        await handle.close();
      }
    } finally {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    }
  });
});
