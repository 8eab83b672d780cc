import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { writeCohort } from '../graph/helpers/cohortImports.js';
import { useTempDir } from '../helpers/useTempDir.js';

const main = path.resolve('src/cli/main.ts');
const tsx = path.resolve('node_modules/.bin/tsx');

function env(journalDir: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ICDKG_LOG_LEVEL: 'silent', ICDKG_SAMPLE: '1', ICDKG_JOURNAL_DIR: journalDir };
  delete e.NEO4J_URI;
  delete e.ICDKG_DATA_DIR;
  return e;
}

/** Runs `icdkg args`; resolves when it exits, with its status, stderr and the moment it exited. */
function icdkg(args: string[], journalDir: string): Promise<{ status: number; stderr: string; exitedAt: number }> {
  return new Promise((resolve) => {
    execFile(tsx, [main, ...args], { env: env(journalDir), timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr, exitedAt: performance.now() });
    });
  });
}

async function graphql(url: string, query: string): Promise<{ data?: { corpora: { name: string; documentCount: number; layers: string[] }[] } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.json()) as { data?: { corpora: { name: string; documentCount: number; layers: string[] }[] } };
}

/** Polls the server until `seen` holds for its corpora; the milliseconds from `since`. */
async function visibleAfter(url: string, since: number, seen: (corpora: { name: string; documentCount: number; layers: string[] }[]) => boolean): Promise<number> {
  for (;;) {
    const body = await graphql(url, '{ corpora { name documentCount layers } }');
    if (body.data && seen(body.data.corpora)) return performance.now() - since;
    if (performance.now() - since > 10_000) return Infinity;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a running server shows what the CLI imports', () => {
  let dir = '';
  let server: ChildProcess | null = null;
  useTempDir('icdkg-follow-', (d) => (dir = d));
  afterEach(() => {
    server?.kill('SIGKILL');
    server = null;
  });

  it('serves a cohort and a layer imported by `icdkg cohort import` / `icdkg layer import` within 2 s, without a restart', async () => {
    const journal = path.join(dir, 'journal');
    // Node itself, not the tsx wrapper: SIGKILL of a wrapper would leave the server running.
    server = spawn(process.execPath, ['--import', 'tsx', main, 'serve', '--port', '0'], { env: env(journal), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      server!.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const m = /GraphQL API at (\S+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      server!.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    expect((await graphql(url, '{ corpora { name documentCount layers } }')).data?.corpora.map((c) => c.name)).toEqual(['ruccod']);

    const cohort = writeCohort(path.join(dir, 'c1.jsonl'), 1);
    const imported = await icdkg(['cohort', 'import', '--cohort', cohort, '--name', 'coh1'], journal);
    expect(imported.status, imported.stderr).toBe(0);
    const cohortMs = await visibleAfter(url, imported.exitedAt, (corpora) => corpora.some((c) => c.name === 'coh1' && c.documentCount === 300 && c.layers.includes('original')));

    const annDir = path.join(dir, 'ann');
    fs.mkdirSync(annDir);
    fs.copyFileSync(path.join(SAMPLE_DATA_DIR, 'ruccod/train/0.ann'), path.join(annDir, '0.ann'));
    const layered = await icdkg(['layer', 'import', '--corpus', 'ruccod', '--layer', 'system:follow', '--from', annDir], journal);
    expect(layered.status, layered.stderr).toBe(0);
    const layerMs = await visibleAfter(url, layered.exitedAt, (corpora) => corpora.some((c) => c.name === 'ruccod' && c.layers.includes('system:follow')));

    // A journal compacted by another process: the server replays the snapshot anew and still shows both.
    const compacted = await icdkg(['journal', 'compact'], journal);
    expect(compacted.status, compacted.stderr).toBe(0);
    const deleted = await icdkg(['corpus', 'delete', 'coh1'], journal);
    expect(deleted.status, deleted.stderr).toBe(0);
    const deleteMs = await visibleAfter(url, deleted.exitedAt, (corpora) => !corpora.some((c) => c.name === 'coh1') && corpora.some((c) => c.layers.includes('system:follow')));

    process.stdout.write(`serve follows the journal: cohort import visible after ${Math.round(cohortMs)} ms, layer import after ${Math.round(layerMs)} ms, corpus delete after compaction after ${Math.round(deleteMs)} ms (from the CLI's exit)\n`);
    expect(cohortMs).toBeLessThanOrEqual(2000);
    expect(layerMs).toBeLessThanOrEqual(2000);
    expect(deleteMs).toBeLessThanOrEqual(2000);
  }, 180_000);
});
