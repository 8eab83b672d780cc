import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { historyTerms } from '../../src/pipeline/prediction/linear/historyTerms.js';
import { loadLabelKnowledge } from '../../src/pipeline/prediction/linear/labelKnowledge.js';
import type { LabelKnowledge } from '../../src/pipeline/prediction/linear/labelKnowledge.js';
import { LinearPredictor } from '../../src/pipeline/prediction/linear/LinearPredictor.js';
import { loadLinearPredictor, saveLinearPredictor } from '../../src/pipeline/prediction/linear/linearModelFiles.js';
import type { PredictConfig } from '../../src/pipeline/prediction/linear/predictConfig.js';
import { examples, fixtures, train, tinyConfig } from './tinyVisits.js';
import { styleTerms } from '../../src/pipeline/prediction/linear/styleTerms.js';
import { TfidfVectorizer } from '../../src/pipeline/prediction/linear/TfidfVectorizer.js';
import { mlpScores, trainMlp } from '../../src/pipeline/prediction/linear/trainMlp.js';

const tiny: PredictConfig = tinyConfig('softmax');

describe('styleTerms()', () => {
  it('gives the shape n-grams and the first words, by hand', () => {
    // 'Боль, 38' -> shape 'Aa, 9' -> padded '^Aa, 9$'.
    expect(styleTerms('Боль, 38')).toEqual([
      '^A', 'Aa', 'a,', ', ', ' 9', '9$',
      '^Aa', 'Aa,', 'a, ', ', 9', ' 9$',
      '^Aa,', 'Aa, ', 'a, 9', ', 9$',
      'F1_Боль,', 'F2_Боль,_38',
    ]);
    expect(styleTerms('а\nб')).toContain('NL');
  });

  it('is a block of historyTerms only when a style block is configured', () => {
    expect(historyTerms({ complaints: 'Боль' }, tiny.features).style).toBeUndefined();
    const withStyle = { ...tiny.features, blocks: [...tiny.features.blocks, { name: 'style', minDf: 1, weight: 0.3 }] };
    expect(historyTerms({ complaints: 'Боль' }, withStyle).style).toEqual(styleTerms('Боль'));
  });
});

describe('loadLabelKnowledge() on a hand-written data folder', () => {
  const k = loadLabelKnowledge(path.join(fixtures, 'knowledge'), ['J06', 'K29', 'M54']);

  it('finds each label block (narrowest range) and chapter (widest range)', () => {
    expect([...k.block]).toEqual([['J06', 'J00-J06'], ['K29', 'K20-K31'], ['M54', 'M50-M54']]);
    expect([...k.chapter]).toEqual([['J06', 'J00-J99'], ['K29', 'K00-K93'], ['M54', 'M00-M99']]);
  });

  it('collects the titles of each label and its subcodes, then the linked mentions', () => {
    expect(k.texts.get('J06')).toEqual([
      'Острые инфекции верхних дыхательных путей',
      'Острая инфекция верхних дыхательных путей неуточненная',
      'Острый ринофарингит',
    ]);
    expect(k.texts.get('K29')).toEqual(['Гастрит и дуоденит']);
    expect(k.texts.get('M54')).toEqual(['Дорсалгия', 'Боль внизу спины', 'Люмбалгия']);
    expect(k.sources.map((s) => [s.path, s.examples])).toEqual([
      [path.join('ruccod', 'mkb2descr.yaml'), 13],
      [path.join('ruccod', 'train'), 2],
    ]);
  });
});

