import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { IngestError } from '../../errors.js';
import type { WriteRecord } from '../shared/writeRecord.js';

/**
 * One write of the memory store, as journaled (one line per call): a single write, or a `batch`
 * of writes that take effect together (`applyWrites`: an import is one line, so a crash leaves
 * all of it or none).
 */
export type JournalRecord =
  | WriteRecord
  | { type: 'batch'; writes: WriteRecord[] }
  /**
   * A large import in pieces (each line stays a few MB: no giant line to build or parse): its
   * `stage` lines take effect only with the `commit` line naming the same id and how many
   * stages it has; stages without a commit (a writer killed mid-import) are ignored.
   */
  | { type: 'stage'; importId: string; writes: WriteRecord[] }
  | { type: 'commit'; importId: string; stages: number };

/** A segment header: the records after it were written against this data version. */
interface JournalHeader {
  type: 'header';
  /** 1: bare JSON lines (read for compatibility); 2: every line carries its CRC-32. */
  format: 1 | 2;
  dataVersion: string;
  createdAt: string;
}

/** A record read back, with where it was. */
export interface JournalEntry {
  record: JournalRecord;
  /** 1-based line in the journal file. */
  line: number;
  /** 1-based number of the record among the journal's records (headers not counted). */
  recordNumber: number;
  /** The data version of the segment the record is in. */
  dataVersion: string;
}

export interface JournalWarnings {
  warn(obj: object, msg: string): void;
}

export const JOURNAL_FILE_NAME = 'memory-journal.jsonl';
const LOCK_SUFFIX = '.lock';
const RECORD_TYPES = new Set(['putDocuments', 'putLayer', 'deleteLayer', 'deleteDocuments', 'deleteCorpus', 'batch', 'stage', 'commit']);
const FORMAT = 2;
/** A format-2 line: 8 hex digits of CRC-32, a space, the JSON. */
const CHECKSUMMED = /^[0-9a-f]{8} /;
/** Bytes read per `readSync` when streaming the journal. */
const CHUNK = 4 * 1024 * 1024;
/** How long a writer waits for another process's lock before giving up. */
const LOCK_TIMEOUT_MS = 30_000;
/** A lock file still empty after this long was left by a process that died while creating it. */
const EMPTY_LOCK_STALE_MS = 5_000;

/** `crc32(json)` as 8 hex digits, the prefix of every format-2 line. */
function checksum(json: string): string {
  return crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0');
}

/** A format-2 line: `<crc32 hex> <json>\n`. */
function encodeLine(value: unknown): string {
  const json = JSON.stringify(value);
  return `${checksum(json)} ${json}\n`;
}

/** Whether a process with this pid runs on this machine (the lock holder's liveness). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * The inter-process writer lock of a journal: `<journal>.lock`, created exclusively (`wx`) and
 * holding the owner's pid. A lock whose owner no longer runs (a writer killed with SIGKILL) is
 * stale and taken over. Hand-written rather than `proper-lockfile`: that library decides
 * staleness by the lock's age (a killed writer blocks every other one for its whole stale
 * period, and a slow fsync of a large record can look stale), where a pid check is exact on one
 * machine. The journal lives on a local disk of one machine (a network file system would need
 * the library's approach).
 */
class JournalLock {
  private held = false;
  constructor(readonly file: string) {}

