#!/usr/bin/env node
import { Command } from 'commander';
import { commands } from './commands/index.js';

/**
 * The `icdkg` command. Each sub-command lives in `./commands/<name>.ts` and registers itself
 * through `commands/index.ts`; `--help` works on every command.
 */
const program = new Command()
  .name('icdkg')
  .description('ICD-KG: a GraphQL knowledge graph over ICD-10, Russian ICD coding, evaluation and diagnosis prediction')
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode);
  });

for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`icdkg: ${message}\n`);
  process.exit(1);
});
