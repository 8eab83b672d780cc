import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Light on purpose (node:fs and node:path only): `icdkg` checks a configured data folder with it
// before loading the rest of the program, so that a typo fails in well under 2 s.

/** Where each file sits in a data dir (the layout of `../shared/data`). */
export const DATA_LAYOUT = {
  dictionary: 'ruccod/mkb2descr.yaml',
  abbreviations: 'ruccod/abbr2term.yaml',
  corpus: 'ruccod/train',
  devIds: 'ruccod/dev-ids.txt',
  nsiDir: 'mkb10-nsi',
  mrconso: 'umls/MRCONSO.RRF',
} as const;

/**
 * What a data folder lacks to be loaded (null when it holds the ICD dictionary).
 *
 * @example dataDirProblem('/data/typo') // 'the folder does not exist'
 */
export function dataDirProblem(dataDir: string): string | null {
  if (existsSync(join(dataDir, DATA_LAYOUT.dictionary))) return null;
  if (!existsSync(dataDir)) return 'the folder does not exist';
  if (!statSync(dataDir).isDirectory()) return 'it is not a folder';
  return `it has no ${DATA_LAYOUT.dictionary}`;
}

/**
 * A configured data folder without data: names the folder and what is missing, and how to go on.
 * `icdkg serve` and `icdkg seed` exit non-zero with it at once.
 */
export class DataDirError extends Error {
  readonly dataDir: string;
  constructor(dataDir: string, problem: string = dataDirProblem(dataDir) ?? 'it cannot be read') {
    super(
      `data folder ${dataDir} (ICDKG_DATA_DIR or --data-dir) holds no ICD dictionary: ${problem}. ` +
        'Point ICDKG_DATA_DIR at a folder in the layout of the README (`icdkg data fetch` downloads one), or pass --sample (ICDKG_SAMPLE=1) to serve the small sample of graph/seed/',
    );
    this.name = 'DataDirError';
    this.dataDir = dataDir;
  }
}
