import { describe, expect, it } from 'vitest';
import { Normalizer } from '../../src/pipeline/coding/lexical/Normalizer.js';
import { CandidateFeaturizer, FEATURE_NAMES } from '../../src/pipeline/coding/rerank/candidateFeatures.js';
import { GbdtRanker } from '../../src/pipeline/coding/rerank/GbdtRanker.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { CODE_SET_FEATURES, CodeSetDecider } from '../../src/pipeline/coding/rerank/CodeSetDecider.js';
import { MeanRanker } from '../../src/pipeline/coding/rerank/Reranker.js';
import { SoftmaxRanker } from '../../src/pipeline/coding/rerank/SoftmaxRanker.js';
import type { RankerGroup } from '../../src/pipeline/coding/rerank/SoftmaxRanker.js';
import { lexicalCoderFromModel, trainLexicalCoder, DEFAULT_HYPER_PARAMETERS } from '../../src/pipeline/coding/training/trainLexicalCoder.js';
import type { TrainingDocument } from '../../src/pipeline/coding/training/trainLexicalCoder.js';


/**
 * Groups of 5 candidates with 3 features; the right one has the largest x0, except in groups where
 * the flag x2 is on for all candidates: then the largest x1 (an interaction a linear ranker cannot express).
 */
function syntheticGroups(n: number, seed: number): RankerGroup[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const flag = r() < 0.5 ? 1 : 0;
    const rows = Array.from({ length: 5 }, () => Float64Array.from([r(), r(), flag]));
    const key = flag ? 1 : 0;
    let best = 0;
    rows.forEach((x, i) => {
      if (x[key]! > rows[best]![key]!) best = i;
    });
    return { rows, positive: rows.map((_, i) => i === best) };
  });
}

function accuracy(ranker: { probabilities(rows: readonly Float64Array[]): number[] }, groups: RankerGroup[]): number {
  let right = 0;
  for (const g of groups) {
    const p = ranker.probabilities(g.rows);
    const best = p.indexOf(Math.max(...p));
    if (g.positive[best]) right++;
  }
  return right / groups.length;
}

const NAMES = ['x0', 'x1', 'flag'];

