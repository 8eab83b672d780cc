import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../../src/errors.js';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { readTextFile, textEncoding } from '../../src/ingest/readUtf8File.js';
import { codeFolder } from '../../src/pipeline/coding/batch/codeFolder.js';
import { useTempDir } from '../helpers/useTempDir.js';

/**
 * `text` in windows-1251 (cp1251), as a Windows export writes it: ASCII as is, А-я at 0xC0-0xFF,
 * Ё 0xA8, ё 0xB8, № 0xB9. Written for the test (Node encodes only UTF-8 and UTF-16).
 */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) return c;
      if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
      const other: Record<string, number> = { Ё: 0xa8, ё: 0xb8, '№': 0xb9 };
      if (other[ch] !== undefined) return other[ch]!;
      throw new Error(`no cp1251 byte for U+${c.toString(16)} in this test's encoder`);
    }),
  );
}

const tsx = path.resolve('node_modules/.bin/tsx');
const main = path.resolve('src/cli/main.ts');

function icdkg(args: string[], journalDir: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ICDKG_LOG_LEVEL: 'silent', ICDKG_SAMPLE: '1', ICDKG_JOURNAL_DIR: journalDir };
  delete env.NEO4J_URI;
  delete env.ICDKG_DATA_DIR;
  return new Promise((resolve) => {
    execFile(tsx, [main, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

describe('--encoding: text folders in other encodings', () => {
  let dir = '';
  useTempDir('icdkg-encoding-', (d) => (dir = d));

  it('decodes cp1251 and koi8-r when told, refuses them as UTF-8, names file and line of an invalid byte sequence', () => {
    const text = 'Диагноз: ИБС. Ёмкость №2, ёлка.\nСтенокардия напряжения ФК II.';
    const file = path.join(dir, '1.txt');
    fs.writeFileSync(file, cp1251(text));
    expect(readTextFile(file, 'windows-1251')).toBe(text);
    expect(readTextFile(file, textEncoding('cp1251')!)).toBe(text);
    expect(() => readTextFile(file)).toThrow(`${file}:1: not UTF-8 text (byte 0xc4 at offset 0); give its encoding (e.g. \`--encoding windows-1251\`)`);
    // The same bytes read as KOI8-R are other letters: the encoding matters.
    expect(readTextFile(file, 'koi8-r')).not.toBe(text);
    // An encoding with invalid sequences: the first bad byte's line, found by bisection.
    const sjis = path.join(dir, 'sjis.txt');
    fs.writeFileSync(sjis, Buffer.from([0x41, 0x0a, 0x42, 0x0a, 0x81, 0x20]));
    expect(() => readTextFile(sjis, 'shift_jis')).toThrow(IngestError);
    expect(() => readTextFile(sjis, 'shift_jis')).toThrow(`${sjis}:3: not shift_jis text (a byte sequence invalid in shift_jis ends at offset 5)`);
    expect(textEncoding('no-such-encoding')).toBeNull();
  });

  it('codeFolder codes cp1251 texts given --encoding (the coder sees the decoded text)', async () => {
    const inDir = path.join(dir, 'in');
    fs.mkdirSync(inDir);
    fs.writeFileSync(path.join(inDir, '1.txt'), cp1251('ИБС.'));
    fs.writeFileSync(path.join(inDir, '2.txt'), cp1251('Гипертоническая болезнь.'));
    const seen: string[] = [];
    const run = async (texts: string[]) => {
      seen.push(...texts);
      return texts.map(() => ({ entities: [], codes: [] }));
    };
    await expect(codeFolder(run, inDir, path.join(dir, 'refused'), new Map(), 'text')).rejects.toThrow('not UTF-8 text');
    expect(await codeFolder(run, inDir, path.join(dir, 'out'), new Map(), 'text', undefined, { encoding: 'windows-1251' })).toBe(2);
    expect(seen).toEqual(['ИБС.', 'Гипертоническая болезнь.']);
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['1.ann', '2.ann']);
  });

  it('`icdkg evaluate` and `icdkg layer import` read cp1251 folders with --encoding windows-1251, refuse them without, and refuse an unknown encoding', async () => {
    const journal = path.join(dir, 'journal');
    const gold = path.join(dir, 'gold');
    const pred = path.join(dir, 'pred');
    fs.mkdirSync(gold);
    fs.mkdirSync(pred);
    for (const id of ['0', '1']) {
      const txt = fs.readFileSync(path.join(SAMPLE_DATA_DIR, 'ruccod/train', `${id}.txt`), 'utf8');
      const ann = fs.readFileSync(path.join(SAMPLE_DATA_DIR, 'ruccod/train', `${id}.ann`), 'utf8');
      fs.writeFileSync(path.join(gold, `${id}.txt`), cp1251(txt));
      fs.writeFileSync(path.join(gold, `${id}.ann`), cp1251(ann));
      fs.writeFileSync(path.join(pred, `${id}.ann`), cp1251(ann));
    }
    const refused = await icdkg(['evaluate', '--gold', gold, '--pred', pred, '--json'], journal);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${path.join(gold, '0.txt')}:1: not UTF-8 text`);
    const evaluated = await icdkg(['evaluate', '--gold', gold, '--pred', pred, '--json', '--encoding', 'windows-1251'], journal);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { documents: number; codeAssignment: { f1: number } };
    expect(report.documents).toBe(2);
    expect(report.codeAssignment.f1).toBe(1);

    const layerArgs = ['layer', 'import', '--corpus', 'ruccod', '--layer', 'system:cp1251', '--from', pred, '--json'];
    const notDecoded = await icdkg(layerArgs, journal);
    expect(notDecoded.status).toBe(1);
    expect(notDecoded.stderr).toContain(`${path.join(pred, '0.ann')}:1: not UTF-8 text`);
    const imported = await icdkg([...layerArgs, '--encoding', 'cp1251'], journal);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ documents: 2 });

    const unknown = await icdkg(['evaluate', '--gold', gold, '--pred', pred, '--encoding', 'klingon'], journal);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("option '--encoding <name>' argument 'klingon' is invalid");
  }, 120_000);
});
