#!/usr/bin/env node
import path from 'node:path';
import { Command } from 'commander';
import { DataDirError, dataDirProblem } from '../ingest/dataDirCheck.js';

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
