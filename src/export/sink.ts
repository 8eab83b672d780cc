import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Writes chunks to a stream, waiting for `drain` when its buffer is full (so a large export
 * never piles up in memory), and resolves when the last chunk is handed over.
 *
 * @example await writeChunks(skosTurtle(store), process.stdout);
 */
export async function writeChunks(chunks: AsyncIterable<string> | Iterable<string>, out: Writable): Promise<void> {
  for await (const chunk of chunks) {
    if (chunk === '') continue;
    if (!out.write(chunk)) await once(out, 'drain');
  }
}
