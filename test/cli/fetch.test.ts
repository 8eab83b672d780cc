import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchData, FETCH_STATE_FILE, type FetchEvent } from '../../src/ingest/fetch/fetchData.js';
import { FetchError } from '../../src/ingest/fetch/FetchError.js';
import { parseDataManifest, type DataManifest } from '../../src/ingest/fetch/readDataManifest.js';
import { sampleIds } from '../../src/ingest/fetch/sampleIds.js';
import { startFixtureServer, type FixtureServer } from './fixtureServer.js';
import { makeTarGz, type TarMember } from './makeTarGz.js';

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

// Small hand-written stand-ins for the real files (never copies of the shared data).
const DICT = Buffer.from('I25.9: Хроническая ишемическая болезнь сердца неуточненная\nI10: Эссенциальная гипертензия\n');
const TERMS = Buffer.from('ИБС: ишемическая болезнь сердца\nАГ: артериальная гипертензия\n');
const DOCS = {
  '1.txt': 'ИБС. АГ 2 ст.\n',
  '1.ann': 'T1\ticd_code 0 3\tИБС\nN1\tReference T1 ICD_codes:I25.9\tI25.9\n',
  '2.txt': 'Гипертензия.\n',
  '2.ann': 'T1\ticd_code 0 11\tГипертензия\nN1\tReference T1 ICD_codes:I10\tI10\n',
};
// Over 100 bytes, so the archive must carry it in a pax header as GitHub's archives do.
const LONG_DIR = `dictionaries/${'a-very-long-folder-name-'.repeat(5)}`;

function corpusMembers(): TarMember[] {
  return [
    { name: 'repo-abc/', type: 'directory' },
    { name: 'repo-abc/README.md', data: '# upstream readme\n' },
    { name: 'repo-abc/data/train/', type: 'directory' },
    ...Object.entries(DOCS).map(([f, data]) => ({ name: `repo-abc/data/train/${f}`, data })),
    { name: 'repo-abc/data/test/9.txt', data: 'held out\n' },
    { name: `repo-abc/data/${LONG_DIR}/terms.yaml`, data: TERMS, pax: true },
  ];
}
const GOOD_TAR = makeTarGz(corpusMembers());

function manifest(server: FixtureServer, pins: { dict?: string | null; corpus?: string | null } = {}): DataManifest {
  return parseDataManifest(
    {
      version: 1,
      sources: [
        {
          name: 'dict',
          url: server.url('/moved/mkb2descr.yaml'),
          sha256: pins.dict === undefined ? sha256(DICT) : pins.dict,
          format: 'file',
          target: 'ruccod/mkb2descr.yaml',
        },
        {
          name: 'corpus',
          url: server.url('/files/corpus.tar.gz'),
          sha256: pins.corpus === undefined ? sha256(GOOD_TAR) : pins.corpus,
          format: 'tar.gz',
          strip: 'repo-abc/',
          members: [
            { match: 'data/train/*.txt', to: 'ruccod/train/', minCount: 2 },
            { match: 'data/train/*.ann', to: 'ruccod/train/', minCount: 2 },
            { match: 'data/dictionaries/**/terms.yaml', to: 'ruccod/abbr2term.yaml' },
          ],
        },
      ],
      derived: [
        { name: 'dev-split', kind: 'sample-ids', from: 'ruccod/train', suffix: '.ann', count: 1, seed: 7, target: 'ruccod/dev-ids.txt' },
      ],
    },
    'test-manifest.json',
  );
}

