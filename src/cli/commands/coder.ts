import path from 'node:path';
import type { Command } from 'commander';
import { dataDirOf, dataDirOption, positiveInt, printResult } from '../options.js';
import { buildCoder } from '../../pipeline/coding/training/buildCoder.js';
import { DEFAULT_HYPER_PARAMETERS } from '../../pipeline/coding/training/trainLexicalCoder.js';

interface BuildFlags {
  dataDir?: string;
  data?: string;
  json?: boolean;
  excludeIds?: string;
  out: string;
  epochs?: number;
  seed?: number;
}

/**
 * `icdkg coder build [--data-dir DIR] [--exclude-ids FILE] --out MODEL_DIR`: trains the default
 * (lexical) coder and writes `MODEL_DIR/manifest.json` + `coder.json.gz`.
 */
export function register(program: Command): void {
  const coder = program.command('coder').description('build ICD coders');
  const build = coder
    .command('build')
    .description('train the lexical coder (BIO tagger + name linker) from the ICD dictionary, abbreviations and the RuCCoD training corpus');
  dataDirOption(build, 'data folder laid out like ../shared/data (ruccod/mkb2descr.yaml, ruccod/abbr2term.yaml, ruccod/train/)')
    .option('--exclude-ids <file>', 'document ids (one per line) left out of training and evaluated on')
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--epochs <n>', `perceptron epochs (default ${DEFAULT_HYPER_PARAMETERS.epochs})`, positiveInt)
    .option('--seed <n>', `shuffle seed (default ${DEFAULT_HYPER_PARAMETERS.seed})`, positiveInt)
    .option('--json', 'print the manifest summary as one JSON object on stdout')
    .addHelpText('after', '\nExample:\n  icdkg coder build --data-dir ../shared/data --exclude-ids ../shared/data/ruccod/dev-ids.txt --out /tmp/coder-dev')
    .action(async (flags: BuildFlags) => {
      const hyper = {
        ...DEFAULT_HYPER_PARAMETERS,
        ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      };
      const { manifest, buildMs } = await buildCoder({
        dataDir: dataDirOf(flags),
        ...(flags.excludeIds ? { excludeIdsPath: path.resolve(flags.excludeIds) } : {}),
        outDir: path.resolve(flags.out),
        hyper,
      });
      const bytes = manifest.files.reduce((s, f) => s + f.bytes, 0);
      process.stderr.write(
        `icdkg: coder trained on ${manifest.training.documents} documents in ${(buildMs / 1000).toFixed(1)} s, ${(bytes / 1048576).toFixed(2)} MiB, written to ${flags.out}\n`,
      );
      printResult(flags.json, { out: path.resolve(flags.out), documents: manifest.training.documents, seconds: buildMs / 1000, bytes, devMetrics: manifest.devMetrics ?? null }, '');
      const m = manifest.devMetrics as Record<string, { precision: number; recall: number; f1: number }> | undefined;
      if (m) {
        const line = (name: string, k: string) =>
          `  ${name}: P ${m[k]!.precision.toFixed(4)} R ${m[k]!.recall.toFixed(4)} F1 ${m[k]!.f1.toFixed(4)}\n`;
        process.stderr.write(`held-out documents (${manifest.training.excludedDocuments}):\n`);
        process.stderr.write(line('code assignment (strict)', 'codeAssignment'));
        process.stderr.write(line('code assignment (CATEGORY)', 'codeAssignmentCategory'));
        process.stderr.write(line('NER', 'ner'));
      }
    });
}
