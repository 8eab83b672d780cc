import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { runEvaluate } from '../../src/usecases/runEvaluate.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/evaluation/', import.meta.url));
const brat = (name: string) => join(FIXTURES, 'brat', name);
// The sample's data dir: its dictionary gives the tree to relax through.
const DATA = SAMPLE_DATA_DIR;
const round = (x: number) => Math.round(x * 1e6) / 1e6;
type M = { precision: number; recall: number; f1: number; accuracy: number; tp: number; fp: number; fn: number };
const roundM = (m: M) => ({ ...m, precision: round(m.precision), recall: round(m.recall), f1: round(m.f1), accuracy: round(m.accuracy) });

describe('icdkg evaluate: brat folders', () => {
  // Hand-computed (see the fixtures): d1 pred misses span 19|22 (its T has no N) and links 6|16
  // to I11.9 instead of I10; d2 predicts a shorter span with the right code; d3 has no gold entity
  // and one prediction; d4 has no prediction file; pred/9.ann has no gold document.
  it('strict: the JSON object with every task, hand-computed', async () => {
    const { stdout, stderr } = await runEvaluate({ gold: brat('gold'), pred: brat('pred'), json: true });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['level', 'documents', 'documentAccuracy', 'ner', 'nerLinking', 'codeAssignment', 'unliftable']);
    expect(out.level).toBe('STRICT');
    expect(out.documents).toBe(4);
    expect(out.documentAccuracy).toBe(0.5); // d2, and d3 whose gold set is empty
    expect(roundM(out.ner as M)).toEqual({ tp: 2, fp: 2, fn: 3, precision: 0.5, recall: 0.4, f1: 0.444444, accuracy: 0.285714 });
    expect(roundM(out.nerLinking as M)).toEqual({ tp: 1, fp: 3, fn: 4, precision: 0.25, recall: 0.2, f1: 0.222222, accuracy: 0.125 });
    expect(roundM(out.codeAssignment as M)).toEqual({ tp: 2, fp: 2, fn: 3, precision: 0.5, recall: 0.4, f1: 0.444444, accuracy: 0.285714 });
    expect(stderr).toEqual([
      '1 gold documents have no prediction file and count as predicting nothing: 4',
      '1 prediction files have no gold document and were ignored',
    ]);
  });

  it('relaxed at BLOCK through the dictionary tree of --data-dir (Z00.0, absent from it, stays a miss)', async () => {
    const { stdout } = await runEvaluate({ gold: brat('gold'), pred: brat('pred'), json: true, level: 'BLOCK', dataDir: DATA, allowUnliftable: true });
    const out = JSON.parse(stdout) as { level: string; codeAssignment: M; nerLinking: M; ner: M; unliftable: number };
    expect(out.level).toBe('BLOCK');
    expect(out.unliftable).toBe(1);
    // d1 G{J00-J06,I10-I15,I20-I25} P{J00-J06,I10-I15}; d2 E10-E14 both; d3 P{Z00.0}; d4 G{J00-J06}
    expect([out.codeAssignment.tp, out.codeAssignment.fp, out.codeAssignment.fn]).toEqual([3, 1, 2]);
    expect([out.nerLinking.tp, out.nerLinking.fp, out.nerLinking.fn]).toEqual([2, 2, 3]);
    expect([out.ner.tp, out.ner.fp, out.ner.fn]).toEqual([2, 2, 3]);
  });

  it('prints the paper-shaped table without --json', async () => {
    const { stdout } = await runEvaluate({ gold: brat('gold'), pred: brat('pred') });
    expect(stdout).toBe(
      [
        'Evaluation: strict (4 documents)',
        'Task              Precision  Recall  F-score  Accuracy      TP      FP      FN',
        'NER                   0.500   0.400    0.444     0.286       2       2       3',
        'NER + Linking         0.250   0.200    0.222     0.125       1       3       4',
        'Code assignment       0.500   0.400    0.444     0.286       2       2       3',
        'Document-level code assignment accuracy: 0.500',
        '',
      ].join('\n'),
    );
  });

  it('gold against itself gives 1.0 everywhere', async () => {
    const out = JSON.parse((await runEvaluate({ gold: brat('gold'), pred: brat('gold'), json: true })).stdout) as Record<string, M>;
    for (const t of ['ner', 'nerLinking', 'codeAssignment']) expect([out[t]!.precision, out[t]!.recall, out[t]!.f1, out[t]!.accuracy]).toEqual([1, 1, 1, 1]);
  });

  it.each([
    ['pred-malformed', /pred-malformed\/1\.ann:3: malformed line/],
    ['pred-mismatch', /pred-mismatch\/1\.ann:3: T2 text does not match the document text at 6-16/],
  ])('%s: a file:line error with --strict, a reported problem without', async (dir, message) => {
    await expect(runEvaluate({ gold: brat('gold'), pred: brat(dir), strict: true })).rejects.toThrow(message);
    const lenient = await runEvaluate({ gold: brat('gold'), pred: brat(dir), json: true });
    expect(lenient.stderr.join('\n')).toMatch(message);
    expect(JSON.parse(lenient.stdout).documents).toBe(4);
  });

  it('a folder that does not exist is an error naming the flag', async () => {
    await expect(runEvaluate({ gold: brat('nope'), pred: brat('pred') })).rejects.toThrow(/--gold .*nope: not a directory/);
  });

  it('the command exits 1 on bad input and prints JSON on stdout otherwise', { timeout: 60_000 }, async () => {
    const run = promisify(execFile);
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const ok = await run(tsx, [main, 'evaluate', '--gold', brat('gold'), '--pred', brat('pred'), '--json']);
    expect(JSON.parse(ok.stdout).codeAssignment.tp).toBe(2);
    expect(ok.stderr).toContain('icdkg evaluate: 1 gold documents have no prediction file');
    const bad = await run(tsx, [main, 'evaluate', '--strict', '--gold', brat('gold'), '--pred', brat('pred-malformed')]).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toMatch(/pred-malformed\/1\.ann:3: malformed line/);
  });
});

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (full-data icdkg evaluate tests)');

