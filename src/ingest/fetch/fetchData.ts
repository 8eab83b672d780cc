import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { downloadFile } from './downloadFile.js';
import { FetchError } from './FetchError.js';
import { globToRegExp } from './globToRegExp.js';
import type { DataManifest, DataSource, DerivedSampleIds } from './readDataManifest.js';
import { readTarGz, TarFormatError } from './readTarGz.js';
import { safeRelativePath } from './safeRelativePath.js';
import { sampleIds } from './sampleIds.js';

/** Name of the record, inside the data folder, of what `data fetch` installed and its hashes. */
export const FETCH_STATE_FILE = '.icdkg-fetch.json';

export interface FetchDataOptions {
  dataDir: string;
  manifest: DataManifest;
  /** Re-download and replace everything selected, even what is present and verified. */
  force?: boolean;
  /** Fetch sources whose `sha256` is null (reporting the hash they had); refused otherwise. */
  allowUnpinned?: boolean;
  /** Also fetch sources marked `optional`. */
  includeOptional?: boolean;
  /** Fetch only these sources (optional ones included when named). */
  only?: readonly string[];
  /** Per-download time limit in ms (default 10 minutes). */
  timeoutMs?: number;
  /** Per-download size limit in bytes (default 2 GiB). */
  maxBytes?: number;
  onEvent?: (event: FetchEvent) => void;
  /** For tests; the global `fetch` by default. */
  fetchImpl?: typeof fetch;
}

export type FetchEvent =
  | { type: 'up-to-date'; source: string; files: number }
  | { type: 'download'; source: string; url: string }
  | { type: 'progress'; source: string; received: number; total: number | null }
  | { type: 'verified'; source: string; sha256: string; bytes: number; pinned: boolean }
  | { type: 'staged'; source: string; files: number }
  | { type: 'installed'; source: string; files: number }
  | { type: 'derived'; name: string; target: string; status: DerivedStatus; detail: string };

export type DerivedStatus = 'written' | 'kept' | 'skipped';

export interface SourceOutcome {
  name: string;
  status: 'up-to-date' | 'fetched';
  /** Files this source provides in the data folder. */
  files: number;
  /** SHA-256 of the downloaded bytes (of the recorded download when up to date); null if unknown. */
  sha256: string | null;
  pinned: boolean;
}

export interface DerivedOutcome {
  name: string;
  target: string;
  status: DerivedStatus;
  detail: string;
}

export interface FetchReport {
  dataDir: string;
  sources: SourceOutcome[];
  derived: DerivedOutcome[];
}

interface StateEntry {
  url: string;
  sha256: string;
  /** Hash of the source's manifest entry: a changed mapping means a re-fetch. */
  spec: string;
  /** Installed files relative to the data folder, with their SHA-256. */
  files: Record<string, string>;
}

interface FetchState {
  version: 1;
  sources: Record<string, StateEntry>;
}

interface Staged {
  source: DataSource;
  sha256: string;
  files: Record<string, string>;
  /** Folder mirroring the data folder's layout with this source's files. */
  stageDir: string;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

function specHash(source: DataSource): string {
  const { name: _name, description: _description, licence: _licence, optional: _optional, ...spec } = source;
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex');
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** The paths (files or folders, relative to the data folder) a source owns and replaces whole. */
function roots(source: DataSource): string[] {
  if (source.format === 'file') return [source.target!];
  return [...new Set(source.members.map((m) => m.to.replace(/\/$/, '')))];
}

async function readState(dataDir: string): Promise<FetchState> {
  const file = path.join(dataDir, FETCH_STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, sources: {} };
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as FetchState;
    if (parsed.version === 1 && typeof parsed.sources === 'object' && parsed.sources !== null) return parsed;
  } catch {
    // fall through: an unreadable record only costs a re-verification, never trust
  }
  return { version: 1, sources: {} };
}

async function writeAtomically(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, data, { flag: 'wx' });
  await rename(tmp, file);
}

type Status = { kind: 'up-to-date'; entry: StateEntry } | { kind: 'missing' } | { kind: 'changed'; path: string };

