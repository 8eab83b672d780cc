import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Code } from '../graph/model.js';
import { DATA_LAYOUT, SAMPLE_DATA_DIR } from './loadDataDir.js';
import { loadMkb10Nsi } from './loadMkb10Nsi.js';
import { loadRuccodDictionary } from './loadRuccodDictionary.js';
import { mergeIcd } from './mergeIcd.js';

/**
 * The ICD-10 tree of a data dir, built by the same loaders as the store (RuCCoD's dictionary,
 * merged with the МКБ-10 reference when present); the project's sample when the data dir has no
 * dictionary.
 *
 * @example const { codes } = await loadIcdTree('../shared/data');
 */
export async function loadIcdTree(dataDir: string): Promise<{ codes: Code[]; sample: boolean }> {
  const sample = !existsSync(join(dataDir, DATA_LAYOUT.dictionary));
  const dir = sample ? SAMPLE_DATA_DIR : dataDir;
  const ruccod = await loadRuccodDictionary(join(dir, DATA_LAYOUT.dictionary), DATA_LAYOUT.dictionary);
  const nsiDir = join(dir, DATA_LAYOUT.nsiDir);
  const csv = existsSync(nsiDir) ? readdirSync(nsiDir).filter((f) => f.endsWith('.csv')).sort()[0] : undefined;
  if (!csv) return { codes: ruccod.codes, sample };
  const nsi = await loadMkb10Nsi(join(nsiDir, csv), `${DATA_LAYOUT.nsiDir}/${csv}`);
  return { codes: mergeIcd(ruccod, nsi).codes, sample };
}