  acquire(): void {
    if (this.held) throw new Error('journal lock is already held by this store');
    const deadline = Date.now() + LOCK_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      const attemptResult = this.tryOnce();
      if (attemptResult === 'held') return;
      if (attemptResult === 'retry') continue;
      if (Date.now() > deadline) {
        throw new Error(`journal ${path.dirname(this.file)} is locked by process ${String(attemptResult.owner)}, which is still writing; try again when it has finished`);
      }
      sleepSync(Math.min(50, 2 + attempt * 2));
    }
  }

  /**
   * One attempt without waiting (a follower's tick must never block its event loop): true when
   * the lock is now held; false when a live process holds it. A dead owner's lock is taken over.
   */
  tryAcquire(): boolean {
    if (this.held) throw new Error('journal lock is already held by this store');
    for (let attempt = 0; attempt < 3; attempt++) {
      const attemptResult = this.tryOnce();
      if (attemptResult === 'held') return true;
      if (attemptResult !== 'retry') return false;
    }
    return false;
  }

  /**
   * One try: `held` when the lock file was created; `retry` when it vanished meanwhile or a dead
   * owner's lock was taken over (try again at once); the owner when a live process holds it.
   */
  private tryOnce(): 'held' | 'retry' | { owner: ReturnType<JournalLock['owner']> } {
    try {
      const fd = fs.openSync(this.file, 'wx', 0o600);
      try {
        fs.writeSync(fd, `${process.pid}\n`);
      } finally {
        fs.closeSync(fd);
      }
      this.held = true;
      return 'held';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = this.owner();
    if (owner === 'gone') return 'retry';
    if ((typeof owner === 'number' && !isAlive(owner)) || owner === 'stale-empty') {
      this.takeOver(owner);
      return 'retry';
    }
    return { owner };
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      fs.unlinkSync(this.file);
    } catch {
      // Already taken over as stale: nothing to release.
    }
  }

  /** The owner's pid; 'empty' while its creator writes it; 'stale-empty' if that never happened; 'gone' if released meanwhile. */
  private owner(): number | 'empty' | 'stale-empty' | 'gone' {
    try {
      const text = fs.readFileSync(this.file, 'utf8').trim();
      if (text === '') return Date.now() - fs.statSync(this.file).mtimeMs > EMPTY_LOCK_STALE_MS ? 'stale-empty' : 'empty';
      const pid = Number(text);
      return Number.isInteger(pid) && pid > 0 ? pid : 'stale-empty';
    } catch {
      return 'gone';
    }
  }

  /**
   * Removes a stale lock by renaming it aside (only one contender's rename succeeds), then puts
   * it back if what was renamed turns out to be a fresh lock of a live process.
   */
  private takeOver(seen: number | 'stale-empty'): void {
    const aside = `${this.file}.stale-${process.pid}`;
    try {
      fs.renameSync(this.file, aside);
    } catch {
      return;
    }
    let pid = NaN;
    try {
      pid = Number(fs.readFileSync(aside, 'utf8').trim());
    } catch {
      // Unreadable: treat as the stale one.
    }
    if (seen !== 'stale-empty' && pid !== seen && Number.isInteger(pid) && isAlive(pid)) {
      try {
        fs.linkSync(aside, this.file);
      } catch {
        // Someone else holds it now; the live owner's lock file is gone, which its release tolerates.
      }
    }
    fs.rmSync(aside, { force: true });
  }
}

interface ReadResult {
  entries: JournalEntry[];
  /** Byte offset after the last complete line. */
  end: number;
  /** Data version of the last segment header read (null: none). */
  segmentVersion: string | null;
  /** Format of the last segment header. */
  segmentFormat: 1 | 2 | null;
  /** Versions of segments other than `dataVersion` that records were read from. */
  mismatched: Set<string>;
  /** Bytes after `end` that do not end with a newline: a write in progress or torn by a crash. */
  tornBytes: number;
  lines: number;
  records: number;
  /** Inode of the file read (null: there is none); compaction and set-aside replace the file. */
  ino: number | null;
}

/** Where a process's reading of the journal stopped (a line boundary) and the state there. */
interface Position {
  offset: number;
  line: number;
  records: number;
  segmentVersion: string | null;
  segmentFormat: 1 | 2 | null;
  /** The inode of the file the position is in (null: no file yet). */
  ino: number | null;
}

const START: Position = { offset: 0, line: 0, records: 0, segmentVersion: null, segmentFormat: null, ino: null };

/** What other processes appended since this journal last read. */
export interface JournalNews {
  /**
   * True when the file was replaced since (compacted into a snapshot, or set aside, by another
   * process): `entries` are then the whole new journal, to replay over the base data.
   */
  replaced: boolean;
  entries: JournalEntry[];
}

/**
 * Streams the journal's lines from `start` (a line boundary) without reading the file whole,
 * checking each line's CRC-32. A last line without its newline is reported as torn, never
 * parsed; any complete line that fails its checksum, does not parse or is not a known record
 * stops with an `IngestError` naming the journal, the record number and the line.
 */
