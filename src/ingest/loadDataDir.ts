import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusData, GraphData, Name, SourceFile } from '../graph/model.js';
import { normalizeText } from '../text/normalizeText.js';
import { loadAbbreviations } from './loadAbbreviations.js';
import { loadBrat } from './loadBrat.js';
import { loadMkb10Nsi } from './loadMkb10Nsi.js';
import { loadMrconso } from './loadMrconso.js';
import { loadRuccodDictionary } from './loadRuccodDictionary.js';
import { mergeIcd } from './mergeIcd.js';
import { DATA_LAYOUT, DataDirError } from './dataDirCheck.js';
import type { MergeReport } from './mergeIcd.js';

/** The sample the project wrote itself, loaded when a data dir has no ICD dictionary. */
export const SAMPLE_DATA_DIR = fileURLToPath(new URL('../../graph/seed/sample/', import.meta.url));

export { DATA_LAYOUT, DataDirError };

/** Everything a data dir holds, ready for a store. */
export interface LoadedData extends GraphData {
  /** True when the data dir had no ICD dictionary and the project's small sample was loaded. */
  sample: boolean;
  /** The directory actually read (the sample's when `sample`). */
  dataDir: string;
  /** Abbreviation -> expansions, for the coding pipeline's normaliser (empty without the file). */
  abbreviations: Map<string, string[]>;
  /** Code -> the annotators' concept id, for writing brat files back (`formatAnn`). */
  conceptIds: Map<string, string>;
  /** What the МКБ-10 reference added to RuCCoD's tree (null without the reference). */
  merge: MergeReport | null;
  /** Brat offset repairs by kind (see `parseAnn`). */
  repairs: Map<string, number>;
}

/**
 * Reads a data dir in the `../shared/data` layout ({@link DATA_LAYOUT}; whatever subset exists)
 * into one {@link GraphData}: RuCCoD's ICD-10 dictionary merged with the МКБ-10 reference
 * (`mkb10-nsi/*.csv`), abbreviations, UMLS names (`umls/MRCONSO.RRF`), the RuCCoD corpus
 * `ruccod` (split `dev` for `ruccod/dev-ids.txt`, `train` otherwise; annotations in layer `gold`)
 * and CORPUS names: per code, the distinct normalised texts of its `train`-split mentions (never
 * `dev`, so tuning on dev stays honest), each with its most frequent spelling and its count.
 * `sources` lists every file read with its SHA-256 (a corpus directory as one fingerprint over its
 * files) and `dataVersion` hashes them.
 *
 * Without `ruccod/mkb2descr.yaml` it loads {@link SAMPLE_DATA_DIR} instead and says so
 * (`sample: true`), so the server can tell the user how to load the full ICD-10; with
 * `missing: 'error'` (a data folder the user configured) it throws a {@link DataDirError} instead.
 *
 * @example
 *   const data = await loadDataDir(process.env.ICDKG_DATA_DIR ?? './data');
 *   if (data.sample) logger.warn('started on the sample; set ICDKG_DATA_DIR to the full data');
 */
