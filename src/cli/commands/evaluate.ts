import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { LIFT_LEVELS } from '../../graph/model.js';
import type { LiftLevel } from '../../graph/model.js';
import { runEvaluate } from '../../usecases/runEvaluate.js';
import type { EvaluateFlags } from '../../usecases/runEvaluate.js';
import { ENCODING_HELP, encoding } from '../options.js';

function parseLevel(value: string): LiftLevel {
  const upper = value.toUpperCase();
  if (!(LIFT_LEVELS as readonly string[]).includes(upper)) throw new InvalidArgumentError(`must be one of ${LIFT_LEVELS.join(', ')}`);
  return upper as LiftLevel;
}

/** Registers `icdkg evaluate`. */
export function register(program: Command): void {
  program
    .command('evaluate')
    .description(
      'Evaluate a folder of predicted brat .ann files against a gold brat folder (RuCCoD reference metrics: NER, NER + linking, code assignment; no store needed)',
    )
    .requiredOption('--gold <dir>', 'gold folder: every *.ann is a document, with its .txt beside it')
    .requiredOption('--pred <dir>', 'prediction folder: <id>.ann per gold document (a missing file predicts nothing)')
    .addOption(new Option('--level <level>', 'relaxed evaluation: lift codes to CATEGORY, BLOCK or CHAPTER through the ICD-10 tree').argParser(parseLevel))
    .option('--json', 'print one JSON object {level, documents, documentAccuracy, ner, nerLinking, codeAssignment, unliftable} (level "STRICT" when strict)')
    .option('--data-dir <dir>', 'where the ICD-10 dictionary is, for --level (default ICDKG_DATA_DIR, then the sample)')
    .option('--allow-unliftable', 'with --level: evaluate even when codes cannot be lifted (no dictionary, or codes missing from it); they stay unlifted')
    .option('--encoding <name>', ENCODING_HELP, encoding)
    .option('--strict', 'refuse files that do not validate (offsets, mention text, malformed lines) with file:line, exit 1')
    .action(async (flags: EvaluateFlags) => {
      const { stdout, stderr } = await runEvaluate(flags);
      for (const note of stderr) process.stderr.write(`icdkg evaluate: ${note}\n`);
      process.stdout.write(stdout);
    });
}