async function sourceStatus(source: DataSource, dataDir: string, state: FetchState): Promise<Status> {
  const entry = state.sources[source.name];
  if (
    entry !== undefined &&
    entry.url === source.url &&
    entry.spec === specHash(source) &&
    (source.sha256 === null || entry.sha256 === source.sha256) &&
    Object.keys(entry.files).length > 0
  ) {
    let allGood = true;
    for (const [rel, sha] of Object.entries(entry.files)) {
      const file = path.join(dataDir, rel);
      if (!(await exists(file)) || (await sha256File(file)) !== sha) {
        allGood = false;
        break;
      }
    }
    if (allGood) return { kind: 'up-to-date', entry };
  }
  // A single-file source placed by hand (e.g. copied from a colleague) is verified by its pin.
  if (source.format === 'file' && source.sha256 !== null) {
    const file = path.join(dataDir, source.target!);
    if ((await exists(file)) && (await sha256File(file)) === source.sha256) {
      return {
        kind: 'up-to-date',
        entry: { url: source.url, sha256: source.sha256, spec: specHash(source), files: { [source.target!]: source.sha256 } },
      };
    }
  }
  for (const root of roots(source)) {
    if (await exists(path.join(dataDir, root))) return { kind: 'changed', path: root };
  }
  return { kind: 'missing' };
}

async function stageFile(source: DataSource, download: string, stageDir: string, sha256: string): Promise<Record<string, string>> {
  const target = path.join(stageDir, source.target!);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(download, target);
  return { [source.target!]: sha256 };
}

async function stageTarGz(source: DataSource, download: string, stageDir: string): Promise<Record<string, string>> {
  const matchers = source.members.map((m) => ({ mapping: m, re: globToRegExp(m.match), count: 0 }));
  const files: Record<string, string> = {};
  const origin = new Map<string, string>();
  // The member that `select` accepted, with its target: `onFile` follows it directly.
  let pending: { target: string } | null = null;
  for (const m of source.members) if (m.to.endsWith('/')) await mkdir(path.join(stageDir, m.to), { recursive: true });

  try {
    await readTarGz(
      download,
      (entry) => {
        const name = safeRelativePath(entry.name);
        if (name === null) {
          throw new FetchError(source.name, `archive member ${JSON.stringify(entry.name)} has an unsafe path (absolute, "..", or backslash); the whole archive is refused and nothing was written`);
        }
        if (!name.startsWith(source.strip) || name.length === source.strip.length) return false;
        const rel = name.slice(source.strip.length);
        const hit = matchers.find((x) => x.re.test(rel));
        if (hit === undefined || entry.type === 'directory') return false;
        if (entry.type !== 'file') {
          throw new FetchError(source.name, `archive member ${JSON.stringify(entry.name)} is a ${entry.type}, not a regular file; refusing the archive`);
        }
        hit.count++;
        const target = hit.mapping.to.endsWith('/') ? hit.mapping.to + path.posix.basename(rel) : hit.mapping.to;
        const previous = origin.get(target);
        if (previous !== undefined) {
          throw new FetchError(source.name, `archive members ${JSON.stringify(previous)} and ${JSON.stringify(entry.name)} both map to ${target}`);
        }
        origin.set(target, entry.name);
        pending = { target };
        return true;
      },
      async (_entry, data) => {
        const { target } = pending!;
        pending = null;
        const file = path.join(stageDir, target);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, data, { flag: 'wx' });
        files[target] = createHash('sha256').update(data).digest('hex');
      },
    );
  } catch (err) {
    if (err instanceof TarFormatError) throw new FetchError(source.name, `archive is not a valid tar.gz: ${err.message}`, { cause: err });
    throw err;
  }
  for (const { mapping, count } of matchers) {
    const single = !mapping.to.endsWith('/');
    if (single && count !== 1) {
      throw new FetchError(source.name, `expected exactly one archive member matching ${JSON.stringify(mapping.match)} for ${mapping.to}, found ${count}`);
    }
    if (count < mapping.minCount) {
      throw new FetchError(source.name, `expected at least ${mapping.minCount} archive members matching ${JSON.stringify(mapping.match)}, found ${count} (has the archive's layout changed?)`);
    }
  }
  return files;
}

/**
 * Moves every staged root into the data folder. Existing roots are first moved aside so that a
 * failure half-way can be rolled back; each move is a same-filesystem rename (the work folder is
 * inside the data folder), so no reader ever sees a half-written file.
 */
