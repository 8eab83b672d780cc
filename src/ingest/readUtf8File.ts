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
    throw new IngestError(file, line, `not UTF-8 text (${nul !== -1 ? 'a NUL byte: a binary file?' : `byte 0x${bytes[bad]?.toString(16).padStart(2, '0') ?? '??'} at offset ${bad}`}); convert it to UTF-8 (e.g. \`iconv -f cp1251 -t utf-8\`)`);
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
