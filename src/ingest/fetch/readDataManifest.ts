import { readFile } from 'node:fs/promises';
import { FetchError } from './FetchError.js';
import { safeRelativePath } from './safeRelativePath.js';

/** How a source is packaged: one file as is, or a gzipped tar archive to pick members from. */
export type SourceFormat = 'file' | 'tar.gz';

/** Maps archive members (after `strip`) that match a glob to a place in the data folder. */
export interface MemberMapping {
  /** Glob over member paths after `strip` (`*`, `?`, `**`), e.g. `data/ruccod_train/*.ann`. */
  match: string;
  /**
   * Target relative to the data folder. Ending in `/`: a folder that receives every matching
   * member under its base name. Otherwise: one file, and exactly one member must match.
   */
  to: string;
  /** Fewer matches than this is an error (a moved or renamed folder upstream); default 1. */
  minCount: number;
}

/** One downloadable source of the data folder. */
export interface DataSource {
  name: string;
  description: string;
  url: string;
  /** Lower-case hex SHA-256 of the downloaded bytes; null = not pinned yet (refused by default). */
  sha256: string | null;
  format: SourceFormat;
  /** Fetched only when asked for (`--optional` or `--only`). */
  optional: boolean;
  /** `file`: where the file goes, relative to the data folder. */
  target: string | null;
  /** `tar.gz`: a prefix removed from every member path before matching (GitHub's `repo-<sha>/`). */
  strip: string;
  /** `tar.gz`: which members go where. */
  members: MemberMapping[];
  licence: string | null;
}

/**
 * A file computed from fetched data rather than downloaded: a seeded random sample of document
 * ids (the development split). Written only when absent, or with `--force`.
 */
export interface DerivedSampleIds {
  name: string;
  description: string;
  kind: 'sample-ids';
  /** Folder (relative to the data folder) whose files `<id><suffix>` give the ids. */
  from: string;
  suffix: string;
  count: number;
  seed: number;
  target: string;
}

export interface DataManifest {
  version: 1;
  sources: DataSource[];
  derived: DerivedSampleIds[];
}

const SHA256 = /^[0-9a-f]{64}$/;
const NAME = /^[a-z0-9][a-z0-9._-]*$/;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates a parsed data manifest (`data-sources.json`) and returns it typed, with defaults
 * filled in. Every problem is reported with the JSON path of the bad field; targets must be safe
 * relative paths and no two sources may write the same place.
 *
 * @example
 * parseDataManifest({ version: 1, sources: [{ name: 'icd', url: 'https://example.org/icd.csv',
 *   sha256: null, format: 'file', target: 'mkb10-nsi/mkb10_v2.27.csv' }] }, 'data-sources.json');
 */
