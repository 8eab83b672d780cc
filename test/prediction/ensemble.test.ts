import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pairedBootstrap } from '../../src/evaluation/pairedBootstrap.js';
import { OnnxModel } from '../../src/pipeline/backends/OnnxModel.js';
import { OnnxMultiLabelClassifier } from '../../src/pipeline/prediction/onnx/OnnxMultiLabelClassifier.js';
import { EnsemblePredictor } from '../../src/pipeline/prediction/ensemble/EnsemblePredictor.js';
import type { BatchProbabilityModel, HistoryProbabilityModel } from '../../src/pipeline/prediction/ensemble/EnsemblePredictor.js';
import { LinearPredictor } from '../../src/pipeline/prediction/linear/LinearPredictor.js';
import { saveLinearPredictor } from '../../src/pipeline/prediction/linear/linearModelFiles.js';
import { loadDpModel } from '../../src/pipeline/prediction/ensemble/loadDpModel.js';
import { attachNeuralMember, loadNeuralMember } from '../../src/pipeline/prediction/ensemble/neuralMember.js';
import type { PredictConfig } from '../../src/pipeline/prediction/linear/predictConfig.js';

const MODELS = path.join(import.meta.dirname, '..', '..', 'models');
const tmp = mkdtempSync(path.join(tmpdir(), 'icdkg-ensemble-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const linearOf = (labels: string[], p: number[]): HistoryProbabilityModel => ({ labels, probabilities: () => Float64Array.from(p) });
const memberOf = (labels: string[], p: number[]): BatchProbabilityModel => ({
  labels,
  probabilities: (texts) => Promise.resolve(texts.map(() => Float64Array.from(p))),
});

describe('EnsemblePredictor', () => {
  it('mean mode averages the members, matching labels by name', async () => {
    // The member lists its labels in another order: B's 0.9 must land on B.
    const e = new EnsemblePredictor('t', linearOf(['A', 'B'], [0.6, 0.4]), memberOf(['B', 'A'], [0.9, 0.1]), 0.5, 'mean');
    const [probs] = await e.probabilitiesMany([{ complaints: 'x' }]);
    expect(Array.from(probs!)).toEqual([expect.closeTo(0.35, 12), expect.closeTo(0.65, 12)]);
    expect((await e.predictMany([{ complaints: 'x' }], 1))[0]).toEqual([{ code: 'B', probability: expect.closeTo(0.65, 12) as number }]);
  });

  it('log mode is a renormalised weighted product', async () => {
    const e = new EnsemblePredictor('t', linearOf(['A', 'B'], [0.8, 0.2]), memberOf(['A', 'B'], [0.2, 0.8]), 0.25, 'log');
    const [probs] = await e.probabilitiesMany([{ complaints: 'x' }]);
    const a = 0.8 ** 0.75 * 0.2 ** 0.25;
    const b = 0.2 ** 0.75 * 0.8 ** 0.25;
    expect(probs![0]).toBeCloseTo(a / (a + b), 12);
    expect(probs![0]! + probs![1]!).toBeCloseTo(1, 12);
  });

  it('refuses members with other labels and weights outside [0, 1]', () => {
    expect(() => new EnsemblePredictor('t', linearOf(['A', 'B'], [1, 0]), memberOf(['A', 'C'], [1, 0]), 0.5, 'log')).toThrow(/labels differ/);
    expect(() => new EnsemblePredictor('t', linearOf(['A'], [1]), memberOf(['A'], [1]), 1.5, 'log')).toThrow(/weight/);
  });
});

describe('pairedBootstrap', () => {
  it('gives the means, a difference interval around it, and McNemar on discordant pairs', () => {
    const a = [1, 1, 1, 1, 1, 0, 0, 1, 0, 1];
    const b = [0, 0, 0, 0, 0, 0, 0, 1, 0, 1];
    const r = pairedBootstrap(a, b, { samples: 500, seed: 3 });
    expect(r.a.mean).toBeCloseTo(0.7, 12);
    expect(r.b.mean).toBeCloseTo(0.2, 12);
    expect(r.difference.mean).toBeCloseTo(0.5, 12);
    expect(r.difference.ci.low).toBeLessThanOrEqual(0.5);
    expect(r.difference.ci.high).toBeGreaterThanOrEqual(0.5);
    expect(r.difference.ci.low).toBeGreaterThan(0);
    // 5 discordant pairs, all for a: two-sided exact p = 2 / 2^5.
    expect(r.mcnemar).toEqual({ aOnly: 5, bOnly: 0, p: 0.0625 });
    expect(pairedBootstrap(a, b, { samples: 500, seed: 3 })).toEqual(r);
    expect(pairedBootstrap(b, b, { samples: 50 }).mcnemar.p).toBe(1);
    expect(() => pairedBootstrap([1], [1, 0])).toThrow(/length/);
  });
});

describe('softmax activation of a multi-label-classification model', () => {
  it('turns the logits of one text into one distribution', async () => {
    const dir = path.join(tmp, 'softmax-model');
    const src = path.join(MODELS, 'tiny-multilabel');
    mkdirSync(dir, { recursive: true });
    for (const f of ['model.onnx', 'tokenizer.json', 'tokenizer_config.json']) {
      copyFileSync(path.join(src, f), path.join(dir, f));
    }
    const manifest = JSON.parse(readFileSync(path.join(src, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, activation: 'softmax', threshold: 0 }));
    const classifier = new OnnxMultiLabelClassifier(await OnnxModel.load(dir, { device: 'cpu' }));
    // Logits for "артериальная гипертензия": I10 1, the three others -1 (see test/onnx/tinyModels.test.ts).
    const [row] = await classifier.classify(['артериальная гипертензия']);
    const top = Math.E / (Math.E + 3 / Math.E);
    expect(row!.map((l) => l.label)).toEqual(['I10', 'E11.9', 'I20.8', 'I25.9']);
    expect(row![0]!.probability).toBeCloseTo(top, 6);
    expect(row!.reduce((s, l) => s + l.probability, 0)).toBeCloseTo(1, 6);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, activation: 'tanh' }));
    await expect(OnnxModel.load(dir, { device: 'cpu' })).rejects.toThrow(/"activation" must be "sigmoid" or "softmax"/);
  });
});

