import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, mkdir, copyFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnn } from '../../src/ingest/parseAnn.js';
import { buildCoder } from '../../src/pipeline/coding/training/buildCoder.js';
import { loadCoderModel } from '../../src/pipeline/coding/training/coderModelDir.js';

const run = promisify(execFile);
const fixture = join(import.meta.dirname, '..', 'fixtures', 'pipeline', 'data');
const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');

describe('icdkg coder build + icdkg code on a hand-written data folder', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'icdkg-coder-test-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('builds a model with a manifest recording its training data and held-out metrics', async () => {
    const out = join(work, 'model');
    const { manifest } = await buildCoder({ dataDir: fixture, excludeIdsPath: join(fixture, 'ruccod', 'dev-ids.txt'), outDir: out });
    expect(manifest).toMatchObject({ task: 'icd-coder', kind: 'lexical', training: { documents: 8, excludedDocuments: 2 } });
    expect(manifest.training.mentions).toBe(16);
    expect(manifest.training.dataFiles.map((f) => f.path)).toEqual(['ruccod/mkb2descr.yaml', 'ruccod/abbr2term.yaml', 'ruccod/train']);
    expect(manifest.training.excludedIdsSha256).toMatch(/^[0-9a-f]{64}$/);
    // Both held-out documents repeat mentions seen in training: everything is found and linked.
    expect(manifest.devMetrics).toMatchObject({ documents: 2, ner: { f1: 1 }, codeAssignment: { f1: 1 } });
    const onDisk = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(manifest);
    const { coder } = await loadCoderModel(out);
    expect(coder.code(['ИБС. Гипертоническая болезнь.'])[0]!.codes).toEqual(['I25.9', 'I11.9']);
  });

  it('writes RuCCoD brat files that the brat loader reads back with no loss', async () => {
    const model = join(work, 'model-all');
    await buildCoder({ dataDir: fixture, outDir: model });
    const txt = join(work, 'txt');
    await mkdir(txt);
    for (const id of ['9', '10']) await copyFile(join(fixture, 'ruccod', 'train', `${id}.txt`), join(txt, `${id}.txt`));
    const ann = join(work, 'ann');
    const { stderr } = await run(tsx, [cli, 'code', '--model', model, '--in', txt, '--out', ann, '--workers', '1']);
    expect(stderr).toMatch(/coded 2 documents in [\d.]+ s \(\d+ documents\/s/);
    expect((await readdir(ann)).sort()).toEqual(['10.ann', '9.ann']);
    const text = await readFile(join(txt, '10.txt'), 'utf8');
    const written = await readFile(join(ann, '10.ann'), 'utf8');
    // Concept ids come from the training references, as in RuCCoD.
    expect(written).toBe(
      'T1\ticd_code 0 3\tИБС\nN1\tReference T1 ICD_codes:101\tI25.9\n' +
        'T2\ticd_code 5 28\tГипертоническая болезнь\nN2\tReference T2 ICD_codes:90\tI11.9\n',
    );
    const back = parseAnn(written, text, '10.ann', undefined, { repair: false });
    expect(back.map((m) => [m.id, m.start, m.end, m.text, m.code])).toEqual([
      ['T1', 0, 3, 'ИБС', 'I25.9'],
      ['T2', 5, 28, 'Гипертоническая болезнь', 'I11.9'],
    ]);
    // Worker threads give the same files.
    const ann2 = join(work, 'ann2');
    await run(tsx, [cli, 'code', '--model', model, '--in', txt, '--out', ann2, '--workers', '2']);
    expect(await readFile(join(ann2, '10.ann'), 'utf8')).toBe(written);
    expect(await readFile(join(ann2, '9.ann'), 'utf8')).toBe(await readFile(join(ann, '9.ann'), 'utf8'));
    // Two CLI processes under tsx, one with worker threads that load tsx again: slow on a busy machine.
  }, 120_000);

  it('writes plain .txt offsets by default and RuCCoD line-break offsets with --offsets ruccod, for LF and CRLF texts', async () => {
    const model = join(work, 'model-all');
    const txt = join(work, 'txt-breaks');
    await mkdir(txt);
    // "ИБС." then a line break then the mention: with \n it starts at 5, with \r\n at 6.
    await writeFile(join(txt, 'lf.txt'), 'ИБС.\nГипертоническая болезнь.');
    await writeFile(join(txt, 'crlf.txt'), 'ИБС.\r\nГипертоническая болезнь.');
    const spans = async (offsets: string[]): Promise<Record<string, [number, number, string][]>> => {
      const ann = join(work, `ann-${offsets.join('-') || 'default'}`);
      await run(tsx, [cli, 'code', '--model', model, '--in', txt, '--out', ann, '--workers', '1', ...offsets]);
      const out: Record<string, [number, number, string][]> = {};
      for (const id of ['lf', 'crlf']) {
        const written = await readFile(join(ann, `${id}.ann`), 'utf8');
        out[id] = written.split('\n').filter((l) => l.startsWith('T')).map((l) => {
          const [, typeSpan, text] = l.split('\t');
          const [, start, end] = typeSpan!.split(' ');
          return [Number(start), Number(end), text!];
        });
      }
      return out;
    };
    const plain = await spans([]);
    expect(plain).toEqual({
      lf: [[0, 3, 'ИБС'], [5, 28, 'Гипертоническая болезнь']],
      crlf: [[0, 3, 'ИБС'], [6, 29, 'Гипертоническая болезнь']],
    });
    expect(await spans(['--offsets', 'text'])).toEqual(plain);
    // RuCCoD's training-file quirk: a bare \n counts twice; a \r\n is already two characters.
    expect(await spans(['--offsets', 'ruccod'])).toEqual({
      lf: [[0, 3, 'ИБС'], [6, 29, 'Гипертоническая болезнь']],
      crlf: [[0, 3, 'ИБС'], [6, 29, 'Гипертоническая болезнь']],
    });
    // The plain output reads back through the brat loader without any repair.
    const lfText = await readFile(join(txt, 'lf.txt'), 'utf8');
    const back = parseAnn(await readFile(join(work, 'ann-default', 'lf.ann'), 'utf8'), lfText, 'lf.ann', undefined, { repair: false });
    expect(back.map((m) => m.text)).toEqual(['ИБС', 'Гипертоническая болезнь']);
  }, 120_000);

  it('codes JSON lines from stdin to stdout', async () => {
    const model = join(work, 'model-all');
    const child = execFile(tsx, [cli, 'code', '--model', model, '--jsonl', '--workers', '1', '--top-k', '1']);
    child.stdin!.end('{"id":"a","text":"ХОБЛ. ИБС."}\n\n{"id":"b","text":""}\n');
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.codes])).toEqual([
      ['a', ['J44.9', 'I25.9']],
      ['b', []],
    ]);
    expect(lines[0].entities[0]).toMatchObject({ start: 0, end: 4, text: 'ХОБЛ', code: 'J44.9', title: 'Хроническая обструктивная легочная болезнь неуточненная' });
    expect(lines[0].entities[0].candidates).toHaveLength(1);
  });
});