describe.skipIf(!dataDir)('icdkg evaluate on the full RuCCoD train folder', () => {
  const train = join(dataDir ?? '', 'ruccod', 'train');
  const tmp = mkdtempSync(join(tmpdir(), 'icdkg-eval-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const json = async (gold: string, pred: string) => JSON.parse((await runEvaluate({ gold, pred, json: true })).stdout) as Record<string, M> & { documents: number; documentAccuracy: number };

  it('gold against itself gives 1.0 everywhere', { timeout: 120_000 }, async () => {
    const out = await json(train, train);
    expect(out.documents).toBe(3000);
    expect(out.documentAccuracy).toBe(1);
    for (const t of ['ner', 'nerLinking', 'codeAssignment']) {
      expect([out[t]!.precision, out[t]!.recall, out[t]!.f1, out[t]!.accuracy, out[t]!.fp, out[t]!.fn]).toEqual([1, 1, 1, 1, 0, 0]);
    }
  });

  it('against a perturbed copy gives the predicted counts', { timeout: 120_000 }, async () => {
    // Perturbation: documents with id ≡ 0 (mod 10) get no prediction file; in documents with
    // id ≡ 1 (mod 10) every code becomes X99.99 (a code no gold has). Expected counts follow from
    // gold-only evaluations of those two subsets (S0, S1) and of all documents (G):
    //   NER        tp G−S0, fp 0, fn S0 (spans are unchanged in S1)
    //   NER+link   tp G−S0−S1, fp spans(S1), fn S0+S1
    //   codes      tp G−S0−S1, fp docs of S1 with a code, fn S0+S1
    const pred = join(tmp, 'pred');
    const s0 = join(tmp, 's0');
    const s1 = join(tmp, 's1');
    for (const d of [pred, s0, s1]) rmSync(d, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    for (const d of [pred, s0, s1]) mkdirSync(d);
    let s1WithCodes = 0;
    const ids = readdirSync(train).filter((f) => f.endsWith('.ann')).map((f) => f.slice(0, -4));
    for (const id of ids) {
      const ann = readFileSync(join(train, `${id}.ann`), 'utf8');
      const text = readFileSync(join(train, `${id}.txt`));
      const mod = Number(id) % 10;
      if (mod === 0) {
        writeFileSync(join(s0, `${id}.ann`), ann);
        writeFileSync(join(s0, `${id}.txt`), text);
        continue;
      }
      if (mod === 1) {
        writeFileSync(join(s1, `${id}.ann`), ann);
        writeFileSync(join(s1, `${id}.txt`), text);
        const replaced = ann.replace(/^(N\d+\tReference T\d+ [^\t]+\t).*$/gm, '$1X99.99');
        if (replaced !== ann) s1WithCodes++;
        writeFileSync(join(pred, `${id}.ann`), replaced);
        continue;
      }
      writeFileSync(join(pred, `${id}.ann`), ann);
    }
    const [g, g0, g1, out] = [await json(train, train), await json(s0, s0), await json(s1, s1), await json(train, pred)];
    expect(out.documents).toBe(3000);
    expect([out.ner!.tp, out.ner!.fp, out.ner!.fn]).toEqual([g.ner!.tp - g0.ner!.tp, 0, g0.ner!.tp]);
    expect([out.nerLinking!.tp, out.nerLinking!.fp, out.nerLinking!.fn]).toEqual([
      g.nerLinking!.tp - g0.nerLinking!.tp - g1.nerLinking!.tp,
      g1.ner!.tp,
      g0.nerLinking!.tp + g1.nerLinking!.tp,
    ]);
    expect([out.codeAssignment!.tp, out.codeAssignment!.fp, out.codeAssignment!.fn]).toEqual([
      g.codeAssignment!.tp - g0.codeAssignment!.tp - g1.codeAssignment!.tp,
      s1WithCodes,
      g0.codeAssignment!.tp + g1.codeAssignment!.tp,
    ]);
    // The full train folder's known size (DESIGN, data README): 8,420 document-level codes.
    expect(g.codeAssignment!.tp).toBe(8420);
  });
});
