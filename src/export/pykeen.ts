import { compareLayers } from '../evaluation/layerEvaluation.js';
import type { GraphStore } from '../graph/GraphStore.js';
import { mulberry32 } from '../util/mulberry32.js';
import { codeBatches, documentCodes, layerBatches, requireCorpusLayer } from './readGraph.js';

/** One (head, relation, tail) triple. */
export type Triple = [head: string, relation: string, tail: string];

export interface PykeenOptions {
  /** Add `CO_OCCURS` triples between codes found together in a document of this corpus's `layer`. */
  corpus?: string | null;
  layer?: string | null;
  /** Add `REPLACED_BY` triples from the transitions `from -> to` between two layers of `corpus`. */
  transitions?: { from: string; to: string } | null;
}

/**
 * The triples of the graph: `child PARENT parent` for every PARENT edge; with a corpus and layer,
 * `a CO_OCCURS b` (a < b) once per pair of codes found together in a document; with transitions,
 * `a REPLACED_BY b` once per transition between the two layers. Entities are codes.
 *
 * @example const triples = await pykeenTriples(store, {}); // [['A00', 'PARENT', 'A00-A09'], ...]
 */
export async function pykeenTriples(store: GraphStore, options: PykeenOptions = {}): Promise<Triple[]> {
  const triples: Triple[] = [];
  for await (const { codes } of codeBatches(store, false)) for (const c of codes) if (c.parent !== null) triples.push([c.code, 'PARENT', c.parent]);
  if (options.corpus && options.layer) {
    await requireCorpusLayer(store, options.corpus, options.layer);
    const pairs = new Set<string>();
    for await (const batch of layerBatches(store, options.corpus, options.layer)) {
      for (const doc of batch) {
        const codes = documentCodes(doc);
        for (let i = 0; i < codes.length; i++) for (let j = i + 1; j < codes.length; j++) pairs.add(`${codes[i]}\t${codes[j]}`);
      }
    }
    for (const p of [...pairs].sort()) {
      const [a, b] = p.split('\t') as [string, string];
      triples.push([a, 'CO_OCCURS', b]);
    }
  }
  if (options.corpus && options.transitions) {
    const { transitions } = await compareLayers(store, { corpus: options.corpus, a: options.transitions.from, b: options.transitions.to });
    for (const t of transitions) triples.push([t.from, 'REPLACED_BY', t.to]);
  }
  return triples;
}

/** The three splits of {@link splitTriples}. */
export interface TripleSplits {
  train: Triple[];
  valid: Triple[];
  test: Triple[];
}

/**
 * Splits triples into train / valid / test (fractions `ratios`, by a seeded shuffle) such that
 * every entity and every relation occurs in train (PyKEEN refuses evaluation triples with unseen
 * entities): first, in shuffled order, each triple that brings an entity or relation train lacks
 * goes to train; then valid and test are filled from the rest up to their shares; the remainder
 * is train. Deterministic for a seed.
 *
 * @example const { train, valid, test } = splitTriples(triples, [0.8, 0.1, 0.1], 42);
 */
export function splitTriples(triples: readonly Triple[], ratios: [number, number, number] = [0.8, 0.1, 0.1], seed = 42): TripleSplits {
  const rand = mulberry32(seed);
  const order = triples.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const seen = new Set<string>();
  const inTrain = new Uint8Array(triples.length);
  for (const i of order) {
    const [h, r, t] = triples[i]!;
    if (!seen.has(`e:${h}`) || !seen.has(`e:${t}`) || !seen.has(`r:${r}`)) {
      inTrain[i] = 1;
      seen.add(`e:${h}`).add(`e:${t}`).add(`r:${r}`);
    }
  }
  const total = ratios[0] + ratios[1] + ratios[2];
  const wantValid = Math.round((triples.length * ratios[1]) / total);
  const wantTest = Math.round((triples.length * ratios[2]) / total);
  const out: TripleSplits = { train: [], valid: [], test: [] };
  for (const i of order) {
    if (inTrain[i]) out.train.push(triples[i]!);
    else if (out.valid.length < wantValid) out.valid.push(triples[i]!);
    else if (out.test.length < wantTest) out.test.push(triples[i]!);
    else out.train.push(triples[i]!);
  }
  return out;
}

/**
 * Triples as PyKEEN reads them (`TriplesFactory.from_path`): `head<TAB>relation<TAB>tail` lines,
 * no header. Codes hold no tabs or newlines (checked, not assumed).
 *
 * @example triplesTsv([['I25.2', 'PARENT', 'I25']]) // 'I25.2\tPARENT\tI25\n'
 */
export function triplesTsv(triples: readonly Triple[]): string {
  let out = '';
  for (const t of triples) {
    for (const field of t) if (/[\t\r\n]/.test(field)) throw new Error(`a triple field holds a tab or a newline (${field.length} characters)`);
    out += `${t[0]}\t${t[1]}\t${t[2]}\n`;
  }
  return out;
}
