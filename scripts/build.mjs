// npm run build: every build step, then a stamp of the sources it was built from (dist/build-stamp.json).
//   node scripts/build.mjs             build
//   node scripts/build.mjs --if-stale  build only when an output is missing or the sources differ from
//                                      the stamp (npm start, npm pack): about 20 ms when nothing changed
// Plain JavaScript so that the check costs one node start, not a TypeScript loader's.
//
// The stamp is a hash of the content of every file the build reads (src/, scripts/, web/ but its
// output, the package and TypeScript configurations, package-lock.json for the bundled dependencies),
// test files left out. Content rather than modification times: a fresh clone, a checkout that touches
// files, or `touch` do not rebuild for nothing, and an edit always does. The hash is taken before the
// build starts, so a file edited while it runs leaves the stamp stale and the next start rebuilds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = 'dist/build-stamp.json';

const STEPS = [
  'tsc -p tsconfig.build.json', // dist/src, dist/scripts: the unbundled server (BENCH_FOCUS_ENTRY, probes)
  'tsx scripts/build-server.ts', // dist/src/focus.mjs: what npm start and the package's `focus` run
  'vite build web', // web/dist: the web client
];
/** What a build must leave behind; a missing one means building again whatever the stamp says. */
const OUTPUTS = ['dist/src/focus.mjs', 'web/dist/index.html'];
const INPUTS = ['src', 'scripts', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const SKIPPED = new Set(['web/dist', 'node_modules']);

/** The input files under path (relative to root), in a stable order: tests and the web client's output left out. */
function* files(root, path) {
  const name = relative(root, path).split(sep).join('/');
  if (SKIPPED.has(name) || name.endsWith('/node_modules') || /\.test\.tsx?$/.test(name)) return;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isFile()) yield name;
  if (!stat?.isDirectory()) return; // an optional input that does not exist
  for (const entry of readdirSync(path).sort()) yield* files(root, join(path, entry));
}

/** sha256 over the inputs' relative paths and contents. */
export function sourceHash(root = ROOT) {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(root, join(root, input))) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** Records that the outputs in root were built from the sources whose hash is given. */
export function writeStamp(hash, root = ROOT) {
  mkdirSync(join(root, dirname(STAMP)), { recursive: true });
  writeFileSync(join(root, STAMP), `${JSON.stringify({ sources: hash, built_at: new Date().toISOString() }, null, 2)}\n`);
}

function stampedHash(root) {
  try {
    return JSON.parse(readFileSync(join(root, STAMP), 'utf8')).sources;
  } catch {
    return undefined;
  }
}

/** Why a build is needed, or null when the outputs are there and built from these sources. */
export function staleReason(root = ROOT, hash = sourceHash(root)) {
  const missing = OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  const stamped = stampedHash(root);
  if (stamped === undefined) return 'no build stamp';
  if (stamped !== hash) return 'the sources changed since the last build';
  return null;
}

function build(hash) {
  const env = { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}` };
  for (const step of STEPS) {
    const { status, signal } = spawnSync(step, { cwd: ROOT, env, stdio: 'inherit', shell: true });
    if (status !== 0) {
      process.stderr.write(`build: \`${step}\` failed (${signal ?? `exit code ${status}`})\n`);
      process.exit(status || 1);
    }
  }
  writeStamp(hash);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const hash = sourceHash();
  if (process.argv.includes('--if-stale')) {
    const reason = staleReason(ROOT, hash);
    if (reason) {
      process.stderr.write(`build: ${reason}: building (npm run build)\n`);
      build(hash);
    }
  } else {
    build(hash);
  }
}
