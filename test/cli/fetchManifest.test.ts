import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchData } from '../../src/ingest/fetch/fetchData.js';
import { FetchError } from '../../src/ingest/fetch/FetchError.js';
import { globToRegExp } from '../../src/ingest/fetch/globToRegExp.js';
import { parseDataManifest, readDataManifest } from '../../src/ingest/fetch/readDataManifest.js';
import { safeRelativePath } from '../../src/ingest/fetch/safeRelativePath.js';
import { sampleIds } from '../../src/ingest/fetch/sampleIds.js';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (data-sources.json pins vs the shared data)');

const SHA = 'a'.repeat(64);
const fileSource = (over: Record<string, unknown> = {}) => ({
  name: 'dict',
  url: 'https://example.org/dict.yaml',
  sha256: SHA,
  format: 'file',
  target: 'ruccod/mkb2descr.yaml',
  ...over,
});

function manifestError(raw: unknown): string {
  try {
    parseDataManifest(raw, 'm.json');
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return (err as Error).message;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('safeRelativePath()', () => {
  it('canonicalises plain relative paths', () => {
    expect(safeRelativePath('./ruccod//train/1.txt')).toBe('ruccod/train/1.txt');
    expect(safeRelativePath('ruccod/train/')).toBe('ruccod/train');
  });
  it.each(['../x', 'a/../../x', 'a/..', '/etc/passwd', 'C:/x', 'a\\..\\x', '', '.', 'a\0b'])('rejects %j', (name) => {
    expect(safeRelativePath(name)).toBeNull();
  });
});

describe('globToRegExp()', () => {
  it('keeps * inside one segment and lets ** cross folders', () => {
    expect(globToRegExp('data/*.ann').test('data/12.ann')).toBe(true);
    expect(globToRegExp('data/*.ann').test('data/x/12.ann')).toBe(false);
    expect(globToRegExp('data/**/t.yaml').test('data/a/b/t.yaml')).toBe(true);
    expect(globToRegExp('data/?.txt').test('data/1.txt')).toBe(true);
    expect(globToRegExp('data/?.txt').test('data/12.txt')).toBe(false);
  });
  it('treats regex characters literally', () => {
    expect(globToRegExp('a+b.(c)').test('a+b.(c)')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('sampleIds()', () => {
  const ids = Array.from({ length: 10 }, (_, i) => String(i));
  it('draws a sorted subset of the requested size, independent of input order', () => {
    const sample = sampleIds(ids, 3, 42);
    expect(sample).toHaveLength(3);
    expect(new Set(sample).size).toBe(3);
    for (const id of sample) expect(ids).toContain(id);
    expect([...sample].sort((a, b) => Number(a) - Number(b))).toEqual(sample);
    expect(sampleIds([...ids].reverse(), 3, 42)).toEqual(sample);
  });
  it('is pinned per seed (a changed generator would silently change the dev split)', () => {
    expect(sampleIds(ids, 3, 42)).toEqual(['5', '6', '8']);
    expect(sampleIds(ids, 3, 43)).toEqual(['3', '6', '9']);
  });
  it('sorts numeric ids numerically', () => {
    expect(sampleIds(['10', '9', '100'], 3, 1)).toEqual(['9', '10', '100']);
  });
  it('refuses to sample more ids than there are', () => {
    expect(() => sampleIds(['1', '2'], 3, 1)).toThrow('cannot sample 3 ids out of 2');
  });
});

describe('parseDataManifest()', () => {
  it('fills defaults and canonicalises targets', () => {
    const m = parseDataManifest(
      {
        version: 1,
        sources: [
          fileSource({ target: './ruccod/mkb2descr.yaml' }),
          { name: 'corpus', url: 'https://example.org/c.tar.gz', sha256: null, format: 'tar.gz', members: [{ match: '*.txt', to: 'ruccod/train/' }] },
        ],
      },
      'm.json',
    );
    expect(m.sources[0]).toMatchObject({ target: 'ruccod/mkb2descr.yaml', optional: false, strip: '', members: [] });
    expect(m.sources[1]).toMatchObject({ sha256: null, strip: '', members: [{ match: '*.txt', to: 'ruccod/train/', minCount: 1 }] });
    expect(m.derived).toEqual([]);
  });

  it.each([
    [{ version: 2, sources: [] }, 'manifest m.json: version must be 1, got 2'],
    [{ version: 1, sources: [fileSource({ sha256: 'ABC' })] }, 'manifest m.json: sources[0].sha256 must be 64 lower-case hex digits, or null while not pinned'],
    [{ version: 1, sources: [fileSource({ sha256: undefined })] }, 'manifest m.json: sources[0].sha256 is required (null marks a source whose checksum is not pinned yet)'],
    [{ version: 1, sources: [fileSource({ url: 'file:///etc/passwd' })] }, 'manifest m.json: sources[0].url must be http(s), got file:'],
    [{ version: 1, sources: [fileSource({ target: '../outside.yaml' })] }, 'manifest m.json: sources[0].target must be a relative path inside the data folder, got "../outside.yaml"'],
    [{ version: 1, sources: [fileSource({ format: 'zip' })] }, 'manifest m.json: sources[0].format zip is not supported; use a tar.gz or single-file source'],
    [{ version: 1, sources: [fileSource(), fileSource()] }, 'manifest m.json: sources[1].name duplicates "dict"'],
    [
      { version: 1, sources: [fileSource(), fileSource({ name: 'other', target: 'ruccod/mkb2descr.yaml/x' })] },
      'manifest m.json: targets overlap: dict writes ruccod/mkb2descr.yaml and other writes ruccod/mkb2descr.yaml/x',
    ],
    [
      { version: 1, sources: [{ name: 'c', url: 'https://e.org/c.tgz', sha256: null, format: 'tar.gz', members: [{ match: '*', to: '/abs/' }] }] },
      'manifest m.json: sources[0].members[0].to must be a relative path inside the data folder, got "/abs/"',
    ],
  ])('rejects %j', (raw, message) => {
    expect(manifestError(raw)).toBe(message);
  });
});

describe("the repository's data-sources.json", () => {
  const file = path.resolve('data-sources.json');

  it('is a valid manifest covering the shared data layout', async () => {
    const m = await readDataManifest(file);
    const targets = m.sources.flatMap((s) => (s.format === 'file' ? [s.target] : s.members.map((x) => x.to)));
    expect(new Set([...targets, ...m.derived.map((d) => d.target)])).toEqual(
      new Set([
        'ruccod/mkb2descr.yaml',
        'ruccod/abbr2term.yaml',
        'ruccod/train/',
        'ruccod/dev-ids.txt',
        'mkb10-nsi/mkb10_v2.27.csv',
        'mkb10-nsi/LICENSE.txt',
        'rumedtop3/train.jsonl',
        'rumedtop3/dev.jsonl',
      ]),
    );
    // Only the GitHub-generated archive awaits a maintainer's pin; every URL names a commit.
    expect(m.sources.filter((s) => s.sha256 === null).map((s) => s.name)).toEqual(['ruccod-train']);
    for (const s of m.sources) expect(s.url).toMatch(/\/[0-9a-f]{40}(\/|$)/);
  });

  it.skipIf(!dataDir)('pins exactly the bytes of the shared data (verified offline, nothing downloaded)', async () => {
    const m = await readDataManifest(file);
    const pinnedFiles = m.sources.filter((s) => s.format === 'file' && s.sha256 !== null).map((s) => s.name);
    const report = await fetchData({
      dataDir: dataDir!,
      manifest: m,
      only: pinnedFiles,
      fetchImpl: () => Promise.reject(new Error('must not download')),
    });
    expect(report.sources.map((s) => [s.name, s.status])).toEqual(pinnedFiles.map((n) => [n, 'up-to-date']));
  });
});