describe('LinearPredictor.train() with label knowledge', () => {
  const knowledge = (over: Partial<LabelKnowledge>): LabelKnowledge => ({
    texts: new Map(),
    block: new Map([['J06', 'X'], ['K29', 'X'], ['M54', 'Y']]),
    chapter: new Map(),
    sources: [],
    ...over,
  });
  const logRatio = (p: Float64Array, a: number, b: number): number => Math.log(p[a]! / p[b]!);

  it('with zero weights it is exactly the model without knowledge', () => {
    const plain = LinearPredictor.train('t', examples, tiny);
    const zero = LinearPredictor.train('t', examples, { ...tiny, knowledge: { pseudoWeight: 0, block: 0, chapter: 0 } }, knowledge({}));
    expect(zero.model.weights).toEqual(plain.model.weights);
  });

  it('folds a block model in: same-block score differences stay, cross-block ones move', () => {
    const plain = LinearPredictor.train('t', examples, tiny);
    const folded = LinearPredictor.train('t', examples, { ...tiny, knowledge: { pseudoWeight: 0, block: 1, chapter: 0 } }, knowledge({}));
    const input = { complaints: 'кашель и боль в пояснице' };
    const a = plain.probabilities(input);
    const b = folded.probabilities(input);
    // Labels in order J06 (0), K29 (1), M54 (2); J06 and K29 share block X.
    expect(logRatio(b, 0, 1)).toBeCloseTo(logRatio(a, 0, 1), 4);
    expect(Math.abs(logRatio(b, 0, 2) - logRatio(a, 0, 2))).toBeGreaterThan(0.01);
  });

  it('trains on knowledge texts as weighted examples of their label', () => {
    const cfg = { ...tiny, knowledge: { pseudoWeight: 20, block: 0, chapter: 0 } };
    const p = LinearPredictor.train('t', examples, cfg, knowledge({ texts: new Map([['M54', ['кашель']]]) }));
    expect(LinearPredictor.train('t', examples, tiny).predict({ complaints: 'кашель' }, 1)[0]!.code).toBe('J06');
    expect(p.predict({ complaints: 'кашель' }, 1)[0]!.code).toBe('M54');
  });
});

describe('the network member', () => {
  const labels = ['J06', 'K29', 'M54'];
  const docs = train.map((v) => historyTerms({ complaints: v.symptoms }, tiny.features));
  const vec = TfidfVectorizer.fit(docs, tiny.features.blocks);
  const xs = docs.map((d) => vec.transform(d));
  const ys = train.map((v) => labels.indexOf(v.code!));
  const opts = { hidden: 16, epochs: 40, learningRate: 0.2, dropout: 0, seed: 3 };

  it('trainMlp() learns the hand-written set, deterministically', () => {
    const m = trainMlp(xs, ys, vec.size, 3, opts);
    const out = new Float64Array(3);
    const predicted = xs.map((x) => {
      mlpScores(m, x, out);
      return out.indexOf(Math.max(...out));
    });
    expect(predicted).toEqual(ys);
    expect(trainMlp(xs, ys, vec.size, 3, opts).w1).toEqual(m.w1);
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'icdkg-dp-mlp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cfg: PredictConfig = { ...tiny, mlp: { ...opts, weight: 0.5 } };
  const p = LinearPredictor.train('mlp', examples, cfg);
  const extras = { training: { files: [], seconds: 0 }, evaluation: { files: [] }, metrics: {} };

  it('is trained for softmax models only, and its logits move the probabilities', () => {
    expect(p.mlp).not.toBeNull();
    expect(LinearPredictor.train('s', examples, { ...cfg, linear: { ...cfg.linear, loss: 'sigmoid' } }).mlp).toBeNull();
    const plain = LinearPredictor.train('mlp', examples, tiny);
    expect(plain.model.weights).toEqual(p.model.weights);
    expect(p.probabilities({ complaints: 'кашель' })[0]).not.toBeCloseTo(plain.probabilities({ complaints: 'кашель' })[0]!, 6);
  });

  it('round-trips through a format-2 model folder and refuses a corrupted network file', () => {
    const manifest = saveLinearPredictor(path.join(dir, 'm'), p, extras);
    expect(manifest.format).toBe(2);
    expect(manifest.files.mlp).toBe('mlp.f32');
    const { predictor: q } = loadLinearPredictor(path.join(dir, 'm'));
    for (const text of ['кашель', 'изжога', 'боль в спине']) {
      expect([...q.probabilities({ complaints: text })].map((v) => v.toFixed(6))).toEqual([...p.probabilities({ complaints: text })].map((v) => v.toFixed(6)));
    }
    const f = path.join(dir, 'm', 'mlp.f32');
    const bytes = readFileSync(f);
    bytes[5] = bytes[5]! ^ 0xff;
    writeFileSync(f, bytes);
    expect(() => loadLinearPredictor(path.join(dir, 'm'))).toThrow(`${f}: checksum mismatch`);
  });

  it('writes a model without a network as format 1', () => {
    expect(saveLinearPredictor(path.join(dir, 'plain'), LinearPredictor.train('t', examples, tiny), extras).format).toBe(1);
  });
});