export async function loadDataDir(dataDir: string, options: { missing?: 'sample' | 'error' } = {}): Promise<LoadedData> {
  const sample = !existsSync(join(dataDir, DATA_LAYOUT.dictionary));
  if (sample && options.missing === 'error') throw new DataDirError(dataDir);
  const dir = sample ? SAMPLE_DATA_DIR : dataDir;
  const sources: SourceFile[] = [];
  const at = (relative: string): string => join(dir, relative);

  const nsiFile = findNsiFile(dir);
  const [ruccod, nsi] = await Promise.all([
    loadRuccodDictionary(at(DATA_LAYOUT.dictionary), DATA_LAYOUT.dictionary),
    nsiFile ? loadMkb10Nsi(at(nsiFile), nsiFile) : Promise.resolve(null),
  ]);
  sources.push({ path: DATA_LAYOUT.dictionary, sha256: ruccod.sha256 });
  if (nsi && nsiFile) sources.push({ path: nsiFile, sha256: nsi.sha256 });
  const icd = nsi ? mergeIcd(ruccod, nsi) : { codes: ruccod.codes, names: ruccod.names, report: null };
  const names: Name[] = [...icd.names];
  const knownCodes = new Set(icd.codes.map((c) => c.code));

  let abbreviations = new Map<string, string[]>();
  if (existsSync(at(DATA_LAYOUT.abbreviations))) {
    const loaded = await loadAbbreviations(at(DATA_LAYOUT.abbreviations), icd.names, DATA_LAYOUT.abbreviations);
    abbreviations = loaded.expansions;
    names.push(...loaded.names);
    sources.push({ path: DATA_LAYOUT.abbreviations, sha256: loaded.sha256 });
  }
  if (existsSync(at(DATA_LAYOUT.mrconso))) {
    const umls = await loadMrconso(at(DATA_LAYOUT.mrconso), knownCodes, { displayName: DATA_LAYOUT.mrconso });
    names.push(...umls.names);
    sources.push({ path: DATA_LAYOUT.mrconso, sha256: umls.sha256 });
  }

  const corpora: CorpusData[] = [];
  let conceptIds = new Map<string, string>();
  let repairs = new Map<string, number>();
  if (existsSync(at(DATA_LAYOUT.corpus))) {
    const hasDevIds = existsSync(at(DATA_LAYOUT.devIds));
    const brat = await loadBrat(at(DATA_LAYOUT.corpus), {
      corpus: 'ruccod',
      knownCodes,
      displayDir: DATA_LAYOUT.corpus,
      ...(hasDevIds ? { devIdsPath: at(DATA_LAYOUT.devIds), devIdsDisplayName: DATA_LAYOUT.devIds } : {}),
    });
    corpora.push(brat.corpus);
    conceptIds = brat.conceptIds;
    repairs = brat.repairs;
    sources.push({ path: DATA_LAYOUT.corpus, sha256: brat.sha256 });
    if (brat.devIdsSha256) sources.push({ path: DATA_LAYOUT.devIds, sha256: brat.devIdsSha256 });
    names.push(...corpusNames(brat.corpus));
  }

  const dataVersion = createHash('sha256')
    .update(sources.map((s) => `${s.path} ${s.sha256}\n`).join(''))
    .digest('hex')
    .slice(0, 16);
  return {
    codes: icd.codes,
    names,
    corpora,
    sources,
    dataVersion,
    sample,
    dataDir: dir,
    abbreviations,
    conceptIds,
    merge: icd.report,
    repairs,
  };
}

/** The МКБ-10 reference: the first `.csv` in `mkb10-nsi/` (the file name carries its version). */
function findNsiFile(dir: string): string | null {
  const nsiDir = join(dir, DATA_LAYOUT.nsiDir);
  if (!existsSync(nsiDir)) return null;
  const csv = readdirSync(nsiDir).filter((f) => f.endsWith('.csv')).sort()[0];
  return csv ? `${DATA_LAYOUT.nsiDir}/${csv}` : null;
}

/** CORPUS names: per code and normalised mention text of the `train` split, the commonest spelling and the count. */
function corpusNames(corpus: CorpusData): Name[] {
  const train = new Set(corpus.documents.filter((d) => d.split === 'train').map((d) => d.id));
  const groups = new Map<string, { code: string; normalized: string; count: number; spellings: Map<string, number> }>();
  for (const layer of corpus.layers) {
    if (layer.layer !== 'gold' || !train.has(layer.documentId)) continue;
    for (const mention of layer.mentions) {
      if (mention.code === null) continue;
      const normalized = normalizeText(mention.text);
      if (normalized === '') continue;
      const key = `${mention.code}\u0000${normalized}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { code: mention.code, normalized, count: 0, spellings: new Map() }));
      group.count += 1;
      group.spellings.set(mention.text, (group.spellings.get(mention.text) ?? 0) + 1);
    }
  }
  return [...groups.values()].map((g) => {
    let text = '';
    let best = 0;
    for (const [spelling, n] of g.spellings) if (n > best) [text, best] = [spelling, n];
    return { code: g.code, text, normalized: g.normalized, source: 'CORPUS', lang: 'ru', count: g.count };
  });
}
