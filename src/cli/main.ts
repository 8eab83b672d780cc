#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { commands } from './commands/index.js';
import { errorSentence } from './options.js';

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