describe('a dp model folder with a neural member (loadDpModel)', () => {
  const config: PredictConfig = {
    features: {
      wordNgrams: [1, 1],
      charNgrams: [3, 4],
      stem: true,
      blocks: [
        { name: 'word', minDf: 1, weight: 1 },
        { name: 'char', minDf: 1, weight: 1 },
      ],
    },
    linear: { loss: 'softmax', epochs: 20, learningRate: 0.5, l2: 1e-4, seed: 1 },
    naiveBayes: null,
  };
  const examples = [
    { history: { complaints: 'повышение давления, головная боль' }, codes: ['I10'] },
    { history: { complaints: 'давящие боли за грудиной' }, codes: ['I20.8'] },
    { history: { complaints: 'одышка, боли в сердце' }, codes: ['I25.9'] },
    { history: { complaints: 'жажда, сухость во рту' }, codes: ['E11.9'] },
  ];

  it('combines the linear model with the ONNX member, checks its checksum, and works without one', async () => {
    const dir = path.join(tmp, 'dp');
    const linear = LinearPredictor.train('dp', examples, config);
    saveLinearPredictor(dir, linear, { training: { files: [], seconds: 0 }, evaluation: { files: [] }, metrics: {} });
    const alone = await loadDpModel(dir, 'cpu');
    expect(alone.ensemble).toBeNull();
    const histories = examples.map((e) => e.history);
    expect(await alone.predictMany(histories, 1)).toEqual(histories.map((h) => linear.predict(h, 1)));

    const file = await attachNeuralMember(dir, path.join(MODELS, 'tiny-multilabel'), 0.3, 'log');
    expect(file).toMatchObject({ member: 'neural', weight: 0.3, mode: 'log', memberSha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string });
    const both = await loadDpModel(dir, 'cpu');
    expect(both.ensemble).not.toBeNull();
    const member = await loadNeuralMember(path.join(dir, 'neural'), 'cpu');
    const [nn] = await member.probabilities(['артериальная гипертензия']);
    const lin = linear.probabilities({ complaints: 'артериальная гипертензия' });
    const [got] = await both.predictMany([{ complaints: 'артериальная гипертензия' }], 4);
    const at = new Map(member.labels.map((l, i) => [l, i]));
    const raw = linear.labels.map((l, c) => Math.exp(0.7 * Math.log(lin[c]!) + 0.3 * Math.log(nn![at.get(l)!]!)));
    const sum = raw.reduce((s, x) => s + x, 0);
    for (const p of got!) expect(p.probability).toBeCloseTo(raw[linear.labels.indexOf(p.code)]! / sum, 9);
    await member.close();
    await both.close();

    writeFileSync(path.join(dir, 'ensemble.json'), JSON.stringify({ ...file, memberSha256: '0'.repeat(64) }));
    await expect(loadDpModel(dir, 'cpu')).rejects.toThrow(/checksum mismatch/);
  });
});