/** Every file under a folder, relative and sorted, with its content hash. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = sha256(readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const EXPECTED_LAYOUT = [
  FETCH_STATE_FILE,
  'ruccod/abbr2term.yaml',
  'ruccod/dev-ids.txt',
  'ruccod/mkb2descr.yaml',
  'ruccod/train/1.ann',
  'ruccod/train/1.txt',
  'ruccod/train/2.ann',
  'ruccod/train/2.txt',
];

let server: FixtureServer;
let root: string;
let dataDir: string;

beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'icdkg-fetch-test-'));
  dataDir = path.join(root, 'data');
  server.routes.clear();
  server.requests.length = 0;
  server.routes.set('/moved/mkb2descr.yaml', { redirect: '/files/mkb2descr.yaml' });
  server.routes.set('/files/mkb2descr.yaml', { body: DICT });
  server.routes.set('/files/corpus.tar.gz', { body: GOOD_TAR });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

async function expectFetchError(promise: Promise<unknown>): Promise<FetchError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

describe('fetchData(): a good download', () => {
  it('lands every mapped member and file in the data layout with the served bytes', async () => {
    const events: FetchEvent[] = [];
    const report = await fetchData({ dataDir, manifest: manifest(server), onEvent: (e) => events.push(e) });

    expect(Object.keys(snapshot(dataDir)).sort()).toEqual(EXPECTED_LAYOUT);
    expect(readFileSync(path.join(dataDir, 'ruccod/mkb2descr.yaml'))).toEqual(DICT);
    expect(readFileSync(path.join(dataDir, 'ruccod/abbr2term.yaml'))).toEqual(TERMS);
    for (const [f, text] of Object.entries(DOCS)) {
      expect(readFileSync(path.join(dataDir, 'ruccod/train', f), 'utf8')).toBe(text);
    }
    expect(readFileSync(path.join(dataDir, 'ruccod/dev-ids.txt'), 'utf8')).toBe(`${sampleIds(['1', '2'], 1, 7)[0]}\n`);
    expect(report.sources).toEqual([
      { name: 'dict', status: 'fetched', files: 1, sha256: sha256(DICT), pinned: true },
      { name: 'corpus', status: 'fetched', files: 5, sha256: sha256(GOOD_TAR), pinned: true },
    ]);
    expect(report.derived.map((d) => d.status)).toEqual(['written']);
    // The redirect was followed, and the archive's bytes were verified before extraction.
    expect(server.requests).toEqual(['/moved/mkb2descr.yaml', '/files/mkb2descr.yaml', '/files/corpus.tar.gz']);
    const types = events.filter((e) => 'source' in e && e.source === 'corpus').map((e) => e.type);
    expect(types.indexOf('verified')).toBeLessThan(types.indexOf('staged'));
    // No temporary folder is left behind.
    expect(readdirSync(dataDir).sort()).toEqual([FETCH_STATE_FILE, 'ruccod']);
  });

  it('is a no-op when everything is present and verified, and re-downloads with force', async () => {
    await fetchData({ dataDir, manifest: manifest(server) });
    const before = snapshot(dataDir);
    const mtime = statSync(path.join(dataDir, 'ruccod/train/1.txt')).mtimeMs;
    server.requests.length = 0;

    const again = await fetchData({ dataDir, manifest: manifest(server) });
    expect(again.sources.map((s) => [s.name, s.status, s.files])).toEqual([
      ['dict', 'up-to-date', 1],
      ['corpus', 'up-to-date', 5],
    ]);
    expect(again.derived.map((d) => d.status)).toEqual(['kept']);
    expect(server.requests).toEqual([]);
    expect(snapshot(dataDir)).toEqual(before);
    expect(statSync(path.join(dataDir, 'ruccod/train/1.txt')).mtimeMs).toBe(mtime);

    const forced = await fetchData({ dataDir, manifest: manifest(server), force: true });
    expect(forced.sources.map((s) => s.status)).toEqual(['fetched', 'fetched']);
    expect(server.requests).toEqual(['/moved/mkb2descr.yaml', '/files/mkb2descr.yaml', '/files/corpus.tar.gz']);
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('replaces a stale folder whole with force (files gone upstream disappear)', async () => {
    await fetchData({ dataDir, manifest: manifest(server) });
    writeFileSync(path.join(dataDir, 'ruccod/train/99.txt'), 'stale\n');
    await fetchData({ dataDir, manifest: manifest(server), force: true });
    expect(existsSync(path.join(dataDir, 'ruccod/train/99.txt'))).toBe(false);
    expect(Object.keys(snapshot(dataDir)).sort()).toEqual(EXPECTED_LAYOUT);
  });

  it('re-verifies on every run: a locally edited file is not up to date and is not overwritten without force', async () => {
    await fetchData({ dataDir, manifest: manifest(server) });
    writeFileSync(path.join(dataDir, 'ruccod/train/1.txt'), 'edited\n');
    const err = await expectFetchError(fetchData({ dataDir, manifest: manifest(server) }));
    expect(err.message).toContain('not verified against the manifest: corpus (ruccod/train)');
    expect(err.message).toContain('--force');
    expect(readFileSync(path.join(dataDir, 'ruccod/train/1.txt'), 'utf8')).toBe('edited\n');

    await fetchData({ dataDir, manifest: manifest(server), force: true });
    expect(readFileSync(path.join(dataDir, 'ruccod/train/1.txt'), 'utf8')).toBe(DOCS['1.txt']);
  });

  it('accepts a single file placed by hand when it matches its pin', async () => {
    mkdirSync(path.join(dataDir, 'ruccod'), { recursive: true });
    writeFileSync(path.join(dataDir, 'ruccod/mkb2descr.yaml'), DICT);
    const report = await fetchData({ dataDir, manifest: manifest(server), only: ['dict'] });
    expect(report.sources).toEqual([{ name: 'dict', status: 'up-to-date', files: 1, sha256: sha256(DICT), pinned: true }]);
    expect(server.requests).toEqual([]);
  });
});

describe('fetchData(): refusals', () => {
  it('refuses a tampered archive naming the source and both hashes, and writes nothing', async () => {
    const tampered = makeTarGz(corpusMembers().map((m) => (m.name.endsWith('1.ann') ? { ...m, data: 'T1\ticd_code 0 3\tИБС\nN1\tReference T1 ICD_codes:C34.9\tC34.9\n' } : m)));
    server.routes.set('/files/corpus.tar.gz', { body: tampered });

    const err = await expectFetchError(fetchData({ dataDir, manifest: manifest(server) }));
    expect(err.source).toBe('corpus');
    expect(err.message).toBe(
      `corpus: SHA-256 mismatch for ${server.url('/files/corpus.tar.gz')}: expected ${sha256(GOOD_TAR)}, got ${sha256(tampered)} ` +
        `(${tampered.length} bytes). The download is refused and nothing was written`,
    );
    // All or nothing: the good `dict` downloaded in the same run was not installed either.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('leaves an existing, verified folder exactly as it was when a forced re-fetch is tampered', async () => {
    await fetchData({ dataDir, manifest: manifest(server) });
    const before = snapshot(dataDir);
    const flipped = Buffer.from(GOOD_TAR);
    flipped[flipped.length - 20] ^= 0xff;
    server.routes.set('/files/corpus.tar.gz', { body: flipped });

    const err = await expectFetchError(fetchData({ dataDir, manifest: manifest(server), force: true }));
    expect(err.message).toContain(`expected ${sha256(GOOD_TAR)}, got ${sha256(flipped)}`);
    expect(snapshot(dataDir)).toEqual(before);
    expect(readdirSync(dataDir).sort()).toEqual([FETCH_STATE_FILE, 'ruccod']);
  });

  it('reports a 404 with the source, the URL and the status, and writes nothing', async () => {
    server.routes.delete('/files/corpus.tar.gz');
    const err = await expectFetchError(fetchData({ dataDir, manifest: manifest(server) }));
    expect(err.message).toBe(`corpus: download of ${server.url('/files/corpus.tar.gz')} failed: HTTP 404 Not Found`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('reports an unreachable server as a download failure', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const m = manifest(server);
    m.sources[0]!.url = `http://127.0.0.1:${port}/nothing-listens-here`;
    const err = await expectFetchError(fetchData({ dataDir, manifest: m, only: ['dict'] }));
    expect(err.message).toBe(`dict: download of http://127.0.0.1:${port}/nothing-listens-here failed: ECONNREFUSED`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it.each([
    ['a ".." member', 'repo-abc/../../evil.txt'],
    ['an absolute member', '/tmp/evil.txt'],
    ['a ".." inside the mapped folder', 'repo-abc/data/train/../../../evil.ann'],
  ])('refuses an archive with %s even when its checksum is pinned', async (_label, evilName) => {
    const evil = makeTarGz([...corpusMembers(), { name: evilName, data: 'pwned\n' }]);
    server.routes.set('/files/corpus.tar.gz', { body: evil });
    const err = await expectFetchError(fetchData({ dataDir, manifest: manifest(server, { corpus: sha256(evil) }) }));
    expect(err.message).toBe(
      `corpus: archive member ${JSON.stringify(evilName)} has an unsafe path (absolute, "..", or backslash); the whole archive is refused and nothing was written`,
    );
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(path.join(root, 'evil.txt'))).toBe(false);
  });

  it('refuses a symlink where a file is expected', async () => {
    const linked = makeTarGz([
      ...corpusMembers().filter((m) => !m.name.endsWith('2.ann')),
      { name: 'repo-abc/data/train/2.ann', type: 'symlink', linkName: '/etc/passwd' },
    ]);
    server.routes.set('/files/corpus.tar.gz', { body: linked });
    const err = await expectFetchError(fetchData({ dataDir, manifest: manifest(server, { corpus: sha256(linked) }) }));
    expect(err.message).toBe('corpus: archive member "repo-abc/data/train/2.ann" is a symlink, not a regular file; refusing the archive');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses an archive whose layout no longer matches the mapping', async () => {
    const moved = makeTarGz(corpusMembers().map((m) => ({ ...m, name: m.name.replace('data/train', 'data/training') })));
    server.routes.set('/files/corpus.tar.gz', { body: moved });
    const err = await expectFetchError(fetchData({ dataDir, manifest: manifest(server, { corpus: sha256(moved) }) }));
    expect(err.message).toBe('corpus: expected at least 2 archive members matching "data/train/*.txt", found 0 (has the archive\'s layout changed?)');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a corrupt gzip stream whose checksum was (wrongly) pinned', async () => {
    const corrupt = Buffer.concat([GOOD_TAR.subarray(0, 40), Buffer.alloc(200, 0x41)]);
    server.routes.set('/files/corpus.tar.gz', { body: corrupt });
    const err = await expectFetchError(fetchData({ dataDir, manifest: manifest(server, { corpus: sha256(corrupt) }) }));
    expect(err.message).toMatch(/^corpus: archive is not a valid tar\.gz: /);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses unpinned sources before downloading anything, unless allowed', async () => {
    const m = manifest(server, { corpus: null });
    const err = await expectFetchError(fetchData({ dataDir, manifest: m }));
    expect(err.message).toContain('without a pinned SHA-256 in the manifest: corpus');
    expect(err.message).toContain('--allow-unpinned');
    expect(server.requests).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);

    const events: FetchEvent[] = [];
    const report = await fetchData({ dataDir, manifest: m, allowUnpinned: true, onEvent: (e) => events.push(e) });
    expect(report.sources[1]).toEqual({ name: 'corpus', status: 'fetched', files: 5, sha256: sha256(GOOD_TAR), pinned: false });
    expect(events).toContainEqual({ type: 'verified', source: 'corpus', sha256: sha256(GOOD_TAR), bytes: GOOD_TAR.length, pinned: false });
  });

  it('rejects unknown source names in `only`', async () => {
    const err = await expectFetchError(fetchData({ dataDir, manifest: manifest(server), only: ['dictionary'] }));
    expect(err.message).toBe('unknown source(s) dictionary; the manifest has dict, corpus');
  });
});

describe('icdkg data fetch (the command)', () => {
  const main = path.resolve('src/cli/main.ts');
  const tsx = path.resolve('node_modules/.bin/tsx');
  // Asynchronous: the fixture server lives in this process and must keep answering.
  const run = (args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(tsx, [main, 'data', 'fetch', ...args], { env: { ...process.env, ICDKG_LOG_LEVEL: 'silent' } }, (err, stdout, stderr) => {
        resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
      });
    });

  it('fetches into --data-dir from --manifest, then refuses a tampered archive with exit code 1', async () => {
    const manifestFile = path.join(root, 'manifest.json');
    const m = manifest(server);
    writeFileSync(manifestFile, JSON.stringify(m));

    const ok = await run(['--data-dir', dataDir, '--manifest', manifestFile]);
    expect(ok.stderr).toContain('corpus: SHA-256 verified');
    expect(ok.stdout).toBe(`data fetch: ${dataDir}: 2 source(s) fetched, 0 already up to date, 6 file(s) verified\n`);
    expect(ok.status).toBe(0);
    expect(Object.keys(snapshot(dataDir)).sort()).toEqual(EXPECTED_LAYOUT);
    const before = snapshot(dataDir);

    server.routes.set('/files/corpus.tar.gz', { body: makeTarGz(corpusMembers().slice(1)) });
    const bad = await run(['--data-dir', dataDir, '--manifest', manifestFile, '--force']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`icdkg: corpus: SHA-256 mismatch for ${server.url('/files/corpus.tar.gz')}: expected ${sha256(GOOD_TAR)}, got `);
    expect(snapshot(dataDir)).toEqual(before);
  });
});
