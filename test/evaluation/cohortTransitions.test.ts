import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortCorpus } from '../../src/ingest/cohort/cohortCorpus.js';
import { linkCohort } from '../../src/pipeline/coding/batch/linkCohort.js';
import { readLinked } from '../../src/ingest/cohort/linkedFile.js';
import { loadSynthSources } from '../../src/synth/synthSources.js';
import { synthesizeCohort } from '../../src/synth/synthesizeCohort.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { loadDataDir, SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { buildCoder } from '../../src/pipeline/coding/training/buildCoder.js';
import { startTestServer } from '../api/testServer.js';
import type { TestServer } from '../api/testServer.js';

/**
 * The demonstration cohort end to end on the hand-written sample: synthesise (fixed seed, small),
 * link with a coder built on the sample, load into the memory store, ask the API for the
 * transitions out of I25.2 and compare with what the noise model injected.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'icdkg-cohort-transitions-'));
const cohortFile = path.join(dir, 'demo.jsonl');
let server: TestServer;
let lines: { appointmentId: string; codes: string[]; trueCodes: string[] }[];
let linked: Map<string, string[]>;
let report: Awaited<ReturnType<typeof synthesizeCohort>>;

beforeAll(async () => {
  const coderDir = path.join(dir, 'coder');
  await buildCoder({ dataDir: SAMPLE_DATA_DIR, outDir: coderDir });
  report = await synthesizeCohort(await loadSynthSources(SAMPLE_DATA_DIR), cohortFile, { patients: 150, seed: 11 });
  await linkCohort({ cohort: cohortFile, modelDir: coderDir, workers: 1 });
  linked = (await readLinked(path.join(dir, 'demo.linked.jsonl'))).codes;
  lines = readFileSync(cohortFile, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as (typeof lines)[number]);
  const data = await loadDataDir(SAMPLE_DATA_DIR);
  data.corpora.push(await cohortCorpus(cohortFile, 'demo'));
  server = await startTestServer({ store: MemoryStore.open(data, { journalDir: null }), config: { modelsDir: path.join(dir, 'models') } });
}, 240_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const QUERY = `query($from: IcdCode) {
  transitions(cohort: "demo", fromCode: $from, first: 50) {
    fromCode toCode count share hopDistance sameCategory sameBlock sameChapter
    lowestCommonAncestorConcept { code } toConcept { title } toF1Change
  }
}`;
type Row = { fromCode: string; toCode: string; count: number; share: number; hopDistance: number; sameCategory: boolean; sameBlock: boolean; sameChapter: boolean; lowestCommonAncestorConcept: { code: string } | null; toF1Change: number | null };

describe('transitions(from: "I25.2") on a demonstration cohort', () => {
  it('links every appointment', () => {
    expect(linked.size).toBe(lines.length);
  });

  it('counts exactly the DESIGN §4 transitions of the two layers, ranked by count', async () => {
    const { body } = await server.query(QUERY, { from: 'I25.2' });
    expect(body.errors).toBeUndefined();
    const rows = (body.data!.transitions as Row[]);
    // Recount independently from the files: per appointment, I25.2 only in original x codes only in linked.
    const expected = new Map<string, number>();
    for (const l of lines) {
      const o = new Set(l.codes);
      const k = new Set(linked.get(l.appointmentId));
      if (!o.has('I25.2') || k.has('I25.2')) continue;
      for (const c of k) if (!o.has(c)) expected.set(c, (expected.get(c) ?? 0) + 1);
    }
    expect(new Map(rows.map((r) => [r.toCode, r.count]))).toEqual(expected);
    const counts = rows.map((r) => r.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const total = counts.reduce((a, b) => a + b, 0);
    for (const r of rows) expect(r.share).toBeCloseTo(r.count / total, 10);
    expect(rows.every((r) => r.toF1Change === null)).toBe(true); // no prediction models in this test
  });

  it('puts the injected I11.9 -> I25.2 substitution first and finds the other injected ones', async () => {
    const { body } = await server.query(QUERY, { from: 'I25.2' });
    const rows = body.data!.transitions as Row[];
    expect(report.substitutions.get('I11.9>I25.2')).toBeGreaterThan(10);
    expect(rows[0]!.toCode).toBe('I11.9');
    const targets = rows.map((r) => r.toCode);
    for (const injected of ['E11.9', 'I25.1', 'I67.9']) {
      if ((report.substitutions.get(`${injected}>I25.2`) ?? 0) >= 3) expect(targets).toContain(injected);
    }
  });

  it('relates the codes in the tree (hand-checked on the sample tree)', async () => {
    const { body } = await server.query(QUERY, { from: 'I25.2' });
    const byTo = new Map((body.data!.transitions as Row[]).map((r) => [r.toCode, r]));
    // I25.2 -> I25 -> I20-I25 -> I00-I99 <- I10-I15 <- I11 <- I11.9
    expect(byTo.get('I11.9')).toMatchObject({ hopDistance: 6, sameCategory: false, sameBlock: false, sameChapter: true, lowestCommonAncestorConcept: { code: 'I00-I99' } });
    const i251 = byTo.get('I25.1');
    if (i251) expect(i251).toMatchObject({ hopDistance: 2, sameCategory: true, sameBlock: true, sameChapter: true, lowestCommonAncestorConcept: { code: 'I25' } });
    const e119 = byTo.get('E11.9');
    if (e119) expect(e119).toMatchObject({ sameChapter: false, lowestCommonAncestorConcept: null });
  });

  it('answers NOT_FOUND for an unknown cohort and a patient with appointments in date order', async () => {
    const bad = await server.query('{ transitions(cohort: "nope") { count } }');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const { body } = await server.query('{ patient(cohort: "demo", patientId: "P001") { id patientId appointmentCount appointments { documentId date layers(names: ["original", "linked"]) { name codes } } } }');
    expect(body.errors).toBeUndefined();
    const p = body.data!.patient as { appointmentCount: number; appointments: { documentId: string; date: string; layers: { name: string; codes: string[] }[] }[] };
    const mine = lines.filter((l) => l.appointmentId.startsWith('P001-'));
    expect(p.appointmentCount).toBe(mine.length);
    const dates = p.appointments.map((a) => a.date);
    expect(dates).toEqual([...dates].sort());
    expect(p.appointments[0]!.layers[0]!.codes).toEqual(mine.find((l) => l.appointmentId === p.appointments[0]!.documentId)!.codes);
  });
});
