import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = path.resolve('src/cli/main.ts');
const tsx = path.resolve('node_modules/.bin/tsx');

/** Runs `icdkg args` and returns its status, stderr and wall time (ms). */
function run(args: string[], env: Record<string, string>): Promise<{ status: number; stderr: string; ms: number }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ICDKG_LOG_LEVEL: 'silent', ...env };
  delete childEnv.NEO4J_URI;
  delete childEnv.ICDKG_SAMPLE;
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(tsx, [main, ...args], { env: childEnv, timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr, ms: performance.now() - started });
    });
  });
}

describe('a configured data folder without data', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'icdkg-misconfig-'));
    mkdirSync(path.join(root, 'empty'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  for (const command of ['serve', 'seed']) {
    it(`makes \`icdkg ${command}\` exit non-zero at once, naming the folder and what is missing`, async () => {
      const typo = path.join(root, 'dataa');
      const a = await run([command, ...(command === 'serve' ? ['--port', '0'] : [])], { ICDKG_DATA_DIR: typo, ICDKG_JOURNAL_DIR: path.join(root, 'journal') });
      expect(a.status, a.stderr).toBe(1);
      expect(a.stderr).toContain(`data folder ${typo} (ICDKG_DATA_DIR or --data-dir) holds no ICD dictionary: the folder does not exist`);
      const b = await run([command, '--data-dir', path.join(root, 'empty'), ...(command === 'serve' ? ['--port', '0'] : [])], { ICDKG_JOURNAL_DIR: path.join(root, 'journal') });
      expect(b.status, b.stderr).toBe(1);
      expect(b.stderr).toContain('it has no ruccod/mkb2descr.yaml');
      // Under 2 s from a built CLI (node dist/cli/main.js); tsx's compile and a shared CI machine add to it here.
      process.stdout.write(`icdkg ${command} on a missing data folder exited after ${Math.round(a.ms)} ms (under tsx)\n`);
      expect(a.ms).toBeLessThan(20_000);
    }, 60_000);
  }

  // Every command that opens the store takes its configuration from one helper (configFor): a
  // folder named with --data-dir must hold data, never a silent fallback to the sample.
  const commands: [string, string[]][] = [
    ['seed', ['seed']],
    ['serve', ['serve', '--port', '0']],
    ['export', ['export', '--format', 'skos', '--out', '-']],
    ['mcp', ['mcp']],
    ['layer', ['layer', 'list', '--corpus', 'ruccod']],
  ];
  for (const [name, args] of commands) {
    it(`makes \`icdkg ${name}\` exit 1 on a --data-dir without data, naming it`, async () => {
      const empty = path.join(root, 'empty');
      const r = await run([...args, '--data-dir', empty], { ICDKG_JOURNAL_DIR: path.join(root, 'journal') });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(`data folder ${empty}`);
      expect(r.stderr).toContain('it has no ruccod/mkb2descr.yaml');
    }, 60_000);
  }
});