async function install(staged: readonly Staged[], dataDir: string, workDir: string): Promise<void> {
  const asideDir = path.join(workDir, 'aside');
  await mkdir(asideDir, { recursive: true });
  const done: { final: string; aside: string | null }[] = [];
  try {
    for (const s of staged) {
      for (const root of roots(s.source)) {
        const final = path.join(dataDir, root);
        let aside: string | null = null;
        if (await exists(final)) {
          aside = path.join(asideDir, String(done.length));
          await rename(final, aside);
        }
        done.push({ final, aside });
        await mkdir(path.dirname(final), { recursive: true });
        await rename(path.join(s.stageDir, root), final);
      }
    }
  } catch (err) {
    for (const { final, aside } of done.reverse()) {
      await rm(final, { recursive: true, force: true });
      if (aside !== null) await rename(aside, final);
    }
    throw err;
  }
}

async function runDerived(d: DerivedSampleIds, dataDir: string, workDir: () => Promise<string>, force: boolean): Promise<DerivedOutcome> {
  const target = path.join(dataDir, d.target);
  const outcome = (status: DerivedStatus, detail: string): DerivedOutcome => ({ name: d.name, target: d.target, status, detail });
  if (!force && (await exists(target))) return outcome('kept', 'present; --force regenerates it');
  const from = path.join(dataDir, d.from);
  if (!(await exists(from))) return outcome('skipped', `${d.from} is not there`);
  const ids = (await readdir(from)).filter((f) => f.endsWith(d.suffix)).map((f) => f.slice(0, -d.suffix.length));
  if (ids.length < d.count) {
    throw new FetchError(d.name, `needs ${d.count} ids from ${d.from}/*${d.suffix}, found ${ids.length}`);
  }
  const sample = sampleIds(ids, d.count, d.seed);
  const tmp = path.join(await workDir(), `${d.name}.derived`);
  await writeFile(tmp, `${sample.join('\n')}\n`, { flag: 'wx' });
  await mkdir(path.dirname(target), { recursive: true });
  await rename(tmp, target);
  return outcome('written', `${d.count} of ${ids.length} ids, seed ${d.seed}`);
}

/**
 * `icdkg data fetch`: brings the data folder up to the manifest. For each selected source that is
 * not already present and verified, downloads it (streaming to a temporary file while hashing),
 * checks its SHA-256 against the manifest BEFORE reading anything out of it, extracts the mapped
 * members (refusing unsafe member paths and links) into a staging folder, and only when every
 * source of the run has been verified moves the results into place. Any failure leaves the data
 * folder as it was. Sources without a pinned checksum are refused unless `allowUnpinned`.
 * Existing files that do not match the manifest are never overwritten without `force`.
 *
 * @example
 * const report = await fetchData({ dataDir: './data', manifest: await readDataManifest('data-sources.json') });
 * // report.sources: [{ name: 'ruccod-dictionary', status: 'fetched', files: 1, ... }, ...]
 */