export function parseDataManifest(raw: unknown, file: string): DataManifest {
  const fail = (where: string, what: string): never => {
    throw new FetchError(null, `manifest ${file}: ${where} ${what}`);
  };
  if (!isObject(raw)) return fail('top level', 'must be a JSON object');
  if (raw.version !== 1) fail('version', `must be 1, got ${JSON.stringify(raw.version)}`);
  if (!Array.isArray(raw.sources)) return fail('sources', 'must be an array');

  const str = (o: Json, key: string, where: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || v === '') return fail(`${where}.${key}`, 'must be a non-empty string');
    return v;
  };
  const safe = (value: string, where: string): string => {
    const canonical = safeRelativePath(value);
    if (canonical === null) return fail(where, `must be a relative path inside the data folder, got ${JSON.stringify(value)}`);
    return canonical;
  };

  const names = new Set<string>();
  const claimName = (name: string, where: string): void => {
    if (!NAME.test(name)) fail(`${where}.name`, `must match ${NAME}, got ${JSON.stringify(name)}`);
    if (names.has(name)) fail(`${where}.name`, `duplicates ${JSON.stringify(name)}`);
    names.add(name);
  };

  const sources = raw.sources.map((s: unknown, i: number): DataSource => {
    const where = `sources[${i}]`;
    if (!isObject(s)) return fail(where, 'must be an object');
    const name = str(s, 'name', where);
    claimName(name, where);
    const url = str(s, 'url', where);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return fail(`${where}.url`, `is not a URL: ${JSON.stringify(url)}`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') fail(`${where}.url`, `must be http(s), got ${parsed.protocol}`);
    if (s.sha256 === undefined) fail(`${where}.sha256`, 'is required (null marks a source whose checksum is not pinned yet)');
    const sha256 = s.sha256 === null ? null : s.sha256;
    if (sha256 !== null && (typeof sha256 !== 'string' || !SHA256.test(sha256))) {
      fail(`${where}.sha256`, 'must be 64 lower-case hex digits, or null while not pinned');
    }
    const format = s.format;
    if (format === 'zip') fail(`${where}.format`, 'zip is not supported; use a tar.gz or single-file source');
    if (format !== 'file' && format !== 'tar.gz') return fail(`${where}.format`, `must be "file" or "tar.gz", got ${JSON.stringify(format)}`);
    const optional = s.optional === undefined ? false : s.optional;
    if (typeof optional !== 'boolean') fail(`${where}.optional`, 'must be a boolean');
    const licence = typeof s.licence === 'string' ? s.licence : null;
    const description = typeof s.description === 'string' ? s.description : '';

    if (format === 'file') {
      const target = safe(str(s, 'target', where), `${where}.target`);
      return { name, description, url, sha256: sha256 as string | null, format, optional: optional as boolean, target, strip: '', members: [], licence };
    }
    const strip = s.strip === undefined ? '' : s.strip;
    if (typeof strip !== 'string') fail(`${where}.strip`, 'must be a string');
    if (!Array.isArray(s.members) || s.members.length === 0) return fail(`${where}.members`, 'must be a non-empty array');
    const members = s.members.map((m: unknown, j: number): MemberMapping => {
      const mw = `${where}.members[${j}]`;
      if (!isObject(m)) return fail(mw, 'must be an object');
      const match = str(m, 'match', mw);
      const toRaw = str(m, 'to', mw);
      const to = safe(toRaw, `${mw}.to`) + (toRaw.endsWith('/') ? '/' : '');
      const minCount = m.minCount === undefined ? 1 : m.minCount;
      if (typeof minCount !== 'number' || !Number.isInteger(minCount) || minCount < 0) fail(`${mw}.minCount`, 'must be a non-negative integer');
      return { match, to, minCount: minCount as number };
    });
    return { name, description, url, sha256: sha256 as string | null, format, optional: optional as boolean, target: null, strip: strip as string, members, licence };
  });

  const derivedRaw = raw.derived === undefined ? [] : raw.derived;
  if (!Array.isArray(derivedRaw)) return fail('derived', 'must be an array');
  const derived = derivedRaw.map((d: unknown, i: number): DerivedSampleIds => {
    const where = `derived[${i}]`;
    if (!isObject(d)) return fail(where, 'must be an object');
    const name = str(d, 'name', where);
    claimName(name, where);
    if (d.kind !== 'sample-ids') fail(`${where}.kind`, `must be "sample-ids", got ${JSON.stringify(d.kind)}`);
    const count = d.count;
    const seed = d.seed;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) fail(`${where}.count`, 'must be a positive integer');
    if (typeof seed !== 'number' || !Number.isInteger(seed)) fail(`${where}.seed`, 'must be an integer');
    return {
      name,
      description: typeof d.description === 'string' ? d.description : '',
      kind: 'sample-ids',
      from: safe(str(d, 'from', where), `${where}.from`),
      suffix: str(d, 'suffix', where),
      count: count as number,
      seed: seed as number,
      target: safe(str(d, 'target', where), `${where}.target`),
    };
  });

  // Two writers of one place would make the result depend on the order of the manifest.
  const roots: { path: string; owner: string }[] = [];
  for (const s of sources) {
    const paths = s.format === 'file' ? [s.target!] : s.members.map((m) => m.to.replace(/\/$/, ''));
    for (const p of new Set(paths)) roots.push({ path: p, owner: s.name });
  }
  for (const d of derived) roots.push({ path: d.target, owner: d.name });
  for (let a = 0; a < roots.length; a++) {
    for (let b = a + 1; b < roots.length; b++) {
      const x = roots[a]!.path;
      const y = roots[b]!.path;
      if (x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`)) {
        fail('targets', `overlap: ${roots[a]!.owner} writes ${x} and ${roots[b]!.owner} writes ${y}`);
      }
    }
  }
  return { version: 1, sources, derived };
}

/** Reads and validates a data manifest file; see {@link parseDataManifest}. */
export async function readDataManifest(file: string): Promise<DataManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FetchError(null, `cannot read manifest ${file}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FetchError(null, `manifest ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseDataManifest(raw, file);
}
