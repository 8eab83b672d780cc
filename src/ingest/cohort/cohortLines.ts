import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** One line of a file with its 1-based number and the bytes read so far (for progress). */
export interface NumberedLine {
  text: string;
  line: number;
  bytesRead: number;
}

/**
 * Streams a UTF-8 file line by line as an async iterator, so the consumer can await between lines
 * (backpressure: a cohort of 865,539 appointments is never held in memory). `\n` or `\r\n`
 * endings; a leading BOM is dropped; blank lines are reported too (callers skip them).
 *
 * @example for await (const { text, line } of cohortLines('cohort.jsonl')) { ... }
 */
export async function* cohortLines(path: string): AsyncGenerator<NumberedLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  let bytesRead = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    const text = pending + decoder.write(chunk);
    let from = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      line++;
      let t = text.slice(from, nl);
      if (t.endsWith('\r')) t = t.slice(0, -1);
      if (line === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
      yield { text: t, line, bytesRead };
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    pending = text.slice(from);
  }
  pending += decoder.end();
  if (pending.length > 0) {
    line++;
    yield { text: pending.endsWith('\r') ? pending.slice(0, -1) : pending, line, bytesRead };
  }
}