export async function fetchData(options: FetchDataOptions): Promise<FetchReport> {
  const { manifest, force = false, allowUnpinned = false, includeOptional = false, onEvent } = options;
  const dataDir = path.resolve(options.dataDir);
  const emit = (e: FetchEvent): void => onEvent?.(e);

  let selected: DataSource[];
  if (options.only !== undefined && options.only.length > 0) {
    const known = new Map(manifest.sources.map((s) => [s.name, s]));
    const unknown = options.only.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new FetchError(null, `unknown source(s) ${unknown.join(', ')}; the manifest has ${[...known.keys()].join(', ')}`);
    }
    selected = manifest.sources.filter((s) => options.only!.includes(s.name));
  } else {
    selected = manifest.sources.filter((s) => includeOptional || !s.optional);
  }

  const unpinned = selected.filter((s) => s.sha256 === null);
  if (unpinned.length > 0 && !allowUnpinned) {
    throw new FetchError(
      null,
      `source(s) without a pinned SHA-256 in the manifest: ${unpinned.map((s) => s.name).join(', ')}. ` +
        'Pin their checksums, or pass --allow-unpinned to download them anyway (their hashes are then printed, not verified)',
    );
  }

  const createdDataDir = !(await exists(dataDir));
  await mkdir(dataDir, { recursive: true });
  const state = await readState(dataDir);
  const outcomes: SourceOutcome[] = [];
  const toFetch: DataSource[] = [];
  const conflicts: string[] = [];
  for (const source of selected) {
    const status = force ? ({ kind: 'missing' } as const) : await sourceStatus(source, dataDir, state);
    if (status.kind === 'up-to-date') {
      state.sources[source.name] = status.entry;
      const files = Object.keys(status.entry.files).length;
      outcomes.push({ name: source.name, status: 'up-to-date', files, sha256: status.entry.sha256, pinned: source.sha256 !== null });
      emit({ type: 'up-to-date', source: source.name, files });
    } else if (status.kind === 'changed') {
      conflicts.push(`${source.name} (${status.path})`);
    } else {
      toFetch.push(source);
    }
  }
  if (conflicts.length > 0) {
    if (createdDataDir) await rmdir(dataDir).catch(() => undefined);
    throw new FetchError(
      null,
      `present in ${dataDir} but not verified against the manifest: ${conflicts.join(', ')}. Pass --force to replace them`,
    );
  }

  // Inside the data folder so that installing is a same-filesystem rename; made only when needed
  // (a folder that is already complete may be read-only).
  const workDir = path.join(dataDir, `.icdkg-fetch-${randomBytes(6).toString('hex')}`);
  let workDirMade = false;
  const ensureWorkDir = async (): Promise<string> => {
    if (!workDirMade) await mkdir(workDir);
    workDirMade = true;
    return workDir;
  };
  let succeeded = false;
  try {
    const staged: Staged[] = [];
    for (const source of toFetch) {
      await ensureWorkDir();
      const download = path.join(workDir, `${source.name}.download`);
      emit({ type: 'download', source: source.name, url: source.url });
      const result = await downloadFile(source.url, download, {
        source: source.name,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
        fetchImpl: options.fetchImpl,
        onProgress: (received, total) => emit({ type: 'progress', source: source.name, received, total }),
      });
      if (source.sha256 !== null && result.sha256 !== source.sha256) {
        throw new FetchError(
          source.name,
          `SHA-256 mismatch for ${source.url}: expected ${source.sha256}, got ${result.sha256} (${result.bytes} bytes). ` +
            'The download is refused and nothing was written',
        );
      }
      emit({ type: 'verified', source: source.name, sha256: result.sha256, bytes: result.bytes, pinned: source.sha256 !== null });
      const stageDir = path.join(workDir, 'stage', source.name);
      await mkdir(stageDir, { recursive: true });
      const files =
        source.format === 'file'
          ? await stageFile(source, download, stageDir, result.sha256)
          : await stageTarGz(source, download, stageDir);
      await rm(download, { force: true });
      emit({ type: 'staged', source: source.name, files: Object.keys(files).length });
      staged.push({ source, sha256: result.sha256, files, stageDir });
    }

    if (staged.length > 0) await install(staged, dataDir, workDir);
    for (const s of staged) {
      state.sources[s.source.name] = { url: s.source.url, sha256: s.sha256, spec: specHash(s.source), files: s.files };
      const files = Object.keys(s.files).length;
      outcomes.push({ name: s.source.name, status: 'fetched', files, sha256: s.sha256, pinned: s.source.sha256 !== null });
      emit({ type: 'installed', source: s.source.name, files });
    }
    if (staged.length > 0) await writeAtomically(path.join(dataDir, FETCH_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);

    const derived: DerivedOutcome[] = [];
    for (const d of manifest.derived) {
      const outcome = await runDerived(d, dataDir, ensureWorkDir, force);
      derived.push(outcome);
      emit({ type: 'derived', name: d.name, target: d.target, status: outcome.status, detail: outcome.detail });
    }
    succeeded = true;
    const order = new Map(selected.map((s, i) => [s.name, i]));
    outcomes.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
    return { dataDir, sources: outcomes, derived };
  } finally {
    if (workDirMade) await rm(workDir, { recursive: true, force: true });
    if (!succeeded && createdDataDir) await rmdir(dataDir).catch(() => undefined);
  }
}
