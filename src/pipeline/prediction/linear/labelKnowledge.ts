import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseAnn } from '../../../ingest/parseAnn.js';
import { parseIcdRange } from '../../../ingest/parseIcdRange.js';

/**
 * What is known about each label besides the training visits: texts that name its diagnoses and
 * its place in the ICD-10 hierarchy. Used by `LinearPredictor.train` (see
 * `PredictConfig.knowledge`): the texts become low-weight pseudo-examples, the groups train
 * block- and chapter-level models whose scores are added to their member labels'.
 */
export interface LabelKnowledge {
  /** Label -> texts naming its diagnoses (dictionary titles of the code and its subcodes, coders'
   * mentions linked to them). */
  texts: ReadonlyMap<string, readonly string[]>;
  /** Label -> its block (the narrowest dictionary range containing it), e.g. `M54` -> `M50-M54`. */
  block: ReadonlyMap<string, string>;
  /** Label -> its chapter (the widest range containing it), e.g. `M54` -> `M00-M99`. */
  chapter: ReadonlyMap<string, string>;
  /** The files read, relative to the data folder, with content hashes and counts (for manifests). */
  sources: { path: string; sha256: string; examples: number }[];
}

/** Where the knowledge lives inside a data folder (`ICDKG_DATA_DIR`). */
export const LABEL_KNOWLEDGE_FILES = {
  dictionary: path.join('ruccod', 'mkb2descr.yaml'),
  mentions: path.join('ruccod', 'train'),
} as const;

/** Whether a code (`M54.5`, `M54`) is the label `M54` or one of its subcodes. */
function underLabel(code: string, label: string): boolean {
  return code === label || code.startsWith(`${label}.`);
}

/**
 * Reads label knowledge for ICD-10 category labels (`M54`) from a data folder: titles from the
 * RuCCoD ICD-10 dictionary (`ruccod/mkb2descr.yaml`; its ranges `M50-M54` give block and
 * chapter) and the mentions of the RuCCoD training corpus (`ruccod/train/*.ann`, a different data
 * set from RuMedTop3: conclusions, not complaints) linked to the label or its subcodes. The
 * mentions folder is optional (absent: titles only). Synchronous (about 2 s: the dictionary is
 * parsed by the `yaml` package) so that training stays a plain function.
 *
 * @example loadLabelKnowledge('../shared/data', ['M54']).block.get('M54') -> 'M50-M54'
 */
export function loadLabelKnowledge(dataDir: string, labels: readonly string[]): LabelKnowledge {
  const dictFile = path.join(dataDir, LABEL_KNOWLEDGE_FILES.dictionary);
  const dictText = readFileSync(dictFile, 'utf8');
  // The failsafe schema keeps every scalar a string (codes such as `00` stay text).
  const dict = parse(dictText, { schema: 'failsafe' }) as Record<string, string>;
  const entries = Object.entries(dict).map(([k, v]) => [k.trim(), String(v)] as const);
  const ranges = entries.flatMap(([k]) => {
    const r = parseIcdRange(k);
    // Width in categories, letters counting 100: `M50-M54` is 4, `A00-B99` 199.
    return r ? [{ key: k, ...r, width: (r.to.charCodeAt(0) - r.from.charCodeAt(0)) * 100 + Number(r.to.slice(1)) - Number(r.from.slice(1)) }] : [];
  });
  const texts = new Map<string, string[]>(labels.map((l) => [l, []]));
  const block = new Map<string, string>();
  const chapter = new Map<string, string>();
  for (const label of labels) {
    const containing = ranges.filter((r) => r.from <= label && label <= r.to).sort((a, b) => a.width - b.width || a.key.localeCompare(b.key));
    if (containing.length > 0) {
      block.set(label, containing[0]!.key);
      chapter.set(label, containing[containing.length - 1]!.key);
    }
  }
  // Titles: each label's own and its subcodes', in dictionary order.
  const byCategory = new Map<string, string>();
  for (const label of labels) byCategory.set(label, label);
  for (const [code, title] of entries) {
    const category = byCategory.get(code.slice(0, 3));
    if (category && underLabel(code, category) && title.trim() !== '') texts.get(category)!.push(title.replace(/\s+/g, ' ').trim());
  }
  const sources = [{ path: LABEL_KNOWLEDGE_FILES.dictionary, sha256: createHash('sha256').update(dictText).digest('hex'), examples: entries.length }];
  const mentionDir = path.join(dataDir, LABEL_KNOWLEDGE_FILES.mentions);
  if (existsSync(mentionDir)) {
    const hash = createHash('sha256');
    let mentions = 0;
    const ids = readdirSync(mentionDir)
      .filter((f) => f.endsWith('.ann'))
      .map((f) => f.slice(0, -4))
      .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
    for (const id of ids) {
      const ann = readFileSync(path.join(mentionDir, `${id}.ann`), 'utf8');
      const txt = readFileSync(path.join(mentionDir, `${id}.txt`), 'utf8');
      hash.update(`${id}\n`).update(ann).update(txt);
      for (const m of parseAnn(ann, txt, `${LABEL_KNOWLEDGE_FILES.mentions}/${id}.ann`)) {
        if (!m.code) continue;
        const category = byCategory.get(m.code.slice(0, 3));
        if (category && underLabel(m.code, category)) {
          texts.get(category)!.push(m.text);
          mentions++;
        }
      }
    }
    sources.push({ path: LABEL_KNOWLEDGE_FILES.mentions, sha256: hash.digest('hex'), examples: mentions });
  }
  return { texts, block, chapter, sources };
}
