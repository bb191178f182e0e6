// BENCH_BASELINE=<git revision>: Focus as it was at that revision, built once into a temporary
// directory and measured by the same bench run beside the working tree's build, so a change's before
// and after figures come from one run on one machine (issue 16: "keep the previous build benchable").
// The revision's sources come from `git archive`; it is built with this checkout's node_modules, so a
// revision whose dependencies differ much from today's may not build (the bench says so and stops).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Baseline {
  /** The revision as given, with its commit: "b85d861" or "main~3 (b85d861)". */
  label: string;
  /** Its dist/src/focus.mjs. */
  entry: string;
}

export function buildBaseline(revision: string, print: (line: string) => void): Baseline {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--verify', `${revision}^{commit}`);
  const short = commit.slice(0, 7);
  const label = revision.startsWith(short) ? short : `${revision} (${short})`;
  const dir = join(tmpdir(), `focus-bench-baseline-${commit}`);
  const entry = join(dir, 'dist/src/focus.mjs');
  if (existsSync(entry)) return { label, entry };
  print(`bench: building the baseline ${label} in ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the baseline ${label} did not build with this checkout's node_modules`, { cause: error });
  }
  return { label, entry };
}
