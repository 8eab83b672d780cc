import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'icdkg-serve-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('icdkg serve', () => {
  it('starts on the sample with --sample, says so in /health and system and once how to load the full data, serves, and stops on SIGTERM', async () => {
    // A configured folder without data is an error (test/cli/misconfiguration.test.ts); the sample is asked for.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--sample'], {
      cwd: root,
      env: { ...process.env, ICDKG_LOG_LEVEL: 'info', ICDKG_JOURNAL_DIR: path.join(scratch, 'journal'), NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /GraphQL API at (http:\/\/\S+\/graphql)/.exec(stderr);
          if (match) {
            clearInterval(timer);
            resolve(match[1]!);
          }
        }, 50);
        void exited.then((code) => {
          clearInterval(timer);
          reject(new Error(`serve exited with ${code}: ${stderr.slice(-1000)}`));
        });
      });
      const health = await fetch(url.replace('/graphql', '/health'));
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', available: true, store: 'memory', sample: true });
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ system { sample } chapters { kind } }' }) });
      const body = (await res.json()) as { data: { system: { sample: boolean }; chapters: { kind: string }[] } };
      expect(body.data.system.sample).toBe(true);
      expect(body.data.chapters.length).toBeGreaterThan(0);
      expect(body.data.chapters.every((c) => c.kind === 'CHAPTER')).toBe(true);
      expect(stderr.match(/icdkg data fetch/g)).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad port with a clear message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', 'abc'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain("option '-p, --port <n>' argument 'abc' is invalid. must be an integer from 0 to 65535");
  });
});
