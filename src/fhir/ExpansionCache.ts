import { gzipSync } from 'node:zlib';

/**
 * Serialised expansions of implicit value sets, least recently used first out, bounded by bytes.
 * An unfiltered expansion depends only on the code tree, which changes only with the data version
 * (part of the key), so a whole chapter (a megabyte of JSON) is built and serialised once instead
 * of per request. One per FHIR handler, built with it by the composition root.
 *
 * @example const cache = new ExpansionCache(32 << 20); cache.set(key, body); cache.get(key);
 */
export class ExpansionCache {
  private readonly entries = new Map<string, Buffer>();
  /** Gzipped forms of cached bodies, made on the first request that accepts gzip. */
  private readonly gzipped = new WeakMap<Buffer, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: Map keeps insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, body: Buffer): void {
    if (body.length > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.length;
      this.entries.delete(key);
    }
    this.entries.set(key, body);
    this.bytes += body.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length;
    }
  }

  /** The gzip form of a cached body (computed once per body). */
  gzip(body: Buffer): Buffer {
    let gz = this.gzipped.get(body);
    if (!gz) this.gzipped.set(body, (gz = gzipSync(body)));
    return gz;
  }

  get size(): number {
    return this.entries.size;
  }
}
