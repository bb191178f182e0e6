// `npm run build` (after tsc): the server as one ESM file, dist/src/focus.mjs, which `npm start` runs.
//   npx tsx scripts/build-server.ts [outfile]
// Why: a cold start is mostly finding, reading and compiling the dependencies' module files; one file loads faster.
// Its entry is the `focus` command (scripts/cli.ts: serve by default, migrate, badges import), so the
// same file is the package's bin.
//
// Left out (loaded from node_modules at run time): packages with native addons, the optional
// pg-native, and ioredis (imported only when RATE_LIMIT_REDIS_URL is set). A bundled CommonJS module
// that uses __dirname/__filename (@fastify/swagger-ui serves its files from its package directory)
// gets them pointing at its file in node_modules, as if it were not bundled: first where it was at
// build time relative to the bundle (dist/ and node_modules/ of one checkout), else where Node would
// find that package from the bundle (the package installed with npm: node_modules/focus/dist/src/ and
// the dependencies beside it in node_modules/).
// In dist/src/, src/app.ts finds the web client at ../../web/dist from the bundle as from the tsc output.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const SERVER_BUNDLE = join(ROOT, 'dist/src/focus.mjs');

/**
 * The node flags `npm start` runs the bundle with (package.json's start script), so that the bench
 * and the tests that spawn the server run it exactly as production does.
 */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const match = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/src\/focus\.mjs$/.exec(pkg.scripts.start);
  if (!match) throw new Error(`package.json's start script no longer ends by running dist/src/focus.mjs: ${pkg.scripts.start}`);
  return (match[1] ?? '').trim().split(' ').filter(Boolean);
}

/** Native addons and optional run-time packages: imported from node_modules when (if) needed. */
export const EXTERNAL = ['better-sqlite3', '@node-rs/argon2', 'pg-native', 'ioredis'];

// CommonJS dependencies call require(): an ESM bundle gets one, plus the helper of the plugin below.
const BANNER = [
  "import { createRequire as __focusCreateRequire } from 'node:module';",
  "import { existsSync as __focusExists } from 'node:fs';",
  "import { join as __focusJoin } from 'node:path';",
  "import { fileURLToPath as __focusFileURLToPath } from 'node:url';",
  'const require = __focusCreateRequire(import.meta.url);',
  'const __focusPackages = new Map();',
  // a package's directory: where it was at build time, else the first of Node's lookup paths holding it
  'const __focusPath = (packageName, builtAt, inPackage) => {',
  '  let root = __focusPackages.get(packageName);',
  '  if (root === undefined) {',
  '    const candidates = [__focusFileURLToPath(new URL(builtAt, import.meta.url)), ...(require.resolve.paths(packageName) ?? []).map((dir) => __focusJoin(dir, packageName))];',
  "    root = candidates.find((dir) => __focusExists(__focusJoin(dir, 'package.json'))) ?? candidates[0];",
  '    __focusPackages.set(packageName, root);',
  '  }',
  '  return __focusJoin(root, inPackage);',
  '};',
].join('\n');

/** The package a node_modules file belongs to: its name and directory, and the file's path inside it. */
function packageOf(path: string): { name: string; root: string; inPackage: string } {
  const parts = path.split(sep);
  const at = parts.lastIndexOf('node_modules');
  const length = parts[at + 1]?.startsWith('@') ? 2 : 1;
  const root = parts.slice(0, at + 1 + length);
  return { name: root.slice(at + 1).join('/'), root: root.join(sep), inPackage: parts.slice(at + 1 + length).join('/') };
}

/** __dirname and __filename of a bundled node_modules file: its own location, found at run time. */
function nodeModulesPaths(outdir: string): Plugin {
  const relativeUrl = (to: string) => relative(outdir, to).split(sep).map(encodeURIComponent).join('/');
  return {
    name: 'focus-node-modules-paths',
    setup(builder) {
      builder.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(source)) return undefined; // loaded as usual
        const { name, root, inPackage } = packageOf(args.path);
        const path = (inside: string) => `__focusPath(${JSON.stringify(name)}, ${JSON.stringify(relativeUrl(root))}, ${JSON.stringify(inside)})`;
        // esbuild wraps each CommonJS module in a function of its own: these stay local to the module.
        const prelude = `var __dirname = ${path(posix.dirname(inPackage))}, __filename = ${path(inPackage)};`;
        return { contents: `${prelude}\n${source}`, loader: 'js' };
      });
    },
  };
}

export interface BundleOptions {
  /** Default: dist/src/focus.mjs. */
  outfile?: string;
  /** Also <outfile>.map, linked (for `node --enable-source-maps`). Default: true. */
  sourcemap?: boolean;
  /** false: return the output in outputFiles instead of writing it. Default: true. */
  write?: boolean;
}

export async function buildServerBundle(options: BundleOptions = {}) {
  const outfile = resolve(options.outfile ?? SERVER_BUNDLE);
  return build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'scripts/cli.ts')],
    outfile,
    write: options.write ?? true,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: EXTERNAL,
    banner: { js: BANNER },
    plugins: [nodeModulesPaths(dirname(outfile))],
    sourcemap: options.sourcemap === false ? false : 'linked',
    sourcesContent: false,
    // No keepNames: it wraps every named function in esbuild's __name(), an Object.defineProperty each
    // time the function is made, and Fastify makes three such closures per hook phase of every request
    // (issue 12's bench: GET /sessions/active 65-68 -> 49-51 µs of server CPU). Names stay the sources'
    // (a class or function assigned to a name takes it) except where the bundle renames a clash, such
    // as pg's DatabaseError, logged as DatabaseError2.
    keepNames: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const outfile = resolve(process.argv[2] ?? SERVER_BUNDLE);
  const { metafile } = await buildServerBundle({ outfile });
  const bytes = metafile.outputs[relative(ROOT, outfile).split(sep).join('/')]?.bytes ?? Number.NaN;
  process.stdout.write(`${relative(process.cwd(), outfile)}: ${(bytes / 1024 / 1024).toFixed(1)} MB, built in ${Math.round(performance.now() - started)} ms\n`);
}
