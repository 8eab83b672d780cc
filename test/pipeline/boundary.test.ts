import { describe, expect, it } from 'vitest';
import { BoundaryChooser, boundaryCandidates, boundaryFeatures, boundaryGroups, BOUNDARY_FEATURE_NAMES } from '../../src/pipeline/coding/boundary/BoundaryChooser.js';
import { BoundaryStats } from '../../src/pipeline/coding/boundary/BoundaryStats.js';
import { B, O } from '../../src/pipeline/coding/lexical/bio/tags.js';
import { maxMarginals, viterbi } from '../../src/pipeline/coding/lexical/bio/viterbi.js';
import { taggedSpans } from '../../src/pipeline/coding/lexical/TaggerRecognizer.js';
import { tokenize } from '../../src/pipeline/coding/lexical/tokenize.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { DEFAULT_HYPER_PARAMETERS, lexicalCoderFromModel, trainLexicalCoder } from '../../src/pipeline/coding/training/trainLexicalCoder.js';
import type { TrainingDocument } from '../../src/pipeline/coding/training/trainLexicalCoder.js';

const feature = (name: (typeof BOUNDARY_FEATURE_NAMES)[number]): number => BOUNDARY_FEATURE_NAMES.indexOf(name);

describe('boundary candidates and statistics', () => {
  const tokens = tokenize('Хронический гастрит, обострение.\nОРВИ');

  it('moves each end by at most `reach` tokens, within the room left by the neighbours, never across a line break', () => {
    // Tokens: 0 Хронический, 1 гастрит, 2 ",", 3 обострение, 4 ".", 5 ОРВИ (after a line break).
    const c = boundaryCandidates(tokens, [1, 1], 0, 4);
    expect(c[0]).toEqual([1, 1]);
    expect(c.map((s) => s.join('-')).sort()).toEqual(['0-1', '0-2', '1-1', '1-2']);
    expect(boundaryCandidates(tokens, [1, 1], 1, 1)).toEqual([[1, 1]]);
    expect(boundaryCandidates(tokens, [4, 4], 0, 5).some(([, b]) => b === 5)).toBe(false);
    expect(boundaryCandidates(tokens, [1, 1], 0, 4, 2).length).toBeGreaterThan(c.length);
  });

  it('counts how often a string is marked where it occurs, and how tokens sit at mention edges', () => {
    const a = tokenize('Хронический гастрит. Гастрит.');
    const b = tokenize('Хронический гастрит, ремиссия.');
    // Doc a: "Хронический гастрит" marked, "Гастрит" marked; doc b: "гастрит" alone marked.
    const stats = BoundaryStats.build([
      { tokens: a, gold: [[0, 1], [3, 3]] },
      { tokens: b, gold: [[1, 1]] },
    ]);
    const [marked, seen] = stats.counts(a, 1, 1);
    expect(marked).toBe(2);
    expect(seen).toBe(3); // "гастрит" occurs three times in all
    expect(stats.counts(a, 0, 1)).toEqual([1, 2]);
    const chron = stats.token(a[0]!.stem)!;
    expect(chron).toMatchObject({ occurrences: 2, begins: 1, insides: 1, leftOutsides: 1 });
    const again = BoundaryStats.fromJSON(JSON.parse(JSON.stringify(stats.toJSON())) as ReturnType<BoundaryStats['toJSON']>);
    expect(again.counts(a, 0, 1)).toEqual([1, 2]);
    expect(again.token(a[0]!.stem)).toEqual(chron);
  });
});

describe('max-marginals', () => {
  it('score the Viterbi path at every token, and no path higher', () => {
    const r = mulberry32(3);
    const n = 6;
    const emit = Float64Array.from({ length: n * 3 }, () => r() * 2 - 1);
    const trans = Float64Array.from({ length: n * 9 }, () => r() * 2 - 1);
    const path = new Uint8Array(n);
    viterbi(n, emit, trans, path);
    const m = new Float64Array(n * 3);
    maxMarginals(n, emit, trans, m);
    let best = 0;
    let prev = O;
    for (let i = 0; i < n; i++) {
      best += emit[i * 3 + path[i]!]! + trans[(i * 3 + prev) * 3 + path[i]!]!;
      prev = path[i]!;
    }
    for (let i = 0; i < n; i++) {
      expect(m[i * 3 + path[i]!]).toBeCloseTo(best, 9);
      for (let c = 0; c < 3; c++) expect(m[i * 3 + c]!).toBeLessThanOrEqual(best + 1e-9);
    }
  });
});

