import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A matrix of `rows` unit vectors of `dim` floats, row-major. */
export interface EmbeddingMatrix {
  rows: number;
  dim: number;
  data: Float32Array;
}

const MAGIC = 0x49434b45; // "ICKE"

/**
 * The cache key of a set of name embeddings: model name and version, plus a hash of the names in
 * order; any change of either gives a new file, so a stale cache is never read.
 *
 * @example embeddingCacheKey('tiny-embed', '1.0.0', ['ибс']) // 'tiny-embed-1.0.0-<16 hex>'
 */
export function embeddingCacheKey(model: string, version: string, texts: readonly string[]): string {
  const h = createHash('sha256');
  for (const t of texts) h.update(t).update('\u0000');
  const safe = `${model}-${version}`.replace(/[^\w.-]+/g, '_');
  return `${safe}-${h.digest('hex').slice(0, 16)}`;
}

/**
 * Reads and writes name-embedding caches (`<dir>/<key>.f32`: a 12-byte header — magic, rows, dim,
 * little-endian uint32 — then the floats), so a server embeds its code names once per model
 * version and name set, and reuses the file on the next start.
 */
export const embeddingCache = {
  path(dir: string, key: string): string {
    return join(dir, `${key}.f32`);
  },

  /** The cached matrix, or null when absent or not matching `rows` (a torn or foreign file). */
  async read(dir: string, key: string, rows: number): Promise<EmbeddingMatrix | null> {
    const file = embeddingCache.path(dir, key);
    if (!existsSync(file)) return null;
    const bytes = await readFile(file);
    if (bytes.length < 12) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const [magic, n, dim] = [view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true)];
    if (magic !== MAGIC || n !== rows || bytes.length !== 12 + n * dim * 4) return null;
    const data = new Float32Array(n * dim);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(12 + i * 4, true);
    return { rows: n, dim, data };
  },

  /** Writes atomically (temp file + rename), so a crash never leaves a half file under the key. */
  async write(dir: string, key: string, m: EmbeddingMatrix): Promise<string> {
    await mkdir(dir, { recursive: true });
    const bytes = Buffer.alloc(12 + m.data.length * 4);
    bytes.writeUInt32LE(MAGIC, 0);
    bytes.writeUInt32LE(m.rows, 4);
    bytes.writeUInt32LE(m.dim, 8);
    for (let i = 0; i < m.data.length; i++) bytes.writeFloatLE(m.data[i]!, 12 + i * 4);
    const file = embeddingCache.path(dir, key);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    return file;
  },
};
