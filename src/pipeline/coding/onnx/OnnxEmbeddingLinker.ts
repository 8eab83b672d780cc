import type { Candidate, CandidateSource } from '../types.js';
import { cosineTopK } from './cosineTopK.js';
import { embeddingCache, embeddingCacheKey } from './embeddingCache.js';
import type { EmbeddingMatrix } from './embeddingCache.js';
import type { OnnxEmbedder } from './OnnxEmbedder.js';

/** A name of a code to link against. */
export interface CodeName {
  code: string;
  text: string;
  source: CandidateSource;
}

/** Options of {@link OnnxEmbeddingLinker.build}. */
export interface EmbeddingLinkerOptions {
  /** Folder of the name-embedding cache; no cache when absent. */
  cacheDir?: string;
}

/**
 * The sentence-embedding linker (DESIGN §5): every name of every code is embedded once (cached on
 * disk by model version + names hash), a mention is embedded and compared by cosine; a code's
 * score is its best name's cosine (clamped to [0, 1]), top-k codes best first.
 *
 * @example const linker = await OnnxEmbeddingLinker.build(embedder, names, { cacheDir }); await linker.link(['ибс'], 5)
 */
export class OnnxEmbeddingLinker {
  readonly embedder: OnnxEmbedder;
  private readonly names: readonly CodeName[];
  private readonly matrix: EmbeddingMatrix;
  private readonly group: Int32Array;
  /** Whether the name embeddings came from the cache file (false: computed, and written when a cache dir is set). */
  readonly fromCache: boolean;
  readonly cacheFile: string | null;

  private constructor(embedder: OnnxEmbedder, names: readonly CodeName[], matrix: EmbeddingMatrix, fromCache: boolean, cacheFile: string | null) {
    this.embedder = embedder;
    this.names = names;
    this.matrix = matrix;
    this.fromCache = fromCache;
    this.cacheFile = cacheFile;
    const codeIndex = new Map<string, number>();
    this.group = Int32Array.from(names, (n) => {
      let g = codeIndex.get(n.code);
      if (g === undefined) codeIndex.set(n.code, (g = codeIndex.size));
      return g;
    });
  }

  /** Embeds (or reads from the cache) all names; names are deduplicated by (code, text). */
  static async build(embedder: OnnxEmbedder, names: readonly CodeName[], options: EmbeddingLinkerOptions = {}): Promise<OnnxEmbeddingLinker> {
    const seen = new Set<string>();
    const unique = names.filter((n) => {
      const key = `${n.code}\u0000${n.text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return n.text.trim() !== '';
    });
    const { manifest } = embedder.model;
    const key = embeddingCacheKey(manifest.name, manifest.version, unique.map((n) => `${n.code}\u0001${n.text}`));
    const cacheFile = options.cacheDir === undefined ? null : embeddingCache.path(options.cacheDir, key);
    if (options.cacheDir !== undefined) {
      const cached = await embeddingCache.read(options.cacheDir, key, unique.length);
      if (cached) return new OnnxEmbeddingLinker(embedder, unique, cached, true, cacheFile);
    }
    const vectors = await embedder.embed(unique.map((n) => n.text));
    const dim = vectors[0]?.length ?? 0;
    const data = new Float32Array(unique.length * dim);
    vectors.forEach((v, i) => data.set(v, i * dim));
    const matrix = { rows: unique.length, dim, data };
    if (options.cacheDir !== undefined) await embeddingCache.write(options.cacheDir, key, matrix);
    return new OnnxEmbeddingLinker(embedder, unique, matrix, false, cacheFile);
  }

  /** Names embedded. */
  get size(): number {
    return this.names.length;
  }

  async link(mentions: readonly string[], k: number): Promise<Candidate[][]> {
    if (mentions.length === 0) return [];
    const queries = await this.embedder.embed(mentions);
    return queries.map((q) =>
      cosineTopK(this.matrix.data, this.matrix.dim, q, k, this.group).map((hit) => {
        const name = this.names[hit.index]!;
        return { code: name.code, score: Math.min(1, Math.max(0, hit.score)), source: name.source, name: name.text };
      }),
    );
  }
}
