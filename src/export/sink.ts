import type { Writable } from 'node:stream';

/** Resolves on `drain`; rejects on `error`, or when the stream closes first (a client gone). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (err: Error) => settle(err);
    const onClose = () => settle(new Error('the output closed before the export was written'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/**
 * Writes chunks to a stream, waiting for `drain` when its buffer is full (so a large export
 * never piles up in memory), and resolves when the last chunk is handed over. Rejects when the
 * stream errs or closes before the end (an HTTP client that went away), instead of waiting forever.
 *
 * @example await writeChunks(skosTurtle(store), process.stdout);
 */
export async function writeChunks(chunks: AsyncIterable<string> | Iterable<string>, out: Writable): Promise<void> {
  for await (const chunk of chunks) {
    if (chunk === '') continue;
    if (out.destroyed) throw new Error('the output closed before the export was written');
    if (!out.write(chunk)) await drained(out);
  }
}
