import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';

const main = path.resolve('src/cli/main.ts');
const tsx = path.resolve('node_modules/.bin/tsx');
const tmp = mkdtempSync(path.join(tmpdir(), 'icdkg-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `icdkg` in `cwd` (a fresh temporary folder by default), stdout not a terminal. */
function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = tmp): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const { ICDKG_DATA_DIR: _ignored, ...base } = process.env;
    execFile(tsx, [main, ...args], { cwd, env: { ...base, ICDKG_LOG_LEVEL: 'silent', ICDKG_JOURNAL_DIR: path.join(tmp, 'journal'), ...env } }, (err, stdout, stderr) => {
      resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

describe('icdkg conventions', { timeout: 120_000 }, () => {
  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r).toMatchObject({ status: 0, stdout: `${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n` });
  });

  it('exits 2 on a usage error and documents the exit codes in --help', async () => {
    expect((await run(['evaluate', '--gold', 'x'])).status).toBe(2); // missing --pred
    expect((await run(['seed', '--no-such-flag'])).status).toBe(2);
    expect((await run(['frobnicate'])).status).toBe(2);
    expect((await run(['--help'])).stdout).toContain('Exit codes: 0 ok, 1 the command failed, 2 usage error');
  });

  it('names a missing file in a sentence (no raw ENOENT) and exits 1', async () => {
    const r = await run(['dp', 'predict', '--model', path.join(tmp, 'no-model'), '--in', path.join(tmp, 'missing.jsonl'), '--out', '-']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^icdkg: .*missing\.jsonl/m);
    expect(r.stderr).not.toMatch(/ENOENT|\n\s+at /);
    const noData = await run(['cohort', 'synth', '--patients', '2', '--seed', '1', '--out', '-'], { ICDKG_DATA_DIR: path.join(tmp, 'nowhere') });
    expect(noData.status).toBe(1);
    expect(noData.stderr).toContain(`icdkg: the data folder ${path.join(tmp, 'nowhere')} (from ICDKG_DATA_DIR) does not exist`);
  });

  it('`--out -` writes to stdout (no file named "-"), --data-dir defaults to ICDKG_DATA_DIR, --data stays an alias', async () => {
    const viaEnv = await run(['cohort', 'synth', '--patients', '3', '--seed', '7', '--out', '-'], { ICDKG_DATA_DIR: SAMPLE_DATA_DIR });
    expect(viaEnv.status, viaEnv.stderr).toBe(0);
    const lines = viaEnv.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) JSON.parse(line);
    expect(existsSync(path.join(tmp, '-'))).toBe(false);
    expect(viaEnv.stderr).toContain('wrote SYNTHETIC cohort to stdout');
    const viaAlias = await run(['cohort', 'synth', '--data', SAMPLE_DATA_DIR, '--patients', '3', '--seed', '7', '--out', '-']);
    expect(viaAlias.stdout).toBe(viaEnv.stdout);
  });

  it('--json on a command that prints results; no progress drawn into a pipe', async () => {
    const r = await run(['seed', '--json'], { ICDKG_SAMPLE: '1' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { store: string; sample: boolean; counts: { codes: number } };
    expect(out).toMatchObject({ store: 'memory', sample: true });
    expect(out.counts.codes).toBeGreaterThan(10);
    expect(r.stderr).not.toMatch(/\[[█░]+\]|\x1b\[/); // no bar, no escape codes: stderr is a pipe
    const layers = await run(['layer', 'list', '--corpus', 'ruccod', '--json'], { ICDKG_SAMPLE: '1' });
    expect(JSON.parse(layers.stdout)).toEqual([expect.objectContaining({ layer: 'gold', documents: expect.any(Number) as number })]);
  });
});
