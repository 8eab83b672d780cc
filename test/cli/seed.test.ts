import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const main = path.resolve('src/cli/main.ts');
const tsx = path.resolve('node_modules/.bin/tsx');

function run(args: string[], env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ICDKG_LOG_LEVEL: 'silent', ...env };
  // Seeding the embedded store must not depend on whether the developer's shell points at Neo4j.
  delete childEnv.NEO4J_URI;
  return new Promise((resolve) => {
    execFile(tsx, [main, ...args], { env: childEnv }, (err, stdout, stderr) => {
      resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

// A hand-written data folder: 6 codes (a chapter, two blocks, two categories, one subcategory)
// and 2 documents with 3 linked mentions.
const DICTIONARY = [
  'I00-I99: Болезни системы кровообращения',
  'I10-I15: Болезни, характеризующиеся повышенным кровяным давлением',
  'I10: Эссенциальная [первичная] гипертензия',
  'I20-I25: Ишемическая болезнь сердца',
  'I25: Хроническая ишемическая болезнь сердца',
  'I25.2: Перенесенный в прошлом инфаркт миокарда',
  '',
].join('\n');
const DOCS: Record<string, string> = {
  '0.txt': 'Гипертензия.',
  '0.ann': 'T1\ticd_code 0 11\tГипертензия\nN1\tReference T1 ICD_codes:1\tI10\n',
  '1.txt': 'Инфаркт в прошлом. Гипертензия.',
  '1.ann': 'T1\ticd_code 0 17\tИнфаркт в прошлом\nN1\tReference T1 ICD_codes:2\tI25.2\nT2\ticd_code 19 30\tГипертензия\nN2\tReference T2 ICD_codes:1\tI10\n',
};

let root: string;
let dataDir: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'icdkg-seed-test-'));
  dataDir = path.join(root, 'data');
  mkdirSync(path.join(dataDir, 'ruccod/train'), { recursive: true });
  writeFileSync(path.join(dataDir, 'ruccod/mkb2descr.yaml'), DICTIONARY);
  for (const [f, text] of Object.entries(DOCS)) writeFileSync(path.join(dataDir, 'ruccod/train', f), text);
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('icdkg seed (embedded store)', () => {
  it('validates the data folder and prints the counts', async () => {
    const r = await run(['seed', '--data-dir', dataDir], { ICDKG_JOURNAL_DIR: path.join(root, 'journal') });
    expect(r.stderr).not.toContain('icdkg:');
    expect(r.status).toBe(0);
    // 6 ICD titles + 2 CORPUS names (I10 "гипертензия" seen twice, I25.2 "инфаркт в прошлом").
    expect(r.stdout).toMatch(
      /^validated the data folder for the embedded memory store \(data version [0-9a-f]{16}\): 6 codes, 8 names, 1 corpora, 2 documents, 3 mentions\n/,
    );
  });

  it('fails with file:line and a non-zero exit code on a bad annotation, naming no clinical text', async () => {
    writeFileSync(path.join(dataDir, 'ruccod/train/1.ann'), DOCS['1.ann']!.replace('\tI25.2', '\tZ99.9Q'));
    const r = await run(['seed', '--data-dir', dataDir], { ICDKG_JOURNAL_DIR: path.join(root, 'journal') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^icdkg: .*ruccod\/train\/1\.ann:2: /m);
    expect(r.stderr).not.toContain('Инфаркт');
    expect(r.stdout).toBe('');
  });

  it('rejects a bad --batch-size with a usage error', async () => {
    const r = await run(['seed', '--batch-size', '0'], {});
    expect(r.status).toBe(2); // exit code 2: usage error (README)
    expect(r.stderr).toContain("option '-b, --batch-size <n>' argument '0' is invalid. must be a positive integer");
  });
});
