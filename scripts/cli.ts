#!/usr/bin/env node
// `focus`, the package's command (package.json "bin"), and the entry of the server bundle
// dist/src/focus.mjs, which `npm start` runs without arguments.
// Each command is its own entry module that runs when imported (src/server.ts and scripts/migrate.ts
// and scripts/badges-import.ts, as under tsx); only the one asked for is loaded and run, and it sees
// the arguments after the command as if it had been started on its own.
const USAGE = `usage: focus [serve]              start the server (the default); configured by the environment (README, Configuration)
       focus migrate              apply pending migrations to DATABASE_URL and exit
       focus badges import FILE   add or change badge definitions in DATABASE_URL from a JSON file
`;

const [command = 'serve', ...args] = process.argv.slice(2);

function runAs(argv: string[]): void {
  process.argv.splice(2, Infinity, ...argv);
}

if (command === 'serve' && args.length === 0) {
  await import('../src/server.js');
} else if (command === 'migrate' && args.length === 0) {
  await import('./migrate.js');
} else if (command === 'badges' && args[0] === 'import' && args.length === 2) {
  runAs(args.slice(1));
  await import('./badges-import.js');
} else if (command === 'help' || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(`focus: unknown command: ${process.argv.slice(2).join(' ')}\n${USAGE}`);
  process.exitCode = 2;
}