describe('BoundaryChooser', () => {
  // Annotators mark "Хронический гастрит" whole; the tagger (here: fixed tags) found only "гастрит".
  const train = tokenize('Хронический гастрит. Хронический гастрит, ремиссия.');
  const stats = BoundaryStats.build([{ tokens: train, gold: [[0, 1], [3, 4]] }]);
  const text = tokenize('ОРВИ. Хронический гастрит.');
  const tags = [B, O, O, B, O];
  const flat = new Float64Array(text.length * 3);
  tags.forEach((t, i) => (flat[i * 3 + t] = 1));
  // A ranker that follows the annotators' marking rate of the candidate string.
  const byRate = { probabilities: (rows: readonly Float64Array[]) => rows.map((x) => Math.exp(10 * x[feature('markRate')]!)) };

  it('takes the candidate the ranker prefers, and leaves a span alone when nothing beats it', () => {
    const spans = taggedSpans(text, tags);
    expect(spans).toEqual([[0, 0], [3, 3]]);
    expect(new BoundaryChooser(stats, byRate).adjust(text, spans, flat)).toEqual([[0, 0], [2, 3]]);
  });

  it('may drop a span when "no mention" is a candidate, and labels it right only for a span overlapping no gold mention', () => {
    // A ranker that keeps a span only when annotators ever marked its string.
    const keepMarked = { probabilities: (rows: readonly Float64Array[]) => rows.map((x) => (x[feature('drop')] === 1 ? 0.5 : x[feature('everMarked')]! === 1 ? 1 : 0.1)) };
    expect(new BoundaryChooser(stats, keepMarked, 1, true).adjust(text, [[0, 0], [3, 3]], flat)).toEqual([[2, 3]]);
    const [spurious] = boundaryGroups(stats, text, [[0, 0]], flat, new Set(['2|3']), 1, true);
    expect(spurious!.positive[spurious!.positive.length - 1]).toBe(true);
    const [near] = boundaryGroups(stats, text, [[3, 3]], flat, new Set(['2|3']), 1, true);
    expect(near!.positive[near!.positive.length - 1]).toBe(false);
  });

  it('features the span itself first, and labels training groups by the gold spans', () => {
    const rows = boundaryFeatures(stats, text, flat, boundaryCandidates(text, [3, 3], 2, 4));
    expect(rows[0]![feature('original')]).toBe(1);
    expect(rows.slice(1).every((x) => x[feature('original')] === 0)).toBe(true);
    expect(rows.every((x) => x.length === BOUNDARY_FEATURE_NAMES.length)).toBe(true);
    const groups = boundaryGroups(stats, text, [[3, 3]], flat, new Set(['2|3']));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.positive[0]).toBe(false);
    expect(groups[0]!.positive.filter(Boolean)).toHaveLength(1);
  });
});

/** Documents where annotators always mark the modifier: "Хронический гастрит", never "гастрит" alone. */
function corpus(): TrainingDocument[] {
  const r = mulberry32(11);
  const parts: [string, string][] = [['Хронический гастрит', 'K29.5'], ['ИБС', 'I25.9'], ['Остеохондроз позвоночника', 'M42.9'], ['Острый бронхит', 'J20.9']];
  return Array.from({ length: 100 }, (_, i) => {
    let text = '';
    const mentions: TrainingDocument['mentions'][number][] = [];
    for (const [m, code] of parts) {
      if (r() < 0.4) continue;
      const start = text.length;
      text += `${m}${r() < 0.5 ? ', ремиссия' : ''}. `;
      mentions.push({ start, end: start + m.length, text: m, code });
    }
    return { id: String(i), text: text.trim(), mentions };
  });
}

describe('trainLexicalCoder with the boundary choice', () => {
  const data = {
    titles: new Map([['K29.5', 'Хронический гастрит неуточненный'], ['I25.9', 'Хроническая ишемическая болезнь сердца'], ['M42.9', 'Остеохондроз позвоночника неуточненный'], ['J20.9', 'Острый бронхит неуточненный']]),
    names: [],
    abbreviations: new Map<string, string[]>(),
    documents: corpus(),
  };
  const hyper = { ...DEFAULT_HYPER_PARAMETERS, epochs: 4, bags: 1, rerankFolds: 0, boundaryFolds: 3 };

  it('is off without boundary folds', () => {
    expect(trainLexicalCoder(data, { ...hyper, boundaryFolds: 0 }).model.boundary).toBeUndefined();
  });

  it('saves its statistics and ranker, and the saved model codes exactly as the trained coder', () => {
    const { coder, model } = trainLexicalCoder(data, hyper);
    expect(model.boundary!.rankers).toHaveLength(1);
    expect(model.boundary!.reach).toBe(1);
    const texts = ['ИБС. Хронический гастрит, ремиссия.', 'Острый бронхит. Остеохондроз позвоночника.'];
    const trained = coder.code(texts);
    const loaded = lexicalCoderFromModel(JSON.parse(JSON.stringify(model))).code(texts);
    expect(loaded).toEqual(trained);
    expect(trained[0]!.entities.map((e) => e.text)).toEqual(['ИБС', 'Хронический гастрит']);
  });
});
