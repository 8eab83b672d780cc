import { readFileSync } from 'node:fs';
import { IngestError } from '../errors.js';

/** Fatal: invalid UTF-8 throws instead of turning into U+FFFD (which would code as garbage). */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads a text file that must be UTF-8 (a leading BOM is dropped). A file that is not UTF-8 (a
 * cp1251 export, a binary file) or holds NUL bytes is refused with an `IngestError` naming the
 * file and the line of the first bad byte, never read as empty or mangled text.
 *
 * @example const text = readUtf8File('texts/12.txt');
 */
export function readUtf8File(file: string): string {
  return readTextFile(file);
}

/**
 * Reads a text file in `encoding` (a label Node's `TextDecoder` knows: `utf-8` by default,
 * `windows-1251`, `koi8-r`, `ibm866`, ...; see `textEncoding`), decoded strictly: a byte that is
 * not text in that encoding is an `IngestError` naming the file and the line, never U+FFFD. A
 * leading BOM is dropped. What the commands that read text folders use with `--encoding`.
 *
 * @example const text = readTextFile('texts/12.txt', 'windows-1251');
 */
export function readTextFile(file: string, encoding = 'utf-8'): string {
  const strict = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  if (strict.encoding !== 'utf-8') return readEncoded(file, strict);
  const bytes = readFileSync(file);
  const nul = bytes.indexOf(0);
  let text: string;
  try {
    if (nul !== -1) throw new Error('NUL byte');
    text = decoder.decode(bytes);
  } catch {
    const bad = nul !== -1 ? nul : firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
    throw new IngestError(
      file,
      line,
      `not UTF-8 text (${nul !== -1 ? 'a NUL byte: a binary file?' : `byte 0x${bytes[bad]?.toString(16).padStart(2, '0') ?? '??'} at offset ${bad}`}); give its encoding (e.g. \`--encoding windows-1251\`) or convert it to UTF-8 (e.g. \`iconv -f cp1251 -t utf-8\`)`,
    );
  }
  return text;
}

/** Offset of the first byte that breaks UTF-8 (by decoding ever longer prefixes' last sequence). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}

/** A file in a non-UTF-8 encoding, decoded strictly; where the first invalid byte sequence ends is found by bisecting prefixes. */
function readEncoded(file: string, strict: InstanceType<typeof TextDecoder>): string {
  const bytes = readFileSync(file);
  const utf16 = strict.encoding.startsWith('utf-16');
  const nul = utf16 ? -1 : bytes.indexOf(0);
  try {
    if (nul !== -1) throw new Error('NUL byte');
    return strict.decode(bytes);
  } catch {
    let bad = nul;
    if (bad === -1) {
      // The shortest prefix whose decoding (as a stream: an unfinished sequence at its end is no
      // error) fails ends at the first bad byte.
      let lo = 1;
      let hi = bytes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        let fails = false;
        try {
          new TextDecoder(strict.encoding, { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        } catch {
          fails = true;
        }
        if (fails) hi = mid;
        else lo = mid + 1;
      }
      bad = lo - 1;
    }
    let line = 1;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
    throw new IngestError(file, line, `not ${strict.encoding} text (${nul !== -1 ? 'a NUL byte: a binary file?' : `a byte sequence invalid in ${strict.encoding} ends at offset ${bad}`})`);
  }
}

/**
 * The canonical name of a text encoding that `readTextFile` can read (`cp1251` -> `windows-1251`),
 * or null when Node's `TextDecoder` does not know it.
 *
 * @example textEncoding('cp1251') // 'windows-1251'
 */
export function textEncoding(label: string): string | null {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}
