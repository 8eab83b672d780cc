import { readFileSync, writeFileSync } from 'node:fs';
import { readdir, mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Mention } from '../../graph/model.js';
import { crlfOffset } from '../../ingest/crlfOffset.js';
import { formatAnn } from '../../ingest/formatAnn.js';
import { loadCoderModel } from '../../pipeline/coding/training/coderModelDir.js';
import type { CodingResult } from '../../pipeline/coding/types.js';

interface CodeFlags {
  model: string;
  in?: string;
  out?: string;
  jsonl?: boolean;
  workers?: number;
  topK: number;
  offsets: OffsetConvention;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Texts per message to a worker: large enough that messaging costs little, small enough to balance. */
const BATCH = 64;

/** A coding result as brat mentions (`T1`, `T2`, ... in text order). */
/** How `.ann` offsets count line breaks: `ruccod` as two characters (RuCCoD's gold annotations), `text` as one. */
export type OffsetConvention = 'ruccod' | 'text';

/**
 * The coder's entities as brat mentions. With the `ruccod` convention (the default of
 * `icdkg code`), offsets count each line break as two characters, as the RuCCoD gold `.ann` files
 * do, so that span-level scores against them (NER, NER + linking) compare like with like; the
 * brat loader maps such offsets back to the `.txt`.
 */
export function toMentions(result: CodingResult, text?: string, convention: OffsetConvention = 'text'): Mention[] {
  const map = convention === 'ruccod' && text !== undefined && text.includes('\n') ? (o: number) => crlfOffset(text, o) : (o: number) => o;
  return result.entities.map((e, i) => {
    const start = map(e.start);
    const end = map(e.end);
    return { id: `T${i + 1}`, fragments: [{ start, end }], start, end, text: e.text, code: e.code };
  });
}

type CodeBatch = (texts: string[]) => Promise<CodingResult[]>;

/** A pool of worker threads, each with the model loaded once; batches go to the least busy one. */
async function workerPool(modelDir: string, workers: number, topK: number): Promise<{ run: CodeBatch; close: () => Promise<void> }> {
  const here = import.meta.url;
  // Under tsx the sources are .ts; built, they are .js.
  const file = new URL(`../../pipeline/coding/batch/codeWorker.${here.endsWith('.ts') ? 'ts' : 'js'}`, here);
  const pool = await Promise.all(
    Array.from({ length: workers }, () =>
      new Promise<{ w: Worker; pending: Map<number, (r: CodingResult[]) => void> }>((resolve, reject) => {
        // Running from sources (tsx), the worker registers tsx's loader itself before importing
        // the TypeScript worker module; built (.js), it runs the module directly.
        const w = file.pathname.endsWith('.ts')
          ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file.href)}); });`, {
              eval: true,
              workerData: { modelDir },
            })
          : new Worker(file, { workerData: { modelDir } });
        const pending = new Map<number, (r: CodingResult[]) => void>();
        w.on('error', reject);
        w.on('message', (msg: { ready?: boolean; seq?: number; results?: CodingResult[] }) => {
          if (msg.ready) resolve({ w, pending });
          else if (msg.seq !== undefined) {
            pending.get(msg.seq)!(msg.results!);
            pending.delete(msg.seq);
          }
        });
      }),
    ),
  );
  let seq = 0;
  return {
    run: (texts) => {
      const slot = pool.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = seq++;
      return new Promise((resolve) => {
        slot.pending.set(id, resolve);
        slot.w.postMessage({ seq: id, texts, topK });
      });
    },
    close: async () => {
      await Promise.all(pool.map((p) => p.w.terminate()));
    },
  };
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
      new Option('--offsets <convention>', 'brat offsets: ruccod counts a line break as two characters, as the RuCCoD gold files do; text counts it as one')
        .choices(['ruccod', 'text'])
        .default('ruccod'),
    )
    .option('--top-k <n>', 'candidates per entity in JSON output', positiveInt, 5)
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
        ({ run, close } = await workerPool(modelDir, workers, flags.topK));
      }
      const started = performance.now();
      // CPU time of this process too: on a shared machine wall time overstates the cost, and with
      // one worker all coding runs on this thread.
      const cpuStarted = process.cpuUsage();
      let count = 0;
      try {
        if (flags.jsonl) count = await codeJsonl(run);
        else count = await codeFolder(run, path.resolve(flags.in!), path.resolve(flags.out!), conceptIds, flags.offsets);
      } finally {
        await close();
      }
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStarted);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const perCpu = workers <= 1 ? `, ${(count / Math.max(cpuSeconds, 1e-9)).toFixed(0)} documents per CPU-second` : '';
      process.stderr.write(
        `icdkg: coded ${count} documents in ${seconds.toFixed(3)} s (${(count / Math.max(seconds, 1e-9)).toFixed(0)} documents/s${perCpu}, ${workers} worker${workers === 1 ? '' : 's'}, after model load)\n`,
      );
    });
}

async function codeFolder(run: CodeBatch, inDir: string, outDir: string, conceptIds: ReadonlyMap<string, string>, offsets: OffsetConvention): Promise<number> {
  const ids = (await readdir(inDir)).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();
  await mkdir(outDir, { recursive: true });
  const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
  bar?.start(ids.length, 0);
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    jobs.push(
      (async () => {
        // Synchronous file calls: the files are small, and a thread-pool round trip per file cost
        // more CPU than reading it (a third of the single-core time of `--workers 1`).
        const texts = batch.map((id) => readFileSync(path.join(inDir, `${id}.txt`), 'utf8'));
        const results = await run(texts);
        batch.forEach((id, k) => writeFileSync(path.join(outDir, `${id}.ann`), formatAnn(toMentions(results[k]!, texts[k]!, offsets), conceptIds)));
        bar?.increment(batch.length);
      })(),
    );
  }
  await Promise.all(jobs);
  bar?.stop();
  return ids.length;
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
    if (pending.length >= BATCH) await flush();
  }
  if (pending.length > 0) await flush();
  return n;
}
