import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Code, LayerAnnotations } from '../../../graph/model.js';
import { loadAbbreviations } from '../../../ingest/loadAbbreviations.js';
import { loadBrat } from '../../../ingest/loadBrat.js';
import { loadRuccodDictionary } from '../../../ingest/loadRuccodDictionary.js';
import type { CoderTrainingData, TrainingDocument } from './trainLexicalCoder.js';

/** Training data read from a data directory, with what was left out and the files' checksums. */
export interface LoadedCoderData {
  data: CoderTrainingData;
  /** The documents left out (with their gold layer), for evaluation. */
  heldOut: { documents: TrainingDocument[]; gold: LayerAnnotations[] };
  /** The ICD tree, for relaxed evaluation. */
  codes: Code[];
  files: { path: string; sha256: string }[];
  /** SHA-256 of the sorted excluded ids (null when nothing was excluded). */
  excludedIdsSha256: string | null;
}

/**
 * Reads what the lexical coder is trained from out of a data directory laid out like
 * `../shared/data` (`ruccod/mkb2descr.yaml`, `ruccod/abbr2term.yaml`, `ruccod/train/`), with the
 * project's loaders, leaving out the documents whose ids are in `excludeIds`.
 *
 * @example await loadCoderTrainingData('../shared/data', new Set(['4', '11']))
 */
export async function loadCoderTrainingData(dataDir: string, excludeIds: ReadonlySet<string> = new Set()): Promise<LoadedCoderData> {
  const dictPath = join(dataDir, 'ruccod', 'mkb2descr.yaml');
  const abbrPath = join(dataDir, 'ruccod', 'abbr2term.yaml');
  const dict = await loadRuccodDictionary(dictPath, 'ruccod/mkb2descr.yaml');
  const abbr = await loadAbbreviations(abbrPath, dict.names, 'ruccod/abbr2term.yaml');
  const knownCodes = new Set(dict.codes.map((c) => c.code));
  const brat = await loadBrat(join(dataDir, 'ruccod', 'train'), { corpus: 'ruccod', knownCodes, displayDir: 'ruccod/train' });
  const titles = new Map<string, string>();
  for (const n of dict.names) if (n.source === 'ICD_TITLE' && !titles.has(n.code)) titles.set(n.code, n.text);
  const names = [...dict.names.filter((n) => n.source === 'DICTIONARY'), ...abbr.names].map((n) => ({ code: n.code, text: n.text, source: n.source }));
  const train: TrainingDocument[] = [];
  const heldOut: LoadedCoderData['heldOut'] = { documents: [], gold: [] };
  brat.corpus.documents.forEach((doc, i) => {
    const layer = brat.corpus.layers[i]!;
    const td: TrainingDocument = { id: doc.id, text: doc.text, mentions: layer.mentions };
    if (excludeIds.has(doc.id)) {
      heldOut.documents.push(td);
      heldOut.gold.push(layer);
    } else {
      train.push(td);
    }
  });
  const excludedIdsSha256 =
    excludeIds.size === 0 ? null : createHash('sha256').update([...excludeIds].sort().join('\n')).digest('hex');
  return {
    data: { titles, names, abbreviations: abbr.expansions, documents: train, conceptIds: brat.conceptIds },
    heldOut,
    codes: dict.codes,
    files: [
      { path: 'ruccod/mkb2descr.yaml', sha256: dict.sha256 },
      { path: 'ruccod/abbr2term.yaml', sha256: abbr.sha256 },
      { path: 'ruccod/train', sha256: brat.sha256 },
    ],
    excludedIdsSha256,
  };
}

/** Reads an ids file (one id per line, blank lines ignored). */
export async function readIdsFile(path: string): Promise<Set<string>> {
  const text = await readFile(path, 'utf8');
  return new Set(text.split('\n').map((l) => l.trim()).filter((l) => l !== ''));
}
