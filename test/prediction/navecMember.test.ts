import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNeuralMember, memberEnsembleSettings } from '../../src/pipeline/prediction/ensemble/neuralMember.js';

const DIR = path.join(import.meta.dirname, '..', '..', 'models', 'navec-rumedtop3');
const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as {
  files: Record<string, string>;
  sha256: Record<string, string>;
  labels: string[];
  embeddings: { sha256: string; licence: string; rows: number };
  training: { data: { sha256: string }[] };
};
let member: Awaited<ReturnType<typeof loadNeuralMember>>;
beforeAll(async () => {
  member = await loadNeuralMember(DIR, 'cpu', 1);
});
afterAll(() => member.close());

describe('the committed navec RuMedTop3 member (models/navec-rumedtop3)', () => {
  it('has files matching their checksums, provenance and a cross-validated ensemble weight', async () => {
    for (const [key, file] of Object.entries(manifest.files)) {
      expect(createHash('sha256').update(readFileSync(path.join(DIR, file))).digest('hex'), key).toBe(manifest.sha256[key]);
    }
    expect(manifest.embeddings.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.embeddings.licence).toMatch(/MIT/);
    expect(manifest.training.data[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const settings = await memberEnsembleSettings(DIR);
    expect(settings!.weight).toBeGreaterThan(0);
    expect(settings!.weight).toBeLessThan(1);
  });

  it('gives one softmax distribution over its labels per text, unknown words ignored', async () => {
    const [back, none, gibberish] = await member.probabilities(['Боли в пояснице, отдают в ногу', '', 'ыыхщ кщзж']);
    expect(member.labels).toEqual(manifest.labels);
    expect(back!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    // Pooled vectors of a text without known words are zeros: the same output as an empty text.
    expect(Array.from(gibberish!)).toEqual(Array.from(none!));
    // Back pain lands in the musculoskeletal chapter (M) among its three most probable labels.
    const top3 = Array.from(back!.keys()).sort((a, b) => back![b]! - back![a]!).slice(0, 3).map((i) => member.labels[i]!);
    expect(top3.some((c) => c.startsWith('M'))).toBe(true);
  });
});
