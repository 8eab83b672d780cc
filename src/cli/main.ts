#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { DataDirError, dataDirProblem } from '../ingest/dataDirCheck.js';
import { errorSentence } from './options.js';

/**
 * `serve` and `seed` on a configured data folder without data fail before the rest of the
 * program loads (which takes about 2 s): the same check `loadDataDir` makes, made first.
 */
function failFastOnMissingData(argv: string[]): void {
  const [command, ...rest] = argv;
  if ((command !== 'serve' && command !== 'seed') || rest.includes('--sample') || rest.includes('--help') || rest.includes('-h')) return;
  if (process.env.ICDKG_SAMPLE === '1' || process.env.ICDKG_SAMPLE === 'true' || process.env.NEO4J_URI && command === 'serve') return;
  const flag = rest.findIndex((a) => a === '--data-dir' || a === '-d' || a.startsWith('--data-dir='));
  const given = flag === -1 ? process.env.ICDKG_DATA_DIR || undefined : rest[flag]!.includes('=') ? rest[flag]!.split('=').slice(1).join('=') : rest[flag + 1];
  if (given === undefined) return;
  const dataDir = path.resolve(given);
  const problem = dataDirProblem(dataDir);
  if (problem === null) return;
  process.stderr.write(`icdkg: ${new DataDirError(dataDir, problem).message}\n`);
  process.exit(1);
}
failFastOnMissingData(process.argv.slice(2));
const { commands } = await import('./commands/index.js');

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Exit codes (README "The icdkg command"): 0 ok, 1 the command failed, 2 usage error. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/**
 * The `icdkg` command. Each sub-command lives in `./commands/<name>.ts` and registers itself
 * through `commands/index.ts`; `--help` works on every command.
 */
const program = new Command()
  .name('icdkg')
  .description('ICD-KG: a GraphQL knowledge graph over ICD-10, Russian ICD coding, evaluation and diagnosis prediction')
  .version(version, '-V, --version', 'print the version and exit')
  .option('-q, --quiet', 'no progress output on stderr (progress is drawn only on a terminal anyway)')
  .addHelpText('after', '\nExit codes: 0 ok, 1 the command failed, 2 usage error (unknown command or option, bad argument).\nEvery command prints its result on stdout (--json for one JSON object where it has one), progress and notes on stderr;\n`-` as a file argument means stdin or stdout.')
  .showHelpAfterError()
  .hook('preAction', (cmd) => {
    if (cmd.opts().quiet) process.env.ICDKG_QUIET = '1';
  })
  .exitOverride((err) => {
    // Help and version exit 0; everything commander refuses is a usage error.
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  });

for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`icdkg: ${errorSentence(err)}\n`);
  process.exit(EXIT_FAILURE);
});
