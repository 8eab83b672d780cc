import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCohort } from '../../src/ingest/cohort/loadCohort.js';
import { DEFAULT_NOISE, resolveNoiseConfig } from '../../src/synth/noiseConfig.js';
import { mulberry32 as prng } from '../../src/util/mulberry32.js';
import { loadSynthSources } from '../../src/synth/synthSources.js';
import { joinDiagnoses, synthesizeCohort } from '../../src/synth/synthesizeCohort.js';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';

const dir = mkdtempSync(path.join(tmpdir(), 'icdkg-cohort-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mulberry32()', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = prng(42);
    const b = prng(42);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(prng(43)()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('joinDiagnoses()', () => {
  it('writes one sentence: punctuation trimmed, first capitalised, abbreviations kept', () => {
    expect(joinDiagnoses(['коклюш', 'Острое респираторное заболевание,', 'ИБС'])).toBe('Коклюш, острое респираторное заболевание, ИБС.');
  });
});

describe('resolveNoiseConfig()', () => {
  it('merges over the defaults and names a bad field', () => {
    expect(resolveNoiseConfig({ sibling: 0 })).toEqual({ ...DEFAULT_NOISE, sibling: 0 });
    expect(() => resolveNoiseConfig({ substitutions: [{ trueCode: 'I11.9', written: 'I25.2', p: 2 }] })).toThrow('substitutions[0].p must be a probability');
    expect(() => resolveNoiseConfig({ omitSecondry: 0.1 })).toThrow('unknown field "omitSecondry"');
  });
});

describe('synthesizeCohort(): a SYNTHETIC cohort from the sample data', () => {
  it('is deterministic for a seed, labelled synthetic, exact in size and valid for the loader', async () => {
    const sources = await loadSynthSources(SAMPLE_DATA_DIR);
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    const c = path.join(dir, 'c.jsonl');
    const report = await synthesizeCohort(sources, a, { patients: 40, appointments: 200, seed: 7 });
    await synthesizeCohort(sources, b, { patients: 40, appointments: 200, seed: 7 });
    await synthesizeCohort(sources, c, { patients: 40, appointments: 200, seed: 8 });
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8')).not.toBe(readFileSync(c, 'utf8'));
    expect(report.appointments).toBe(200);
    const known = new Set(sources.codes.map((x) => x.code));
    const loaded = await loadCohort(a, { corpus: 'demo', knownCodes: known });
    expect(loaded.header?.synthetic).toBe(true);
    expect(loaded.header?.notice).toMatch(/^SYNTHETIC/);
    expect(loaded.corpus.documents).toHaveLength(200);
    expect(loaded.patients).toBe(40);
    // Patients' visits are in date order and ids say whose they are.
    for (const d of loaded.corpus.documents) expect(d.id.startsWith(`${d.patient}-`)).toBe(true);
  });

  it("writes the true codes as the doctor's codes when every noise probability is 0", async () => {
    const sources = await loadSynthSources(SAMPLE_DATA_DIR);
    const out = path.join(dir, 'clean.jsonl');
    const noise = resolveNoiseConfig({ omitSecondary: 0, parentOrUnspecified: 0, sibling: 0, substitutions: [] });
    await synthesizeCohort(sources, out, { patients: 30, seed: 3, noise });
    const lines = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as { codes: string[]; trueCodes: string[] });
    expect(lines.length).toBeGreaterThan(30);
    for (const l of lines) expect(l.codes).toEqual([...new Set(l.trueCodes)]);
  });

  it('applies a systematic substitution at its rate (I11.9 written as I25.2 with p = 1)', async () => {
    const sources = await loadSynthSources(SAMPLE_DATA_DIR);
    const out = path.join(dir, 'subst.jsonl');
    const noise = resolveNoiseConfig({ omitSecondary: 0, parentOrUnspecified: 0, sibling: 0, substitutions: [{ trueCode: 'I11.9', written: 'I25.2', p: 1 }] });
    const report = await synthesizeCohort(sources, out, { patients: 50, seed: 5, noise });
    const lines = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as { codes: string[]; trueCodes: string[] });
    const withTruth = lines.filter((l) => l.trueCodes.includes('I11.9'));
    expect(withTruth.length).toBeGreaterThan(0);
    for (const l of withTruth) {
      expect(l.codes).toContain('I25.2');
      expect(l.codes).not.toContain('I11.9');
    }
    expect(report.substitutions.get('I11.9>I25.2')).toBe(withTruth.length);
  });
});
