import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runEvaluate } from '../../src/usecases/runEvaluate.js';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/evaluation/', import.meta.url));
const brat = (name: string) => join(FIXTURES, 'brat', name);
const empty = mkdtempSync(join(tmpdir(), 'icdkg-no-dictionary-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('icdkg evaluate --level refuses codes it cannot lift', () => {
  it('without a dictionary: refuses, naming how many codes and the first few', async () => {
    await expect(runEvaluate({ gold: brat('gold'), pred: brat('pred'), level: 'CATEGORY', dataDir: empty })).rejects.toThrow(
      /^cannot lift codes to CATEGORY: no ICD-10 dictionary in .*; (\d+) of (\d+) codes are not in the ICD-10 tree \(.*Z00\.0.*\)\. Pass --allow-unliftable/,
    );
  });

  it('with a dictionary that lacks a code: refuses naming it; --allow-unliftable evaluates and reports the count', async () => {
    const data = SAMPLE_DATA_DIR; // the sample holds a dictionary (without Z00.0)
    await expect(runEvaluate({ gold: brat('gold'), pred: brat('pred'), level: 'BLOCK', dataDir: data })).rejects.toThrow(
      'cannot lift codes to BLOCK: 1 of 7 codes are not in the ICD-10 tree (Z00.0). Pass --allow-unliftable to evaluate them unlifted',
    );
    const { stdout, stderr } = await runEvaluate({ gold: brat('gold'), pred: brat('pred'), level: 'BLOCK', dataDir: data, json: true, allowUnliftable: true });
    expect(JSON.parse(stdout)).toMatchObject({ level: 'BLOCK', unliftable: 1 });
    expect(stderr).toContain('1 of 7 codes are not in the ICD-10 tree (Z00.0); they are evaluated unlifted (--allow-unliftable)');
    // Strict evaluation lifts nothing: nothing is unliftable.
    expect(JSON.parse((await runEvaluate({ gold: brat('gold'), pred: brat('pred'), json: true })).stdout)).toMatchObject({ level: 'STRICT', unliftable: 0 });
  });

  it('the command exits non-zero with the count on stderr', { timeout: 60_000 }, async () => {
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const failed = await promisify(execFile)(tsx, [main, 'evaluate', '--gold', brat('gold'), '--pred', brat('pred'), '--level', 'CATEGORY', '--data-dir', empty]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(/icdkg: cannot lift codes to CATEGORY: .* \d+ of \d+ codes are not in the ICD-10 tree/);
  });
});