function readJournal(file: string, dataVersion: string, from: Position): ReadResult {
  const result: ReadResult = {
    entries: [],
    end: from.offset,
    segmentVersion: from.segmentVersion,
    segmentFormat: from.segmentFormat,
    mismatched: new Set(),
    tornBytes: 0,
    lines: from.line,
    records: from.records,
    ino: null,
  };
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw error;
  }
  try {
    result.ino = fs.fstatSync(fd).ino;
    const chunk = Buffer.allocUnsafe(CHUNK);
    let position = from.offset;
    /** Pieces of the current line read so far (a line can span chunks). */
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, CHUNK, position);
      if (n === 0) break;
      position += n;
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl === -1 || nl >= n) break;
        const piece = chunk.subarray(start, nl);
        const lineBuffer = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece], pendingBytes + piece.length);
        pending = [];
        pendingBytes = 0;
        result.lines++;
        handleLine(file, dataVersion, lineBuffer.toString('utf8'), result);
        result.end += lineBuffer.length + 1;
        start = nl + 1;
      }
      if (start < n) {
        // Copy: the chunk buffer is reused by the next read.
        pending.push(Buffer.from(chunk.subarray(start, n)));
        pendingBytes += n - start;
      }
    }
    result.tornBytes = pendingBytes;
  } finally {
    fs.closeSync(fd);
  }
  return result;
}

function handleLine(file: string, dataVersion: string, text: string, result: ReadResult): void {
  const line = result.lines;
  const where = () => `record ${result.records + 1} (line ${line})`;
  const damaged = (what: string) =>
    new IngestError(
      file,
      line,
      `journal ${where()} is damaged (${what}). It was acknowledged, so it is not skipped: restore the journal from a backup, or run \`icdkg journal truncate --at-line ${line}\` to drop it and every later record`,
    );
  let json = text;
  if (CHECKSUMMED.test(text)) {
    json = text.slice(9);
    if (checksum(json) !== text.slice(0, 8)) throw damaged('checksum mismatch');
  } else if (result.segmentFormat === 2) {
    // Every line of a format-2 segment has its checksum: this one lost it to damage.
    throw damaged('no checksum');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw damaged('not valid JSON');
  }
  const obj = parsed as { type?: unknown };
  if (obj === null || typeof obj !== 'object') throw new IngestError(file, line, 'journal line is not an object');
  if (obj.type === 'header') {
    const header = obj as Partial<JournalHeader>;
    if (typeof header.dataVersion !== 'string') throw new IngestError(file, line, 'journal header has no dataVersion');
    if (header.format !== 1 && header.format !== 2) throw new IngestError(file, line, `journal format ${String(header.format)} is not supported (expected 1 or 2)`);
    result.segmentVersion = header.dataVersion;
    result.segmentFormat = header.format;
    return;
  }
  if (typeof obj.type === 'string' && RECORD_TYPES.has(obj.type)) {
    if (result.segmentVersion === null) throw new IngestError(file, line, 'journal record before any header');
    if (result.segmentVersion !== dataVersion) result.mismatched.add(result.segmentVersion);
    result.records++;
    result.entries.push({ record: obj as JournalRecord, line, recordNumber: result.records, dataVersion: result.segmentVersion });
    return;
  }
  throw new IngestError(file, line, `unknown journal record type (${String(obj.type).length} characters)`);
}

/**
 * The memory store's write-ahead journal: lines `<crc32> <json>` in `<dir>/memory-journal.jsonl`
 * (mode 0600: it holds clinical text). Every write is one line, written with one `writeSync` and
 * made durable with `fsyncSync` before the store acknowledges it.
 *
 * Processes: any number may read the journal (every `icdkg` command and `serve` open it); one
 * at a time writes, holding `<dir>/memory-journal.jsonl.lock` (the owner's pid; a dead owner's
 * lock is taken over). Under the lock a writer first reads what other processes appended since
 * it last looked (the store applies those records before validating its own write), cuts off a
 * torn last line left by a crashed writer, then appends. Readers never truncate: a last line
 * without its newline may be a live writer's record in progress; it is simply not read.
 *
 * Integrity: every line carries its CRC-32, so damage anywhere is detected; a complete line that
 * fails its checksum was acknowledged, so it stops the start with an `IngestError` naming the
 * journal, the record number and the line, never silently dropped. The file is streamed in
 * chunks, never read whole (no 2 GiB limit). `compact` rewrites it as one snapshot segment.
 *
 * Data versions: the file is a sequence of segments, each opened by a header line naming the data
 * version its records were written against. On different data the journal is still replayed (the
 * writes were acknowledged) and re-validated, with a warning naming both versions; the next write
 * opens a new segment with the current version. A record that no longer applies stops the start
 * with `file:line` and the commands to resolve it (`MemoryStore`).
 */
