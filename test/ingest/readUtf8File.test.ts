import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../../src/errors.js';
import { readBratFolders } from '../../src/ingest/readBratFolders.js';
import { readUtf8File } from '../../src/ingest/readUtf8File.js';
import { codeFolder } from '../../src/pipeline/coding/batch/codeFolder.js';
import { useTempDir } from '../helpers/useTempDir.js';

// "Диагноз: ИБС." in cp1251, as a Windows export writes it.
const CP1251 = Buffer.from([0xc4, 0xe8, 0xe0, 0xe3, 0xed, 0xee, 0xe7, 0x3a, 0x20, 0xc8, 0xc1, 0xd1, 0x2e]);

describe('text files must be UTF-8', () => {
  let dir = '';
  useTempDir('icdkg-utf8-', (d) => (dir = d));

  it('reads UTF-8 (a BOM dropped) and refuses cp1251 and binary files naming file and line', () => {
    fs.writeFileSync(path.join(dir, 'ok.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Диагноз: ИБС.')]));
    expect(readUtf8File(path.join(dir, 'ok.txt'))).toBe('Диагноз: ИБС.');
    fs.writeFileSync(path.join(dir, 'win.txt'), Buffer.concat([Buffer.from('ok\n'), CP1251]));
    expect(() => readUtf8File(path.join(dir, 'win.txt'))).toThrow(IngestError);
    expect(() => readUtf8File(path.join(dir, 'win.txt'))).toThrow(`${path.join(dir, 'win.txt')}:2: not UTF-8 text (byte 0xc4 at offset 3)`);
    fs.writeFileSync(path.join(dir, 'bin.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
    expect(() => readUtf8File(path.join(dir, 'bin.txt'))).toThrow(`${path.join(dir, 'bin.txt')}:1: not UTF-8 text (a NUL byte: a binary file?)`);
  });

  it('icdkg code refuses a folder with a cp1251 file before writing any .ann, and an empty folder', async () => {
    const inDir = path.join(dir, 'in');
    fs.mkdirSync(inDir);
    fs.writeFileSync(path.join(inDir, '1.txt'), 'Диагноз: ИБС.');
    fs.writeFileSync(path.join(inDir, '2.txt'), CP1251);
    const out = path.join(dir, 'out');
    const run = async (texts: string[]) => texts.map(() => ({ entities: [], codes: [] }));
    await expect(codeFolder(run, inDir, out, new Map(), 'text')).rejects.toThrow(`${path.join(inDir, '2.txt')}:1: not UTF-8 text`);
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    await expect(codeFolder(run, empty, out, new Map(), 'text')).rejects.toThrow(`--in ${empty}: no .txt files to code`);
  });

  it('evaluation refuses an empty gold or prediction folder', () => {
    const gold = path.join(dir, 'gold');
    const pred = path.join(dir, 'pred');
    fs.mkdirSync(gold);
    fs.mkdirSync(pred);
    expect(() => readBratFolders(gold, pred)).toThrow(`--gold ${gold}: no .ann files`);
    fs.writeFileSync(path.join(gold, '1.txt'), 'ИБС.');
    fs.writeFileSync(path.join(gold, '1.ann'), '');
    expect(() => readBratFolders(gold, pred)).toThrow(`--pred ${pred}: no .ann files`);
  });
});
