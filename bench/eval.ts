/**
 * `npm run bench:eval`: evaluates a 3,000-document corpus layer against another on the embedded
 * store with the full data (ICDKG_DATA_DIR): all tasks, strict and CATEGORY, with the per-code
 * table and frequency buckets, timed (median of several runs; the bar is 1 s).
 *
 * The second layer is the gold layer perturbed deterministically (every 7th mention dropped,
 * every 5th remaining one re-linked to a sibling code in the tree), written with `putLayer` to an
 * in-memory store (no journal).
 */
import { performance } from 'node:perf_hooks';
import { evaluateLayers } from '../src/evaluation/layerEvaluation.js';
import { frequencyBuckets } from '../src/evaluation/frequencyBuckets.js';
import type { Metrics } from '../src/evaluation/types.js';
import { MemoryStore } from '../src/graph/memory/MemoryStore.js';
import type { LayerAnnotations } from '../src/graph/model.js';
import { loadDataDir } from '../src/ingest/loadDataDir.js';

const RUNS = 7;
const CORPUS = 'ruccod';
const PREDICTED = 'system:perturbed';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('ICDKG_DATA_DIR is not set: running on the small sample (set it to ../shared/data for the real figures)');
const loadStart = performance.now();
const data = await loadDataDir(dataDir ?? './data');
const store = MemoryStore.open(data, { journalDir: null });
console.log(`loaded ${data.sample ? 'the sample' : data.dataDir} in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

const ids = await store.listDocumentIds(CORPUS, null);
const gold = await store.getLayer(CORPUS, 'gold', ids);

// Siblings by the tree: the children of each code's parent, in code order.
const goldCodes = [...new Set(gold.flatMap((d) => d.mentions.map((m) => m.code).filter((c): c is string => c !== null)))];
const nodes = await store.getCodes(goldCodes);
const parents = [...new Set(nodes.map((n) => n?.parent).filter((p): p is string => !!p))];
const children = await store.getChildren(parents);
const siblingsOf = new Map(parents.map((p, i) => [p, children[i]!.map((c) => c.code)]));
const parentOf = new Map(goldCodes.map((c, i) => [c, nodes[i]?.parent ?? null]));
function sibling(code: string): string {
  const sibs = siblingsOf.get(parentOf.get(code) ?? '') ?? [];
  if (sibs.length < 2) return code;
  return sibs[(sibs.indexOf(code) + 1) % sibs.length]!;
}

// The store keys mentions by id; RuCCoD reuses T ids and a T with two codes gives two mentions.
function uniqueIds<T extends { id: string }>(mentions: T[]): T[] {
  const seen = new Map<string, number>();
  return mentions.map((m) => {
    const n = (seen.get(m.id) ?? 0) + 1;
    seen.set(m.id, n);
    return n === 1 ? m : { ...m, id: `${m.id}#${n}` };
  });
}

let k = 0;
let dropped = 0;
let relinked = 0;
const perturbed: LayerAnnotations[] = gold.map((d) => ({
  documentId: d.documentId,
  layer: PREDICTED,
  codes: [],
  mentions: uniqueIds(d.mentions.flatMap((m) => {
    k++;
    if (k % 7 === 0) {
      dropped++;
      return [];
    }
    if (k % 5 === 0 && m.code) {
      const s = sibling(m.code);
      if (s !== m.code) relinked++;
      return [{ ...m, code: s }];
    }
    return [m];
  })),
}));
await store.putLayer(CORPUS, PREDICTED, perturbed);
console.log(`layer ${PREDICTED}: ${k} gold mentions, ${dropped} dropped, ${relinked} re-linked to a sibling`);

async function once() {
  const strict = await evaluateLayers(store, { corpus: CORPUS, gold: 'gold', predicted: PREDICTED });
  const category = await evaluateLayers(store, { corpus: CORPUS, gold: 'gold', predicted: PREDICTED, level: 'CATEGORY' });
  const tables = [strict, category].map((e) => ({
    rows: [...e.perCode].sort((a, b) => b.support - a.support || (a.code < b.code ? -1 : 1)),
    buckets: frequencyBuckets(e.perCode, { minCount: 15 }),
  }));
  return { strict, category, tables };
}

const times: number[] = [];
let last: Awaited<ReturnType<typeof once>> | null = null;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  last = await once();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;

const f = (x: number) => x.toFixed(3);
const row = (name: string, m: Metrics) =>
  `  ${name.padEnd(16)} P ${f(m.precision)}  R ${f(m.recall)}  F1 ${f(m.f1)}  acc ${f(m.accuracy)}  (tp ${m.tp}, fp ${m.fp}, fn ${m.fn})`;
for (const [label, e] of [['strict', last!.strict], ['CATEGORY', last!.category]] as const) {
  console.log(`${label}: ${e.documents} documents, document accuracy ${f(e.documentAccuracy)}`);
  console.log(row('NER', e.ner));
  console.log(row('NER + linking', e.nerLinking));
  console.log(row('code assignment', e.codeAssignment));
}
const strictTable = last!.tables[0]!;
console.log(`per-code (strict): ${strictTable.rows.length} codes; top 5 by support:`);
for (const c of strictTable.rows.slice(0, 5)) console.log(`  ${c.code.padEnd(8)} support ${String(c.support).padStart(4)}  P ${f(c.precision)}  R ${f(c.recall)}  F1 ${f(c.f1)}`);
console.log(
  `buckets (strict): top ${strictTable.buckets.top.codes.length} codes F1 ${f(strictTable.buckets.top.f1)}; bottom ${strictTable.buckets.bottom.codes.length} codes (>= 15 occurrences) F1 ${f(strictTable.buckets.bottom.f1)}`,
);
console.log(
  `time: evaluate ${ids.length} documents, all tasks, strict + CATEGORY + per-code tables: median ${median.toFixed(1)} ms over ${RUNS} runs (min ${times[0]!.toFixed(1)}, max ${times.at(-1)!.toFixed(1)}); bar 1000 ms: ${median <= 1000 ? 'PASS' : 'FAIL'}`,
);
await store.close();
