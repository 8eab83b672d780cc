import { writeFileSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { formatAnn } from '../../../ingest/formatAnn.js';
import { readTextFile } from '../../../ingest/readUtf8File.js';
import type { CodingResult } from '../types.js';
import { toMentions } from './toMentions.js';
import type { OffsetConvention } from './toMentions.js';

/** Codes a batch of texts (in one thread, or through a worker pool). */
export type CodeBatch = (texts: string[]) => Promise<CodingResult[]>;

/** Texts per batch: large enough that messaging a worker costs little, small enough to balance. */
export const CODE_BATCH = 64;

/**
 * `icdkg code --in TXT_DIR --out ANN_DIR`: codes every `N.txt` of `inDir` and writes `N.ann`
 * (brat) into `outDir`, batches in flight at once; returns the number of documents. The texts are
 * read in `options.encoding` (UTF-8 by default; a file that is not text in it is refused, with
 * its name and line, before anything is written).
 *
 * @example await codeFolder(async (t) => coder.code(t), 'texts', 'ann', conceptIds, 'text')
 */
export async function codeFolder(
  run: CodeBatch,
  inDir: string,
  outDir: string,
  conceptIds: ReadonlyMap<string, string>,
  offsets: OffsetConvention,
  onProgress?: (done: number, total: number) => void,
  options: { encoding?: string } = {},
): Promise<number> {
  const read = (file: string) => readTextFile(file, options.encoding);
  const ids = (await readdir(inDir)).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();
  if (ids.length === 0) throw new Error(`--in ${inDir}: no .txt files to code`);
  // Every file is checked before any .ann is written: a folder with one cp1251 file writes nothing.
  for (const id of ids) read(path.join(inDir, `${id}.txt`));
  await mkdir(outDir, { recursive: true });
  let done = 0;
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < ids.length; i += CODE_BATCH) {
    const batch = ids.slice(i, i + CODE_BATCH);
    jobs.push(
      (async () => {
        // Synchronous file calls: the files are small, and a thread-pool round trip per file cost
        // more CPU than reading it (a third of the single-core time of `--workers 1`).
        const texts = batch.map((id) => read(path.join(inDir, `${id}.txt`)));
        const results = await run(texts);
        batch.forEach((id, k) => writeFileSync(path.join(outDir, `${id}.ann`), formatAnn(toMentions(results[k]!, texts[k]!, offsets), conceptIds)));
        done += batch.length;
        onProgress?.(done, ids.length);
      })(),
    );
  }
  await Promise.all(jobs);
  return ids.length;
}
