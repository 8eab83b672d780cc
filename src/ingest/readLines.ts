import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Files up to this size are read whole; larger ones (a full UMLS MRCONSO: gigabytes) are streamed. */
const WHOLE_FILE_MAX_BYTES = 64 * 2 ** 20;

/** What {@link readLines} saw of a file besides its lines. */
export interface ReadLinesResult {
  /** SHA-256 (hex) of the file's bytes, for `GraphData.sources`. */
  sha256: string;
  /** Number of lines passed to the callback. */
  lines: number;
}

/**
 * Streams a UTF-8 text file line by line (1-based line numbers, `\n` or `\r\n` endings, a leading
 * BOM dropped) and hashes its bytes on the way, so a loader reads each file exactly once.
 * A final empty line after the last `\n` is not reported. Files up to `wholeFileMaxBytes` (64 MiB)
 * are read in one piece, larger ones streamed in 1 MiB chunks: the lines are the same.
 *
 * Hand-rolled rather than `node:readline` because it is several times faster on the 20,000-line
 * dictionaries and start-up time is a bar (`npm run bench:load`).
 *
 * @example
 *   const { sha256 } = await readLines('mkb2descr.yaml', (line, n) => entries.push({ line, n }));
 */
export async function readLines(
  path: string,
  onLine: (line: string, lineNumber: number) => void,
  options: { wholeFileMaxBytes?: number } = {},
): Promise<ReadLinesResult> {
  const hash = createHash('sha256');
  let lineNumber = 0;
  const emit = (raw: string): void => {
    lineNumber += 1;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    onLine(line, lineNumber);
  };
  const fd = openSync(path, 'r');
  let bytes: Buffer | null = null;
  try {
    // Small files (the dictionaries: 2 MB) in one read and one decode: a stream's chunks, decoder
    // and `pending + chunk` copies cost more than the parsing. The lines are the same.
    if (fstatSync(fd).size <= (options.wholeFileMaxBytes ?? WHOLE_FILE_MAX_BYTES)) bytes = readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  if (bytes) {
    hash.update(bytes);
    const text = bytes.toString('utf8');
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      emit(text.slice(from, nl));
      from = nl + 1;
    }
    if (from < text.length) emit(text.slice(from));
    return { sha256: hash.digest('hex'), lines: lineNumber };
  }
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    const text = pending + decoder.write(chunk);
    let from = 0;
    let nl = text.indexOf('\n', from);
    while (nl !== -1) {
      emit(text.slice(from, nl));
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    pending = text.slice(from);
  }
  pending += decoder.end();
  if (pending.length > 0) emit(pending);
  return { sha256: hash.digest('hex'), lines: lineNumber };
}
