// npm start builds only when it must (scripts/build.mjs --if-stale): when an output is missing or a
// file the build reads changed since the stamp, never for a touch or for a test file.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourceHash, staleReason, writeStamp } from '../scripts/build.mjs';

let root: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A checkout in miniature, built: sources, the two outputs and the stamp. */
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'focus-build-'));
  write('package.json', '{"name": "focus"}');
  write('package-lock.json', '{"lockfileVersion": 3}');
  write('src/server.ts', 'export {};\n');
  write('src/server.test.ts', 'it();\n');
  write('web/src/main.tsx', 'export {};\n');
  write('dist/src/focus.mjs', '// bundle\n');
  write('web/dist/index.html', '<!doctype html>\n');
  writeStamp(sourceHash(root), root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the build stamp', () => {
  it('says nothing is stale right after a build, and after a touch', () => {
    expect(staleReason(root)).toBeNull();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src/server.ts'), later, later);
    expect(staleReason(root)).toBeNull();
  });

  it.each(['src/server.ts', 'web/src/main.tsx', 'package-lock.json', 'package.json'])('asks for a build when %s changes', (path) => {
    appendFileSync(join(root, path), ' ');
    expect(staleReason(root)).toBe('the sources changed since the last build');
  });

  it('asks for a build when a source is added or removed', () => {
    write('src/new-module.ts', 'export {};\n');
    expect(staleReason(root)).toBe('the sources changed since the last build');
    rmSync(join(root, 'src/new-module.ts'));
    expect(staleReason(root)).toBeNull();
    rmSync(join(root, 'web/src/main.tsx'));
    expect(staleReason(root)).toBe('the sources changed since the last build');
  });

  it('ignores tests and the outputs themselves', () => {
    appendFileSync(join(root, 'src/server.test.ts'), 'it();\n');
    write('src/other.test.ts', 'it();\n');
    write('web/dist/assets/index.js', 'console.log(1);\n');
    expect(staleReason(root)).toBeNull();
  });

  it.each(['dist/src/focus.mjs', 'web/dist/index.html'])('asks for a build when %s is missing', (output) => {
    rmSync(join(root, output));
    expect(staleReason(root)).toBe(`${output} is missing`);
  });

  it('asks for a build without a stamp (a dist/ built before stamps existed)', () => {
    rmSync(join(root, 'dist/build-stamp.json'));
    expect(staleReason(root)).toBe('no build stamp');
  });
});
