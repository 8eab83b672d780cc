import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { FetchError } from './FetchError.js';

export interface DownloadOptions {
  /** Manifest source name, for error messages. */
  source: string;
  /** Whole-transfer limit (connect, redirects, body), in ms. */
  timeoutMs: number;
  /** Refuse bodies larger than this many bytes (a runaway or wrong URL). */
  maxBytes: number;
  /** Called as bytes arrive; `total` is the Content-Length or null. */
  onProgress?: (received: number, total: number | null) => void;
  /** For tests; the global `fetch` by default. */
  fetchImpl?: typeof fetch;
}

export interface DownloadResult {
  sha256: string;
  bytes: number;
  /** The URL after redirects. */
  finalUrl: string;
}

/**
 * Downloads `url` into the new file `dest` (which must not exist), hashing the bytes as they are
 * written, and returns their SHA-256. Follows redirects; asks for the identity encoding so that
 * the hash is over the bytes the server stores. HTTP errors, timeouts and oversize bodies are
 * FetchErrors naming the source and URL; the caller deletes `dest` on failure.
 *
 * @example
 * const { sha256 } = await downloadFile('https://example.org/a.tar.gz', '/tmp/a.tar.gz',
 *   { source: 'a', timeoutMs: 600_000, maxBytes: 2 ** 30 });
 */
export async function downloadFile(url: string, dest: string, options: DownloadOptions): Promise<DownloadResult> {
  const { source, timeoutMs, maxBytes, onProgress } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const signal = AbortSignal.timeout(timeoutMs);
  const fail = (what: string, cause?: unknown): never => {
    throw new FetchError(source, `download of ${url} failed: ${what}`, { cause });
  };
  const describe = (err: unknown): string => {
    if (signal.aborted) return `timed out after ${timeoutMs} ms`;
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return e.cause?.code ?? e.cause?.message ?? e.message;
  };

  let response: Response;
  try {
    response = await fetchImpl(url, { redirect: 'follow', signal, headers: { 'accept-encoding': 'identity' } });
  } catch (err) {
    return fail(describe(err), err);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return fail(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  if (response.body === null) return fail('empty response body');
  const lengthHeader = response.headers.get('content-length');
  const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  if (total !== null && total > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    return fail(`Content-Length ${total} exceeds the limit of ${maxBytes} bytes`);
  }

  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await open(dest, 'wx');
  try {
    for await (const chunk of response.body) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) fail(`body exceeds the limit of ${maxBytes} bytes`);
      hash.update(chunk);
      await handle.write(chunk);
      onProgress?.(bytes, total);
    }
    await handle.sync();
  } catch (err) {
    if (err instanceof FetchError) throw err;
    return fail(describe(err), err);
  } finally {
    await handle.close();
  }
  if (total !== null && bytes !== total) fail(`received ${bytes} bytes, Content-Length said ${total}`);
  return { sha256: hash.digest('hex'), bytes, finalUrl: response.url || url };
}
