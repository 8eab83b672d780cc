import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Code } from '../graph/model.js';
import { loadBrat } from '../ingest/loadBrat.js';
import { loadRuccodDictionary } from '../ingest/loadRuccodDictionary.js';
import type { LayerAnnotations } from '../graph/model.js';
import { readVisits } from '../ingest/rumedtop3.js';
import { normalizeText } from '../text/normalizeText.js';

/** What a synthetic cohort is drawn from (all from the training splits of the data folder). */
export interface SynthSources {
  /** The ICD-10 tree (RuCCoD dictionary). */
  codes: Code[];
  /** Distinct code sets of the RuCCoD training documents (the co-occurrences patients are drawn from). */
  documents: string[][];
  /** Per code, the distinct mention strings of the RuCCoD training documents. */
  mentions: Map<string, string[]>;
  /** RuMedTop3 training complaints by their ICD-10 category (empty without the file). */
  complaints: Map<string, string[]>;
  /** Files read, with their SHA-256, for the cohort header. */
  files: { path: string; sha256: string }[];
}

/**
 * Reads the sources of `icdkg cohort synth` from a data folder laid out like `../shared/data`:
 * `ruccod/mkb2descr.yaml` (tree), `ruccod/train` without the documents of `ruccod/dev-ids.txt`
 * (co-occurrences and mention strings: dev stays untouched for tuning the coder), and
 * `rumedtop3/train.jsonl` (complaints; optional, a generic pool is used without it).
 *
 * @example const sources = await loadSynthSources('../shared/data');
 */
export async function loadSynthSources(dataDir: string): Promise<SynthSources> {
  const dict = await loadRuccodDictionary(join(dataDir, 'ruccod', 'mkb2descr.yaml'), 'ruccod/mkb2descr.yaml');
  const knownCodes = new Set(dict.codes.map((c) => c.code));
  const devIds = join(dataDir, 'ruccod', 'dev-ids.txt');
  const brat = await loadBrat(join(dataDir, 'ruccod', 'train'), {
    corpus: 'ruccod',
    knownCodes,
    displayDir: 'ruccod/train',
    ...(existsSync(devIds) ? { devIdsPath: devIds, devIdsDisplayName: 'ruccod/dev-ids.txt' } : {}),
  });
  const files = [
    { path: 'ruccod/mkb2descr.yaml', sha256: dict.sha256 },
    { path: 'ruccod/train', sha256: brat.sha256 },
  ];
  const train = new Set(brat.corpus.documents.filter((d) => d.split === 'train').map((d) => d.id));
  const documents: string[][] = [];
  const mentionSets = new Map<string, Set<string>>();
  for (const layer of brat.corpus.layers) {
    if (!train.has(layer.documentId)) continue;
    const codes = new Set<string>();
    for (const m of layer.mentions) {
      if (!m.code) continue;
      codes.add(m.code);
      const text = m.text.trim();
      if (text === '') continue;
      let set = mentionSets.get(m.code);
      if (!set) mentionSets.set(m.code, (set = new Set()));
      set.add(text);
    }
    if (codes.size > 0) documents.push([...codes].sort());
  }
  const mentions = unambiguousMentions(mentionSets, documentsMentions(brat.corpus.layers, train));
  const complaints = new Map<string, string[]>();
  const rumed = join(dataDir, 'rumedtop3', 'train.jsonl');
  if (existsSync(rumed)) {
    for (const v of readVisits(rumed, { requireCode: true })) {
      let list = complaints.get(v.code!);
      if (!list) complaints.set(v.code!, (list = []));
      list.push(v.symptoms);
    }
    files.push({ path: 'rumedtop3/train.jsonl', sha256: createHash('sha256').update(readFileSync(rumed)).digest('hex') });
  }
  return { codes: dict.codes, documents, mentions, complaints, files };
}

/** How often each normalised mention text carries each code in the training documents. */
function documentsMentions(layers: readonly LayerAnnotations[], train: ReadonlySet<string>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const layer of layers) {
    if (!train.has(layer.documentId)) continue;
    for (const m of layer.mentions) {
      if (!m.code) continue;
      const key = normalizeText(m.text);
      let row = out.get(key);
      if (!row) out.set(key, (row = new Map()));
      row.set(m.code, (row.get(m.code) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * Per code, the mention strings whose text most often carries that code in training (RuCCoD's
 * annotators link the same text to different codes — 50 % agreement on exact codes): a synthetic
 * conclusion should *say* its true code, so a text is used for the code it usually means. A code
 * without such a text keeps all of its mention strings.
 */
function unambiguousMentions(mentionSets: ReadonlyMap<string, ReadonlySet<string>>, usage: ReadonlyMap<string, ReadonlyMap<string, number>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [code, texts] of mentionSets) {
    const all = [...texts].sort();
    const clear = all.filter((t) => {
      const row = usage.get(normalizeText(t));
      if (!row) return false;
      const mine = row.get(code) ?? 0;
      for (const n of row.values()) if (n > mine) return false;
      return true;
    });
    out.set(code, clear.length > 0 ? clear : all);
  }
  return out;
}
