import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { SAMPLE_DATA_DIR, loadDataDir } from '../../src/ingest/loadDataDir.js';
import { APPOINTMENTS_PER_COHORT, writeCohort } from '../graph/helpers/cohortImports.js';
import { collectLines } from '../helpers/collectLines.js';
import { useTempDir } from '../helpers/useTempDir.js';

const root = path.resolve('.');
const tsx = path.resolve('node_modules/.bin/tsx');
const journalFile = (dir: string) => path.join(dir, 'memory-journal.jsonl');
const quiet = { warn: () => undefined };

function child(args: string[]): { process: ChildProcess; lines: string[]; stderr: () => string } {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/graph/helpers/cohortImporter.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return collectLines(proc);
}

/** Runs `icdkg args` on the sample with the journal in `journalDir`; resolves with its status and stderr. */
function icdkg(args: string[], journalDir: string): Promise<{ status: number; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ICDKG_LOG_LEVEL: 'silent', ICDKG_SAMPLE: '1', ICDKG_JOURNAL_DIR: journalDir };
  delete env.NEO4J_URI;
  delete env.ICDKG_DATA_DIR;
  return new Promise((resolve) => {
    execFile(tsx, [path.join(root, 'src/cli/main.ts'), ...args], { env, timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr });
    });
  });
}

describe('cohort imports are all or nothing', () => {
  let dir = '';
  useTempDir('icdkg-cohort-durability-', (d) => (dir = d));

  it('keeps every acknowledged cohort import whole and no partial one when importers are SIGKILLed at random points', async () => {
    const TOTAL = 30;
    fs.mkdirSync(path.join(dir, 'cohorts'));
    for (let i = 0; i < TOTAL; i++) writeCohort(path.join(dir, 'cohorts', `c${i}.jsonl`), i);
    const acked = new Set<number>();
    let next = 0;
    let kills = 0;
    let seed = 29;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let runs = 0;
    while (next < TOTAL) {
      // Every other importer stages its imports (lines of 100 items and a commit line), the others write one batch line each.
      // At most four imports per importer, killed after 0-2 acknowledged ones plus 0-20 ms (often
      // inside an import: parsing, validating, writing the record), whatever the machine's speed.
      const writer = child([dir, String(next), String(Math.min(TOTAL, next + 4)), ...(runs++ % 2 === 1 ? ['100'] : [])]);
      let done = false;
      const exited = new Promise<NodeJS.Signals | null>((resolve) => writer.process.once('exit', (_code, signal) => ((done = true), resolve(signal))));
      const killAfter = Math.floor(random() * 3);
      const extraMs = random() * 20;
      void (async () => {
        while (!done && writer.lines.filter((l) => l.startsWith('acked ')).length < killAfter) await new Promise((r) => setTimeout(r, 1));
        if (!done) await new Promise((r) => setTimeout(r, extraMs));
        if (!done) {
          kills++;
          writer.process.kill('SIGKILL');
        }
      })();
      const signal = await exited;
      if (signal === null && writer.process.exitCode !== 0) throw new Error(`importer exited with ${writer.process.exitCode}: ${writer.stderr().slice(-2000)}`);
      for (const line of writer.lines) if (line.startsWith('acked ')) acked.add(Number(line.slice(6)));
      next = acked.size === 0 ? 0 : Math.max(...acked) + 1;
    }
    expect(kills).toBeGreaterThan(3);
    const lines = fs.readFileSync(journalFile(dir), 'utf8').split('\n').filter((l) => l !== '');
    process.stdout.write(`cohort durability: ${TOTAL} imports, ${kills} importers killed, ${lines.length - 1} journal lines\n`);
    // Every import is one journal record (a batch: documents and layers together), or stage lines committed by one record.
    const types = lines.slice(1).map((l) => (JSON.parse(l.slice(9)) as { type: string }).type);
    expect(types.every((t) => t === 'batch' || t === 'stage' || t === 'commit' || t === 'header'), types.join(',')).toBe(true);
    expect(types.filter((t) => t === 'commit').length).toBeGreaterThan(0);
    expect(types.filter((t) => t === 'batch').length).toBeGreaterThan(0);
    // Stage lines a killed importer left without their commit (never applied).
    let uncommitted = 0;
    types.forEach((t, k) => {
      if (t === 'stage' && types[k + 1] !== 'stage' && types[k + 1] !== 'commit') uncommitted++;
    });
    process.stdout.write(`cohort durability: ${uncommitted} staged imports cut before their commit\n`);

    const store = MemoryStore.open(await loadDataDir(SAMPLE_DATA_DIR), { journalDir: dir, log: quiet });
    const corpora = new Map((await store.listCorpora()).map((c) => [c.name, c]));
    for (let i = 0; i < TOTAL; i++) {
      expect(acked.has(i), `import ${i} acknowledged`).toBe(true);
      expect(corpora.has(`coh${i}`), `import ${i} present`).toBe(true);
    }
    for (const [name, info] of corpora) {
      if (!name.startsWith('coh')) continue;
      // Whole: every appointment, and the layer on every one of them.
      expect(info.documentCount, name).toBe(APPOINTMENTS_PER_COHORT);
      expect(info.layers, name).toEqual(['original']);
      const ids = await store.listDocumentIds(name, null);
      const layer = await store.getLayer(name, 'original', ids);
      expect(layer.filter((a) => a.codes.length > 0).length, name).toBe(APPOINTMENTS_PER_COHORT);
    }
    await store.close();
  }, 300_000);

  it('a failing `icdkg cohort import` (unknown code in the last appointment) exits 1, names file and line, and leaves the journal byte for byte as it was', async () => {
    const good = writeCohort(path.join(dir, 'good.jsonl'), 1);
    const bad = writeCohort(path.join(dir, 'bad.jsonl'), 2, true);
    const journal = path.join(dir, 'journal');
    const first = await icdkg(['cohort', 'import', '--cohort', good, '--name', 'coh1'], journal);
    expect(first.status, first.stderr).toBe(0);
    const before = fs.readFileSync(journalFile(journal));
    const failed = await icdkg(['cohort', 'import', '--cohort', bad, '--name', 'coh2'], journal);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${bad}:${APPOINTMENTS_PER_COHORT}:`);
    // --replace of an existing corpus with a bad file: the old corpus stays, nothing is written.
    const replaced = await icdkg(['cohort', 'import', '--cohort', bad, '--name', 'coh1', '--replace'], journal);
    expect(replaced.status).toBe(1);
    expect(fs.readFileSync(journalFile(journal)).equals(before)).toBe(true);
    const store = MemoryStore.open({ ...(await loadDataDir(SAMPLE_DATA_DIR)) }, { journalDir: journal, log: quiet });
    expect((await store.listCorpora()).filter((c) => c.name.startsWith('coh')).map((c) => [c.name, c.documentCount])).toEqual([['coh1', APPOINTMENTS_PER_COHORT]]);
    await store.close();
  }, 120_000);
});
