import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinearPredictor } from '../../src/pipeline/prediction/linear/LinearPredictor.js';
import { loadLinearPredictor, saveLinearPredictor } from '../../src/pipeline/prediction/linear/linearModelFiles.js';
import type { PredictConfig } from '../../src/pipeline/prediction/linear/predictConfig.js';
import { examples, train, tinyConfig } from './tinyVisits.js';
import { evaluateTopK } from '../../src/pipeline/prediction/training/evaluateTopK.js';

/** A config for 12 hand-written visits: every term counts (min df 1), history blocks included. */
const tiny = (loss: 'softmax' | 'sigmoid'): PredictConfig => tinyConfig(loss, true);

const unseen = [
  { complaints: 'Насморк и першение в горле', code: 'J06' },
  { complaints: 'Боль в пояснице после нагрузки', code: 'M54' },
  { complaints: 'Изжога вечером', code: 'K29' },
];

describe('LinearPredictor.train(): a separable hand-written set', () => {
  for (const loss of ['softmax', 'sigmoid'] as const) {
    it(`learns every training visit and three unseen ones (${loss})`, () => {
      const p = LinearPredictor.train('tiny', examples, tiny(loss));
      expect(p.labels).toEqual(['J06', 'K29', 'M54']);
      expect(train.map((v) => p.predict({ complaints: v.symptoms }, 1)[0]!.code)).toEqual(train.map((v) => v.code));
      expect(unseen.map((u) => p.predict({ complaints: u.complaints }, 1)[0]!.code)).toEqual(['J06', 'M54', 'K29']);
    });
  }

  it('returns k ranked codes with softmax probabilities summing to 1', () => {
    const p = LinearPredictor.train('tiny', examples, tiny('softmax'));
    const top = p.predict({ complaints: 'кашель' }, 5);
    expect(top.map((t) => t.code)).toHaveLength(3);
    expect(top[0]!.code).toBe('J06');
    expect(top[0]!.probability).toBeGreaterThan(top[1]!.probability);
    expect(top.reduce((s, t) => s + t.probability, 0)).toBeCloseTo(1, 6);
    expect(p.predict({ complaints: 'кашель' }, 0)).toEqual([]);
  });

  it('is deterministic for a seed', () => {
    const a = LinearPredictor.train('tiny', examples, tiny('softmax'));
    const b = LinearPredictor.train('tiny', examples, tiny('softmax'));
    expect(b.model.weights).toEqual(a.model.weights);
  });

  it('learns from earlier visits: an earlier code decides between two identical complaints', () => {
    const hist = [
      { history: { complaints: 'Головная боль', earlier: [{ codes: ['I10'] }] }, codes: ['I11'] },
      { history: { complaints: 'Головная боль', earlier: [{ codes: ['G43'] }] }, codes: ['G43'] },
      { history: { complaints: 'Головная боль по утрам', earlier: [{ codes: ['I10'] }] }, codes: ['I11'] },
      { history: { complaints: 'Головная боль по утрам', earlier: [{ codes: ['G43'] }] }, codes: ['G43'] },
    ];
    const p = LinearPredictor.train('hist', hist, tiny('sigmoid'));
    expect(p.predict({ complaints: 'Головная боль', earlier: [{ codes: ['I10'] }] }, 1)[0]!.code).toBe('I11');
    expect(p.predict({ complaints: 'Головная боль', earlier: [{ codes: ['G43'] }] }, 1)[0]!.code).toBe('G43');
  });

  it('still learns the set with feature dropout, deterministically', () => {
    const cfg = { ...tiny('softmax'), linear: { ...tiny('softmax').linear, dropout: 0.2 } };
    const a = LinearPredictor.train('drop', examples, cfg);
    expect(unseen.map((u) => a.predict({ complaints: u.complaints }, 1)[0]!.code)).toEqual(['J06', 'M54', 'K29']);
    expect(LinearPredictor.train('drop', examples, cfg).model.weights).toEqual(a.model.weights);
  });

  it('adds a naive Bayes component that still learns the set', () => {
    const cfg = { ...tiny('softmax'), naiveBayes: { kind: 'complement' as const, alpha: 0.3, weight: 100 } };
    const p = LinearPredictor.train('nb', examples, cfg);
    expect(unseen.map((u) => p.predict({ complaints: u.complaints }, 1)[0]!.code)).toEqual(['J06', 'M54', 'K29']);
  });
});

describe('saveLinearPredictor() / loadLinearPredictor()', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'icdkg-dp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const p = LinearPredictor.train('tiny', examples, tiny('softmax'));
  const extras = { training: { files: [{ path: 'rumedtop3/train.jsonl', sha256: 'x', examples: 12 }], seconds: 0.1 }, evaluation: { files: [] }, metrics: { dev: { accuracy: 1 } } };

  it('gives the same probabilities to 6 digits after a round trip', () => {
    const manifest = saveLinearPredictor(path.join(dir, 'm'), p, extras);
    expect(manifest).toMatchObject({ task: 'diagnosis-prediction', labels: ['J06', 'K29', 'M54'], features: p.vectorizer.size, classes: 3 });
    const { predictor: q, manifest: m2 } = loadLinearPredictor(path.join(dir, 'm'));
    expect(m2).toEqual(manifest);
    for (const u of unseen) {
      const a = [...p.probabilities({ complaints: u.complaints })].map((v) => v.toFixed(6));
      const b = [...q.probabilities({ complaints: u.complaints })].map((v) => v.toFixed(6));
      expect(b).toEqual(a);
    }
  });

  it('refuses corrupted weights and a foreign manifest, naming the file', () => {
    saveLinearPredictor(path.join(dir, 'c'), p, extras);
    const w = path.join(dir, 'c', 'weights.f32');
    const bytes = readFileSync(w);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(w, bytes);
    expect(() => loadLinearPredictor(path.join(dir, 'c'))).toThrow(`${w}: checksum mismatch`);
    writeFileSync(path.join(dir, 'c', 'manifest.json'), JSON.stringify({ task: 'ner', kind: 'onnx' }));
    expect(() => loadLinearPredictor(path.join(dir, 'c'))).toThrow(/not a linear diagnosis-prediction model/);
  });
});

describe('evaluateTopK()', () => {
  it('counts accuracy on the first code and hit@k on the first k', () => {
    expect(evaluateTopK([['A', 'B', 'C'], ['B', 'A', 'C'], ['C', 'D', 'E'], ['A', 'B', 'C']], ['A', 'A', 'A', 'C'], 3)).toEqual({
      accuracy: 0.25,
      hitAtK: 0.75,
      k: 3,
      n: 4,
    });
  });
});