describe('rankers: softmax over one mention\'s candidates', () => {
  const train = syntheticGroups(1500, 1);
  const test = syntheticGroups(500, 2);
  const linear = SoftmaxRanker.train(train, NAMES);
  const gbdt = GbdtRanker.train(train, NAMES);

  it('the linear ranker learns the main rule, the boosted trees also the interaction, out of sample', () => {
    const lin = accuracy(linear, test);
    const trees = accuracy(gbdt, test);
    // Chance is 0.2; following x0 alone is right about 0.6 of the time (every unflagged group, a fifth of the flagged).
    expect(lin).toBeGreaterThan(0.5);
    expect(trees).toBeGreaterThan(0.9);
    expect(trees).toBeGreaterThan(lin + 0.2);
  });

  it('gives probabilities that sum to one, and reads back from JSON to the same probabilities', () => {
    const rows = test[0]!.rows;
    for (const r of [linear, gbdt]) expect(r.probabilities(rows).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const back = GbdtRanker.fromJSON(JSON.parse(JSON.stringify(gbdt.toJSON())), NAMES);
    back.probabilities(rows).forEach((p, i) => expect(p).toBeCloseTo(gbdt.probabilities(rows)[i]!, 5));
    const lback = SoftmaxRanker.fromJSON(JSON.parse(JSON.stringify(linear.toJSON())), NAMES);
    lback.probabilities(rows).forEach((p, i) => expect(p).toBeCloseTo(linear.probabilities(rows)[i]!, 5));
  });

  it('scores with compiled trees exactly as walking them, and refuses a tree with a non-numeric node', () => {
    const r = mulberry32(9);
    for (let i = 0; i < 500; i++) {
      const x = Float64Array.from([r() * 1.2 - 0.1, r() * 1.2 - 0.1, r() < 0.5 ? 1 : 0]);
      expect(gbdt.score(x)).toBe(gbdt.walk(x));
    }
    const json = gbdt.toJSON();
    const bad = { ...json, trees: [{ ...json.trees[0]!, threshold: json.trees[0]!.threshold.map(() => Number.NaN) }] };
    expect(() => GbdtRanker.fromJSON(bad, NAMES)).toThrow(/invalid feature or threshold/);
    const injected = { ...json, trees: [{ ...json.trees[0]!, feature: json.trees[0]!.feature.map((f) => (f >= 0 ? ('0]; process.exit(1); x[' as unknown as number) : f)) }] };
    // Typed arrays turn a smuggled string into a number before it could reach the source.
    expect(Number.isFinite(GbdtRanker.fromJSON(injected, NAMES).score(Float64Array.from([0.5, 0.5, 1])))).toBe(true);
  });

  it('refuses a model made for other features', () => {
    expect(() => GbdtRanker.fromJSON(gbdt.toJSON(), ['x0', 'x1'])).toThrow(/do not match/);
    expect(() => SoftmaxRanker.fromJSON(linear.toJSON(), ['x0', 'x1', 'other'])).toThrow(/rebuild the coder/);
  });

  it('MeanRanker averages its rankers\' probabilities', () => {
    const rows = test[1]!.rows;
    const a = linear.probabilities(rows);
    const b = gbdt.probabilities(rows);
    new MeanRanker([linear, gbdt]).probabilities(rows).forEach((p, i) => expect(p).toBeCloseTo((a[i]! + b[i]!) / 2, 12));
  });
});

describe('CandidateFeaturizer', () => {
  const prior = new Map([['K29.5', 6], ['K29.0', 2], ['K29.3', 1], ['K29', 1], ['I25.9', 4]]);
  const titles = new Map([
    ['K29', 'Гастрит и дуоденит'],
    ['K29.0', 'Острый геморрагический гастрит'],
    ['K29.3', 'Хронический поверхностный гастрит'],
    ['K29.5', 'Хронический гастрит неуточненный'],
    ['K29.9', 'Гастродуоденит неуточненный'],
    ['I25.9', 'Хроническая ишемическая болезнь сердца неуточненная'],
  ]);
  const featurizer = new CandidateFeaturizer(prior, titles, new Normalizer(new Map()));
  const evidence = { exact: new Map([['K29.5', 3]]), exactTotal: 3, stem: new Map([['K29.5', 3]]), stemTotal: 3 };
  const candidates = [{ code: 'K29.5', score: 1, source: 'CORPUS' as const, name: 'хронический гастрит' }];
  const tops = [candidates[0]!, { code: 'I25.9', score: 0.9, source: 'CORPUS' as const, name: 'ибс' }];
  const featured = featurizer.featurize('Хронический гастрит', candidates, evidence, { tops }, 0);
  const value = (code: string, name: (typeof FEATURE_NAMES)[number]): number => featured.find((f) => f.candidate.code === code)!.features[FEATURE_NAMES.indexOf(name)]!;

  it('offers the top candidate\'s category and its most used subcategories besides the linker\'s list', () => {
    expect(featured.map((f) => [f.candidate.code, f.added])).toEqual([
      ['K29.5', false],
      ['K29', true],
      ['K29.0', true],
      ['K29.3', true],
    ]);
    for (const f of featured) expect(f.features).toHaveLength(FEATURE_NAMES.length);
  });

  it('describes evidence, granularity, title similarity and the document', () => {
    expect(value('K29.5', 'exactShare')).toBe(1);
    expect(value('K29.0', 'exactShare')).toBe(0);
    expect(value('K29.5', 'isSub')).toBe(1);
    expect(value('K29', 'isSub')).toBe(0);
    expect(value('K29', 'isCategoryOfTop')).toBe(1);
    expect(value('K29.3', 'titleWordCover')).toBe(1);
    expect(value('K29.0', 'titleWordCover')).toBe(0.5);
    expect(value('K29.5', 'titleDice')).toBeGreaterThan(value('K29', 'titleDice'));
    // The other mention's strong subcategory pick votes for subcategories.
    expect(value('K29.5', 'docSubVotesXsub')).toBeCloseTo(Math.log(2), 12);
    expect(value('K29', 'docSubVotesXcat')).toBeCloseTo(Math.log(2), 12);
  });
});

/** A corpus where a text's code depends on the document's other codes: enough spans to train a re-ranker. */
function corpus(): TrainingDocument[] {
  const r = mulberry32(7);
  const docs: TrainingDocument[] = [];
  for (let i = 0; i < 120; i++) {
    const parts: [string, string][] = [['Хронический гастрит', r() < 0.7 ? 'K29.5' : 'K29.3'], ['ИБС', 'I25.9']];
    if (r() < 0.5) parts.push(['Остеохондроз позвоночника', 'M42.9']);
    let text = '';
    const mentions: TrainingDocument['mentions'][number][] = [];
    for (const [m, code] of parts) {
      const start = text.length;
      text += `${m}. `;
      mentions.push({ start, end: start + m.length, text: m, code });
    }
    docs.push({ id: String(i), text: text.trim(), mentions });
  }
  return docs;
}

describe('trainLexicalCoder with the re-ranker', () => {
  const data = {
    titles: new Map([['K29.5', 'Хронический гастрит неуточненный'], ['K29.3', 'Хронический поверхностный гастрит'], ['I25.9', 'Хроническая ишемическая болезнь сердца неуточненная'], ['M42.9', 'Остеохондроз позвоночника неуточненный']]),
    names: [],
    abbreviations: new Map<string, string[]>(),
    documents: corpus(),
  };

  it('keeps the rules when there are too few out-of-fold spans to learn from', () => {
    const { model } = trainLexicalCoder(data, { ...DEFAULT_HYPER_PARAMETERS, rerankMinSpans: 100_000 });
    expect(model.rerankers).toBeUndefined();
  });

  it('trains both rankers out of fold, saves them, and the saved model codes as the trained coder does', () => {
    const { coder, model } = trainLexicalCoder(data, { ...DEFAULT_HYPER_PARAMETERS, rerankMinSpans: 100 });
    expect(model.rerankers!.map((r) => ('kind' in r ? r.kind : 'linear'))).toEqual(['gbdt', 'linear']);
    const texts = ['Хронический гастрит. ИБС.', 'Остеохондроз позвоночника. Хронический гастрит.'];
    const trained = coder.code(texts);
    const loaded = lexicalCoderFromModel(JSON.parse(JSON.stringify(model))).code(texts);
    expect(loaded.map((r) => r.codes)).toEqual(trained.map((r) => r.codes));
    expect(trained[0]!.codes).toEqual(['K29.5', 'I25.9']);
    // Entity scores are the re-ranker's probabilities.
    for (const e of trained.flatMap((r) => r.entities.filter((x) => x.code === x.candidates[0]?.code))) expect(e.candidates.reduce((s, c) => s + c.score, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('trains the document-level decider out of fold, with half the out-of-fold F1 as its threshold', () => {
    const { model } = trainLexicalCoder(data, { ...DEFAULT_HYPER_PARAMETERS, rerankMinSpans: 100 });
    expect(model.decider!.threshold).toBeGreaterThan(0.2);
    expect(model.decider!.threshold).toBeLessThanOrEqual(0.5);
    expect(trainLexicalCoder(data, { ...DEFAULT_HYPER_PARAMETERS, rerankMinSpans: 100, decideFolds: 0 }).model.decider).toBeUndefined();
  });

  it('adds the unpicked codes its decider finds likely, each on the span that offers it most', () => {
    const { model } = trainLexicalCoder(data, { ...DEFAULT_HYPER_PARAMETERS, rerankMinSpans: 100, decideFolds: 0 });
    // A decider that wants every unpicked code some span offers with probability over 0.02.
    const r = mulberry32(5);
    const at = (name: (typeof CODE_SET_FEATURES)[number]): number => CODE_SET_FEATURES.indexOf(name);
    const pairs = Array.from({ length: 4000 }, () => {
      const f = new Float64Array(CODE_SET_FEATURES.length);
      f[at('max_p')] = r() * r();
      f[at('picked')] = r() < 0.5 ? 1 : 0;
      f[at('pair')] = 1;
      return { features: f, gold: f[at('picked')] === 0 && f[at('max_p')]! > 0.02 };
    });
    const eager = lexicalCoderFromModel({ ...model, decider: CodeSetDecider.train(pairs, 0.5).toJSON() });
    const plain = lexicalCoderFromModel(model);
    const texts = ['Хронический гастрит. ИБС.', 'Остеохондроз позвоночника. Хронический гастрит.'];
    const withDecider = eager.code(texts, { topK: 20 });
    const explained = plain.explain(texts)!;
    let added = 0;
    texts.forEach((_, d) => {
      const own = explained[d]!.result;
      expect(plain.code(texts)[d]!.codes).toEqual(own.codes);
      // The picks stay, in front of the codes added.
      expect(withDecider[d]!.codes.filter((c) => own.codes.includes(c))).toEqual(own.codes);
      for (const code of withDecider[d]!.codes.filter((c) => !own.codes.includes(c))) {
        added++;
        const offers = explained[d]!.choices.map((s) => s.ranked.find((c) => c.code === code)?.score ?? 0);
        expect(Math.max(...offers)).toBeGreaterThan(0);
        const entity = withDecider[d]!.entities.find((e) => e.code === code)!;
        const span = offers.indexOf(Math.max(...offers));
        expect([entity.start, entity.end]).toEqual([explained[d]!.choices[span]!.start, explained[d]!.choices[span]!.end]);
      }
    });
    expect(added).toBeGreaterThan(0);
  });
});
