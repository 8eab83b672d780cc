import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'predict');
const tmp = mkdtempSync(path.join(tmpdir(), 'icdkg-dp-cli-'));
const model = path.join(tmp, 'model');

function icdkg(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli', 'main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ICDKG_LOG_LEVEL: 'silent' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('icdkg dp build / dp predict on a hand-written fixture', { timeout: 90_000 }, () => {
  beforeAll(() => {
    const r = icdkg('dp', 'build', '--data', fixtures, '--out', model);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 90_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('build writes a manifest with labels, data checksums and dev metrics', () => {
    expect(existsSync(path.join(model, 'weights.f32'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(model, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ task: 'diagnosis-prediction', name: 'model', labels: ['J06', 'K29', 'M54'] });
    expect(manifest.training.files).toEqual([
      { path: 'rumedtop3/train.jsonl', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), examples: 12 },
    ]);
    expect(manifest.evaluation.files.map((f: { path: string }) => f.path)).toEqual(['rumedtop3/dev.jsonl']);
    expect(manifest.metrics.dev).toEqual({ accuracy: 1, hitAt3: 1, examples: 3 });
  });

  it('predict writes one {"idx", "prediction"} line per visit, idx unchanged', () => {
    const out = path.join(tmp, 'pred.jsonl');
    const r = icdkg('dp', 'predict', '--model', model, '--in', path.join(fixtures, 'visits.jsonl'), '--out', out, '--top', '3');
    expect(r.status).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.idx)).toEqual(['v1', 2, 'v3']);
    expect(lines.map((l) => l.prediction[0])).toEqual(['J06', 'M54', 'K29']);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['idx', 'prediction']);
      expect([...l.prediction].sort()).toEqual(['J06', 'K29', 'M54']);
    }
  });

  it('bad JSON fails with file:line and exit 1, quoting no text, writing nothing', () => {
    const input = path.join(fixtures, 'bad-json.jsonl');
    const out = path.join(tmp, 'bad.jsonl');
    const r = icdkg('dp', 'predict', '--model', model, '--in', input, '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`icdkg dp predict: ${input}:2: not valid JSON\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('a line without "symptoms" fails with file:line and exit 1', () => {
    const input = path.join(fixtures, 'no-symptoms.jsonl');
    const r = icdkg('dp', 'predict', '--model', model, '--in', input, '--out', path.join(tmp, 'x.jsonl'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`icdkg dp predict: ${input}:3: missing string field "symptoms"\n`);
    expect(r.stderr + r.stdout).not.toMatch(/Секретная/);
  });

  it('a missing model folder is an error naming it', () => {
    const r = icdkg('dp', 'predict', '--model', path.join(tmp, 'nope'), '--in', path.join(fixtures, 'visits.jsonl'), '--out', path.join(tmp, 'y.jsonl'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${path.join(tmp, 'nope', 'manifest.json')}: cannot read the manifest (ENOENT)`);
  });
});