export class Journal {
  readonly file: string;
  private readonly dataVersion: string;
  private fd: number | null = null;
  private readonly lock: JournalLock;
  /** Where this process's reading stopped (the next record's line boundary) and the state there. */
  private position: Position;
  /** Inode and size of the file when this process last read it (a follower's tick skips the lock when both are unchanged). */
  private seen: { ino: number | null; size: number };

  private constructor(file: string, dataVersion: string, position: Position, size: number) {
    this.file = file;
    this.dataVersion = dataVersion;
    this.position = position;
    this.seen = { ino: position.ino, size };
    this.lock = new JournalLock(file + LOCK_SUFFIX);
  }

  /**
   * Reads the journal of `dir` (if any) for replay and returns it ready for appending. Creates
   * and truncates nothing on disk.
   *
   * @example
   * const { journal, entries } = Journal.open('.icdkg', data.dataVersion, logger);
   * for (const e of entries) apply(e.record);
   */
  static open(dir: string, dataVersion: string, log: JournalWarnings): { journal: Journal; entries: JournalEntry[] } {
    const file = path.join(dir, JOURNAL_FILE_NAME);
    const read = readJournal(file, dataVersion, START);
    if (read.tornBytes > 0) {
      log.warn(
        { file, line: read.lines + 1, bytes: read.tornBytes },
        'journal: not reading a last line without its newline (a write in progress, or one interrupted by a crash and never acknowledged)',
      );
    }
    // Segments before a current-version header were adopted by a write made on the current data.
    if (read.segmentVersion !== dataVersion && read.mismatched.size > 0) {
      log.warn(
        { file, journalDataVersions: [...read.mismatched], dataVersion, records: read.entries.length },
        'journal: replaying writes made against other data; they are re-validated against the current data',
      );
    }
    const journal = new Journal(file, dataVersion, positionAfter(read), read.end + read.tornBytes);
    return { journal, entries: read.entries };
  }

