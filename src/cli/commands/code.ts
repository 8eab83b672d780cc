import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CODE_BATCH, codeFolder } from '../../pipeline/coding/batch/codeFolder.js';
import type { CodeBatch } from '../../pipeline/coding/batch/codeFolder.js';
import { startCoderPool } from '../../pipeline/coding/batch/coderPool.js';
import type { OffsetConvention } from '../../pipeline/coding/batch/toMentions.js';
import { loadCoderModel } from '../../pipeline/coding/training/coderModelDir.js';
import { ENCODING_HELP, encoding, positiveInt, printResult } from '../options.js';
import { progressDisplay } from '../progress.js';

interface CodeFlags {
  model: string;
  in?: string;
  out?: string;
  jsonl?: boolean;
  json?: boolean;
  workers?: number;
  topK: number;
  offsets: OffsetConvention;
  encoding?: string;
}

/**
 * `icdkg code --model DIR --in TXT_DIR --out ANN_DIR` (brat, RuCCoD format) or
 * `icdkg code --model DIR --jsonl` (`{"id","text"}` lines in, `{"id","entities","codes"}` out).
 */
export function register(program: Command): void {
  program
    .command('code')
    .description('code texts into ICD-10 (mentions with spans and codes) with a built coder')
    .requiredOption('--model <dir>', 'coder model directory (icdkg coder build --out)')
    .option('--in <dir>', 'folder of N.txt files')
    .option('--out <dir>', 'folder to write N.ann files to (RuCCoD brat format)')
    .option('--jsonl', 'read {"id","text"} JSON lines on stdin, write {"id","entities","codes"} lines on stdout')
    .option('--workers <n>', 'worker threads (default: number of cores; 1 codes in the main thread)', positiveInt)
    .addOption(
      new Option(
        '--offsets <convention>',
        'brat offsets: text (default) indexes the .txt characters plainly, as brat tools and the RuCCoD test files do; ruccod counts a bare line break as two characters, reproducing a quirk of part of the RuCCoD training files',
      )
        .choices(['text', 'ruccod'])
        .default('text'),
    )
    .option('--top-k <n>', 'candidates per entity in JSON output', positiveInt, 5)
    .option('--encoding <name>', `with --in: ${ENCODING_HELP}`, encoding)
    .option('--json', 'with --in/--out: print {documents, seconds, workers} as one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  icdkg code --model models/ruccod-lexical --in texts/ --out ann/\n  echo \'{"id":"1","text":"ИБС. Стенокардия."}\' | icdkg code --model models/ruccod-lexical --jsonl',
    )
    .action(async (flags: CodeFlags) => {
      if (!flags.jsonl && (!flags.in || !flags.out)) throw new InvalidArgumentError('give --in and --out folders, or --jsonl');
      const modelDir = path.resolve(flags.model);
      const workers = flags.workers ?? availableParallelism();
      let run: CodeBatch;
      let close = async (): Promise<void> => {};
      let conceptIds: Map<string, string>;
      if (workers <= 1) {
        const loaded = await loadCoderModel(modelDir);
        conceptIds = loaded.conceptIds;
        run = async (texts) => loaded.coder.code(texts, { topK: flags.topK });
      } else {
        // The main thread needs only the concept ids; the workers load the whole model.
        conceptIds = (await loadCoderModel(modelDir)).conceptIds;
        const pool = await startCoderPool(modelDir, workers);
        run = (texts) => pool.code(texts, { topK: flags.topK });
        close = () => pool.close();
      }
      const started = performance.now();
      // CPU time of this process too: on a shared machine wall time overstates the cost, and with
      // one worker all coding runs on this thread.
      const cpuStarted = process.cpuUsage();
      let count = 0;
      try {
        if (flags.jsonl) count = await codeJsonl(run);
        else {
          const progress = progressDisplay('coding');
          count = await codeFolder(run, path.resolve(flags.in!), path.resolve(flags.out!), conceptIds, flags.offsets, (done, total) => progress.update(done, total, `${done} documents`), {
            ...(flags.encoding ? { encoding: flags.encoding } : {}),
          });
          progress.stop();
        }
      } finally {
        await close();
      }
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStarted);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const perCpu = workers <= 1 ? `, ${(count / Math.max(cpuSeconds, 1e-9)).toFixed(0)} documents per CPU-second` : '';
      if (!flags.jsonl) printResult(flags.json, { documents: count, seconds, cpuSeconds, workers }, '');
      process.stderr.write(
        `icdkg: coded ${count} documents in ${seconds.toFixed(3)} s (${(count / Math.max(seconds, 1e-9)).toFixed(0)} documents/s${perCpu}, ${workers} worker${workers === 1 ? '' : 's'}, after model load)\n`,
      );
    });
}

async function codeJsonl(run: CodeBatch): Promise<number> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  let lineNo = 0;
  let pending: { id: string; text: string }[] = [];
  const flush = async (): Promise<void> => {
    const results = await run(pending.map((p) => p.text));
    process.stdout.write(pending.map((p, i) => JSON.stringify({ id: p.id, ...results[i]! })).join('\n') + '\n');
    n += pending.length;
    pending = [];
  };
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let doc: { id?: unknown; text?: unknown };
    try {
      doc = JSON.parse(line) as typeof doc;
    } catch {
      throw new InvalidArgumentError(`stdin:${lineNo}: not a JSON object`);
    }
    if (typeof doc.text !== 'string') throw new InvalidArgumentError(`stdin:${lineNo}: "text" must be a string`);
    pending.push({ id: String(doc.id ?? lineNo), text: doc.text });
    if (pending.length >= CODE_BATCH) await flush();
  }
  if (pending.length > 0) await flush();
  return n;
}
