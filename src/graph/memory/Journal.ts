import fs from 'node:fs';
import path from 'node:path';
import { IngestError } from '../../errors.js';
import type { WriteRecord } from '../shared/writeRecord.js';

/** One write of the memory store, as journaled (one JSON line per call). */
export type JournalRecord = WriteRecord;

/** A segment header: the records after it were written against this data version. */
interface JournalHeader {
  type: 'header';
  format: 1;
  dataVersion: string;
  createdAt: string;
}

/** A record read back, with where it was. */
export interface JournalEntry {
  record: JournalRecord;
  /** 1-based line in the journal file. */
  line: number;
  /** The data version of the segment the record is in. */
  dataVersion: string;
}

export interface JournalWarnings {
  warn(obj: object, msg: string): void;
}

const FILE_NAME = 'memory-journal.jsonl';
const RECORD_TYPES = new Set(['putDocuments', 'putLayer', 'deleteLayer', 'deleteDocuments', 'deleteCorpus']);

/**
 * The memory store's write-ahead journal: JSON lines in `<dir>/memory-journal.jsonl`. Every write
 * is one line, written with one `writeSync` and made durable with `fsyncSync` before the store
 * acknowledges it.
 *
 * Data versions: the file is a sequence of segments, each opened by a header line naming the data
 * version (`GraphData.dataVersion`) its records were written against. When the store starts on
 * different data, the journal is still replayed (the writes were acknowledged; dropping them
 * silently would lose data) and re-validated, a warning names both versions, and the next write
 * opens a new segment with the current version (which adopts the earlier records: no more
 * warnings once a write was made on the new data). A record that no longer applies to the new data (an unknown
 * code, a missing document) stops the start-up with `file:line` so that nothing is lost unnoticed.
 *
 * Crash safety: a last line without its newline, or one that is not valid JSON, is a write torn by
 * a crash (it was never acknowledged): it is dropped with a warning and cut off the file. Any
 * earlier line that does not parse is corruption: an `IngestError` with file and line.
 */
export class Journal {
  readonly file: string;
  private readonly dataVersion: string;
  private fd: number | null = null;
  /** Whether the next append must first write a header (new file, or data version changed). */
  private needsHeader: boolean;

  private constructor(file: string, dataVersion: string, needsHeader: boolean) {
    this.file = file;
    this.dataVersion = dataVersion;
    this.needsHeader = needsHeader;
  }

  /**
   * Reads the journal of `dir` (if any) for replay and returns it ready for appending.
   * Creates nothing on disk until the first append.
   *
   * @example
   * const { journal, entries } = Journal.open('.icdkg', data.dataVersion, logger);
   * for (const e of entries) apply(e.record);
   */
  static open(dir: string, dataVersion: string, log: JournalWarnings): { journal: Journal; entries: JournalEntry[] } {
    const file = path.join(dir, FILE_NAME);
    if (!fs.existsSync(file)) return { journal: new Journal(file, dataVersion, true), entries: [] };
    const buffer = fs.readFileSync(file);
    const entries: JournalEntry[] = [];
    let segmentVersion: string | null = null;
    const mismatched = new Set<string>();
    let offset = 0;
    let line = 0;
    let goodEnd = 0;
    while (offset < buffer.length) {
      line++;
      const nl = buffer.indexOf(0x0a, offset);
      const end = nl === -1 ? buffer.length : nl;
      const text = buffer.toString('utf8', offset, end);
      const isLast = nl === -1 || nl + 1 >= buffer.length;
      let parsed: unknown;
      let parseError: string | null = null;
      if (nl === -1) {
        parseError = 'line has no newline';
      } else {
        try {
          parsed = JSON.parse(text);
        } catch {
          parseError = 'line is not valid JSON';
        }
      }
      if (parseError !== null) {
        if (isLast) {
          log.warn({ file, line, bytes: buffer.length - offset }, 'journal: dropping a torn last line (a write interrupted by a crash, never acknowledged)');
          break;
        }
        throw new IngestError(file, line, `journal is corrupt: ${parseError}`);
      }
      const obj = parsed as { type?: unknown };
      if (obj === null || typeof obj !== 'object') throw new IngestError(file, line, 'journal line is not an object');
      if (obj.type === 'header') {
        const header = obj as Partial<JournalHeader>;
        if (typeof header.dataVersion !== 'string') throw new IngestError(file, line, 'journal header has no dataVersion');
        if (header.format !== 1) throw new IngestError(file, line, `journal format ${String(header.format)} is not supported (expected 1)`);
        segmentVersion = header.dataVersion;
      } else if (typeof obj.type === 'string' && RECORD_TYPES.has(obj.type)) {
        if (segmentVersion === null) throw new IngestError(file, line, 'journal record before any header');
        if (segmentVersion !== dataVersion) mismatched.add(segmentVersion);
        entries.push({ record: obj as JournalRecord, line, dataVersion: segmentVersion });
      } else {
        throw new IngestError(file, line, `unknown journal record type ${JSON.stringify(obj.type)}`);
      }
      offset = end + 1;
      goodEnd = offset;
    }
    if (goodEnd < buffer.length) fs.truncateSync(file, goodEnd);
    // Segments before a current-version header were adopted by a write made on the current data.
    if (segmentVersion !== dataVersion && mismatched.size > 0) {
      log.warn(
        { file, journalDataVersions: [...mismatched], dataVersion, records: entries.length },
        'journal: replaying writes made against other data; they are re-validated against the current data',
      );
    }
    return { journal: new Journal(file, dataVersion, segmentVersion !== dataVersion), entries };
  }

  /** Appends one record durably (write + fsync) before returning. */
  append(record: JournalRecord): void {
    let fd = this.fd;
    if (fd === null) {
      const dir = path.dirname(this.file);
      const existed = fs.existsSync(this.file);
      fs.mkdirSync(dir, { recursive: true });
      fd = fs.openSync(this.file, 'a');
      this.fd = fd;
      // A new file's directory entry must be durable too, or a crash could lose the whole file.
      if (!existed) fsyncDir(dir);
    }
    let text = '';
    if (this.needsHeader) {
      const header: JournalHeader = { type: 'header', format: 1, dataVersion: this.dataVersion, createdAt: new Date().toISOString() };
      text += `${JSON.stringify(header)}\n`;
    }
    text += `${JSON.stringify(record)}\n`;
    const bytes = Buffer.from(text, 'utf8');
    const sizeBefore = fs.fstatSync(fd).size;
    try {
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
      fs.fsyncSync(fd);
    } catch (error) {
      // Cut a partial line off (disk full, I/O error) so that later appends stay parseable.
      try {
        fs.ftruncateSync(fd, sizeBefore);
      } catch {
        // The replay drops a torn last line anyway.
      }
      throw error;
    }
    this.needsHeader = false;
  }

  close(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
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