  /** The journal's size in bytes (0 when it does not exist). */
  size(): number {
    try {
      return fs.statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  /**
   * Runs `fn` holding the writer lock: `fn` receives the records other processes appended since
   * this journal last read (to apply before validating a write) and an `append` that writes one
   * record durably. The torn tail of a crashed writer is cut off before `fn` runs.
   *
   * @example journal.write((news, append) => { news.forEach(applyEntry); append(record); });
   */
  write<T>(fn: (news: JournalNews, append: (record: JournalRecord) => void) => T): T {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    this.lock.acquire();
    try {
      const { news, read } = this.readNewsLocked();
      if (read.tornBytes > 0) fs.truncateSync(this.file, read.end);
      return fn(news, (record) => this.appendLocked(record));
    } finally {
      this.lock.release();
    }
  }

  /**
   * What other processes appended since this journal last read (a running server's tick: it
   * follows the journal so that CLI imports show without a restart). Takes the writer lock for
   * the read without waiting: null when another process holds it now (try again at the next
   * tick). Without the lock held no record is read, so no half-written record and no file being
   * replaced is ever seen; like every reader it truncates nothing. Cheap when nothing changed
   * (one `stat`, no lock).
   *
   * @example const news = journal.follow(); if (news) news.entries.forEach(applyEntry);
   */
  follow(): JournalNews | null {
    let ino: number | null = null;
    let size = 0;
    try {
      const st = fs.statSync(this.file);
      ino = st.ino;
      size = st.size;
    } catch {
      // No file: unchanged when there was none before either.
    }
    if (ino === this.seen.ino && size === this.seen.size) return { replaced: false, entries: [] };
    if (!this.lock.tryAcquire()) return null;
    try {
      return this.readNewsLocked().news;
    } finally {
      this.lock.release();
    }
  }

  /** Reads from where this process stopped, or from the start when the file was replaced; the caller holds the lock. */
  private readNewsLocked(): { news: JournalNews; read: ReadResult } {
    let current: number | null = null;
    try {
      current = fs.statSync(this.file).ino;
    } catch {
      // Gone (set aside): replaced by nothing.
    }
    const replaced = this.position.ino !== null && current !== this.position.ino;
    const read = readJournal(this.file, this.dataVersion, replaced ? START : this.position);
    this.position = positionAfter(read);
    this.seen = { ino: read.ino, size: read.end + read.tornBytes };
    return { news: { replaced, entries: read.entries }, read };
  }

  /** Appends one record durably (write + fsync); the caller holds the lock. */
  private appendLocked(record: JournalRecord): void {
    const fd = this.openForAppend();
    let text = '';
    const needsHeader = this.position.segmentVersion !== this.dataVersion || this.position.segmentFormat !== FORMAT;
    if (needsHeader) {
      const header: JournalHeader = { type: 'header', format: FORMAT, dataVersion: this.dataVersion, createdAt: new Date().toISOString() };
      text += encodeLine(header);
    }
    text += encodeLine(record);
    const bytes = Buffer.from(text, 'utf8');
    const sizeBefore = this.position.offset;
    try {
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
      fs.fsyncSync(fd);
    } catch (error) {
      // Cut a partial line off (disk full, I/O error) so that later appends stay parseable.
      try {
        fs.ftruncateSync(fd, sizeBefore);
      } catch {
        // The next writer cuts a torn last line anyway.
      }
      throw error;
    }
    this.position = {
      offset: sizeBefore + bytes.length,
      line: this.position.line + (needsHeader ? 2 : 1),
      records: this.position.records + 1,
      segmentVersion: this.dataVersion,
      segmentFormat: FORMAT,
      ino: fs.fstatSync(fd).ino,
    };
    this.seen = { ino: this.position.ino, size: this.position.offset };
  }

  private openForAppend(): number {
    if (this.fd !== null) {
      // Compaction (by this or another process) replaces the file: reopen when the inode changed.
      try {
        if (fs.fstatSync(this.fd).ino === fs.statSync(this.file).ino) return this.fd;
      } catch {
        // The file is gone: reopen (creates it).
      }
      fs.closeSync(this.fd);
      this.fd = null;
    }
    const dir = path.dirname(this.file);
    const existed = fs.existsSync(this.file);
    const fd = fs.openSync(this.file, 'a', 0o600);
    // Journals written before mode 0600 was set are made private too.
    fs.fchmodSync(fd, 0o600);
    this.fd = fd;
    // A new file's directory entry must be durable too, or a crash could lose the whole file.
    if (!existed) fsyncDir(dir);
    return fd;
  }

  /**
   * Replaces the journal by one segment holding `records` (a snapshot of every journaled write's
   * net effect, made by the store), atomically: written to a temporary file, fsynced, renamed
   * over the journal. Runs under the lock; `snapshot` receives the records appended by other
   * processes since this journal last read, and must return the snapshot including them.
   *
   * @example journal.compact((news) => { news.forEach(applyEntry); return store.snapshotRecords(); });
   */
  compact(snapshot: (news: JournalNews) => JournalRecord[]): { before: number; after: number; records: number } {
    return this.write((news) => {
      const records = snapshot(news);
      const before = this.size();
      const temp = `${this.file}.compact-${process.pid}`;
      const fd = fs.openSync(temp, 'w', 0o600);
      let size = 0;
      let lines = 0;
      try {
        const header: JournalHeader = { type: 'header', format: FORMAT, dataVersion: this.dataVersion, createdAt: new Date().toISOString() };
        for (const value of [header, ...records]) {
          const bytes = Buffer.from(encodeLine(value), 'utf8');
          let written = 0;
          while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
          size += bytes.length;
          lines++;
        }
        fs.fsyncSync(fd);
      } catch (error) {
        fs.closeSync(fd);
        fs.rmSync(temp, { force: true });
        throw error;
      }
      fs.closeSync(fd);
      fs.renameSync(temp, this.file);
      fsyncDir(path.dirname(this.file));
      if (this.fd !== null) {
        fs.closeSync(this.fd);
        this.fd = null;
      }
      const ino = fs.statSync(this.file).ino;
      this.position = { offset: size, line: lines, records: records.length, segmentVersion: this.dataVersion, segmentFormat: FORMAT, ino };
      this.seen = { ino, size };
      return { before, after: size, records: records.length };
    });
  }

  close(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}

/** The position after what `read` read. */
function positionAfter(read: ReadResult): Position {
  return { offset: read.end, line: read.lines, records: read.records, segmentVersion: read.segmentVersion, segmentFormat: read.segmentFormat, ino: read.ino };
}

function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the file's own fsync still holds.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** A timestamp usable in a file name (`2026-11-29T17-46-18Z`). */
function stamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/**
 * Moves the journal of `dir` aside (to `memory-journal.jsonl.set-aside-<time>`, kept, never
 * deleted), under the writer lock, so that the store starts without its writes; returns the new
 * path, or null when there is no journal.
 *
 * @example setAsideJournal('.icdkg') // '.icdkg/memory-journal.jsonl.set-aside-2026-11-29T17-46-18Z'
 */
export function setAsideJournal(dir: string): string | null {
  const file = path.join(dir, JOURNAL_FILE_NAME);
  if (!fs.existsSync(file)) return null;
  const lock = new JournalLock(file + LOCK_SUFFIX);
  lock.acquire();
  try {
    const aside = `${file}.set-aside-${stamp()}`;
    fs.renameSync(file, aside);
    fsyncDir(dir);
    return aside;
  } finally {
    lock.release();
  }
}

/**
 * Drops line `line` of the journal of `dir` and every later line (a damaged record's repair),
 * under the writer lock; the dropped bytes are first copied to `memory-journal.jsonl.dropped-<time>`.
 *
 * @example truncateJournal('.icdkg', 7) // { kept: 6, droppedTo: '.icdkg/memory-journal.jsonl.dropped-...' }
 */
export function truncateJournal(dir: string, line: number): { keptLines: number; droppedBytes: number; droppedTo: string | null } {
  if (!Number.isInteger(line) || line < 2) throw new Error('--at-line must be a line number of a record (2 or more: line 1 is the header)');
  const file = path.join(dir, JOURNAL_FILE_NAME);
  const lock = new JournalLock(file + LOCK_SUFFIX);
  lock.acquire();
  try {
    // Find the byte offset where `line` starts, streaming (no checksum checks: the file is damaged).
    const fd = fs.openSync(file, 'r');
    let offset = -1;
    let size: number;
    try {
      size = fs.fstatSync(fd).size;
      const chunk = Buffer.allocUnsafe(CHUNK);
      let position = 0;
      let current = 1;
      while (offset === -1 && position < size) {
        const n = fs.readSync(fd, chunk, 0, CHUNK, position);
        if (n === 0) break;
        for (let i = 0; i < n; i++) {
          if (chunk[i] === 0x0a && ++current === line) {
            offset = position + i + 1;
            break;
          }
        }
        position += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    if (offset === -1 || offset >= size) return { keptLines: line - 1, droppedBytes: 0, droppedTo: null };
    const droppedTo = `${file}.dropped-${stamp()}`;
    const out = fs.openSync(droppedTo, 'w', 0o600);
    try {
      const input = fs.openSync(file, 'r');
      try {
        const chunk = Buffer.allocUnsafe(CHUNK);
        for (let position = offset; position < size; ) {
          const n = fs.readSync(input, chunk, 0, Math.min(CHUNK, size - position), position);
          if (n === 0) break;
          fs.writeSync(out, chunk, 0, n);
          position += n;
        }
      } finally {
        fs.closeSync(input);
      }
      fs.fsyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    fs.truncateSync(file, offset);
    return { keptLines: line - 1, droppedBytes: size - offset, droppedTo };
  } finally {
    lock.release();
  }
}

/**
 * Reads the journal of `dir` through (checksums, record types, data versions) without applying
 * it: what `icdkg journal check` prints. Throws `IngestError` on damage, like a start.
 *
 * @example checkJournal('.icdkg', 'abc123') // { records: 12, bytes: 40960, versions: ['abc123'], torn: 0 }
 */
export function checkJournal(dir: string, dataVersion: string): { file: string; records: number; bytes: number; versions: string[]; tornBytes: number } {
  const file = path.join(dir, JOURNAL_FILE_NAME);
  const read = readJournal(file, dataVersion, START);
  const versions = [...new Set(read.entries.map((e) => e.dataVersion))];
  return { file, records: read.records, bytes: read.end + read.tornBytes, versions, tornBytes: read.tornBytes };
}
