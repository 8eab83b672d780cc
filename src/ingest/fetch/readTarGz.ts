import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** What a tar member is; only `file` members are ever extracted. */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** The member path exactly as the archive names it (pax and GNU long names resolved). */
  name: string;
  type: TarEntryType;
  size: number;
  /** Symlink / hardlink target, as the archive names it. */
  linkName: string;
}

const BLOCK = 512;

/** Thrown for a corrupt or truncated archive; `fetchData` turns it into a FetchError. */
export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarFormatError';
  }
}

/** Pulls exact byte counts out of a chunked stream without concatenating the whole stream. */
class ChunkReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private done = false;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<void> {
    while (this.length < n && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        this.chunks.push(next.value);
        this.length += next.value.length;
      }
    }
  }

  /** Exactly n bytes, or null at a clean end of stream (nothing left at all). */
  async read(n: number): Promise<Buffer | null> {
    await this.fill(n);
    if (this.length === 0 && this.done) return null;
    if (this.length < n) throw new TarFormatError('unexpected end of archive');
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    while (offset < n) {
      const chunk = this.chunks[0]!;
      const take = Math.min(chunk.length, n - offset);
      chunk.copy(out, offset, 0, take);
      offset += take;
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
    }
    this.length -= n;
    return out;
  }

  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.length === 0) {
        await this.fill(1);
        if (this.length === 0) throw new TarFormatError('unexpected end of archive');
      }
      const chunk = this.chunks[0]!;
      const take = Math.min(chunk.length, left);
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
      this.length -= take;
      left -= take;
    }
  }
}

function cString(buf: Buffer, start: number, length: number): string {
  const field = buf.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function octal(buf: Buffer, start: number, length: number, what: string): number {
  // GNU base-256 for values that do not fit the octal field (members over 8 GiB).
  if ((buf[start]! & 0x80) !== 0) {
    let value = buf[start]! & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + buf[start + i]!;
    return value;
  }
  const text = cString(buf, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad ${what} field in a tar header`);
  return parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  const stored = octal(header, 148, 8, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === stored;
}

function parsePax(data: Buffer): Map<string, string> {
  // Records are `<length> <key>=<value>\n`, the length counting the whole record in bytes.
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = Number(data.subarray(pos, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) throw new TarFormatError('bad pax extended header');
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

function entryType(flag: string): TarEntryType {
  if (flag === '0' || flag === '\0' || flag === '' || flag === '7') return 'file';
  if (flag === '5') return 'directory';
  if (flag === '2') return 'symlink';
  if (flag === '1') return 'hardlink';
  return 'other';
}

/** Cap on pax / GNU long-name records: they hold a path, never content. */
const MAX_META_BYTES = 1 << 20;

/**
 * Streams the members of a `.tar.gz` file (ustar, pax and GNU long names; what `git archive`,
 * GitHub and GNU/BSD tar write). `select(entry)` is called for every member (directories and
 * links too, so the caller can vet every name) and decides whether its bytes are wanted: selected
 * file members are read into memory and handed to `onFile`, everything else is skipped without
 * buffering. Headers are checksum-verified, so a corrupt archive fails loudly.
 * Member names are reported as stored; the caller decides what is safe.
 *
 * @example
 * await readTarGz('src.tar.gz', (e) => e.name.endsWith('.ann'), async (e, data) => { ... });
 */
export async function readTarGz(
  file: string,
  select: (entry: TarEntry) => boolean,
  onFile: (entry: TarEntry, data: Buffer) => Promise<void>,
): Promise<void> {
  const stream = createReadStream(file).pipe(createGunzip());
  const reader = new ChunkReader(stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax = new Map<string, string>();
  try {
    for (;;) {
      const header = await reader.read(BLOCK);
      if (header === null) return; // some writers omit the two zero blocks
      if (header.every((b) => b === 0)) return;
      if (!checksumOk(header)) throw new TarFormatError('tar header checksum mismatch (corrupt archive)');
      const flag = String.fromCharCode(header[156]!);
      const size = octal(header, 124, 12, 'size');
      const padded = Math.ceil(size / BLOCK) * BLOCK;

      if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
        if (size > MAX_META_BYTES) throw new TarFormatError('oversized tar extended header');
        const data = size === 0 ? Buffer.alloc(0) : (await reader.read(padded))!.subarray(0, size);
        if (flag === 'x') pax = parsePax(data);
        else if (flag === 'L') longName = cString(data, 0, data.length);
        else if (flag === 'K') longLink = cString(data, 0, data.length);
        // 'g' (global header, e.g. GitHub's commit id comment) carries nothing we use.
        continue;
      }

      const magic = header.subarray(257, 262).toString('latin1');
      const prefix = magic === 'ustar' ? cString(header, 345, 155) : '';
      const baseName = cString(header, 0, 100);
      const name = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${baseName}` : baseName);
      const linkName = pax.get('linkpath') ?? longLink ?? cString(header, 157, 100);
      const paxSize = pax.get('size');
      const realSize = paxSize !== undefined ? Number(paxSize) : size;
      const realPadded = paxSize !== undefined ? Math.ceil(realSize / BLOCK) * BLOCK : padded;
      pax = new Map();
      longName = null;
      longLink = null;

      const entry: TarEntry = { name, type: entryType(flag), size: realSize, linkName };
      if (select(entry) && entry.type === 'file') {
        const block = realSize === 0 ? Buffer.alloc(0) : (await reader.read(realPadded))!;
        await onFile(entry, block.subarray(0, realSize));
      } else {
        await reader.skip(realPadded);
      }
    }
  } catch (err) {
    if (err instanceof TarFormatError) throw err;
    // zlib reports a damaged gzip stream with codes like Z_DATA_ERROR / Z_BUF_ERROR.
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new TarFormatError(`corrupt gzip stream (${code})`);
    throw err;
  } finally {
    stream.destroy();
  }
}
