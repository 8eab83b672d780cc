import { sparseFromMap } from './SparseVector.js';
import type { SparseVector } from './SparseVector.js';

/** One named group of terms (e.g. word n-grams, character n-grams, earlier codes). */
export interface TermBlockOptions {
  name: string;
  /** Terms seen in fewer training documents are dropped (noise, and would memorise rare text). */
  minDf: number;
  /** Multiplier of the block's L2-normalised sub-vector: the blocks' relative say. */
  weight: number;
}

/** A document as the vectorizer sees it: for each block name, its terms with repeats. */
export type TermDocument = Readonly<Record<string, readonly string[]>>;

/** The persisted form of a fitted vectorizer (terms in feature order per block). */
export interface TfidfVocabulary {
  blocks: { name: string; weight: number; terms: string[] }[];
}

interface Block {
  name: string;
  weight: number;
  offset: number;
  index: Map<string, number>;
}

/**
 * TF-IDF features over several term blocks: sublinear tf (`1 + ln tf`), smooth idf
 * (`ln((1 + N) / (1 + df)) + 1`, scikit-learn's), each block L2-normalised and scaled by its
 * weight, so that long character-n-gram lists do not drown the word features.
 */
export class TfidfVectorizer {
  private constructor(
    private readonly blocks: Block[],
    /** Inverse document frequency per feature index. */
    readonly idf: Float32Array,
  ) {}

  /** Number of features (the sum of all blocks' vocabularies). */
  get size(): number {
    return this.idf.length;
  }

  /**
   * Learns the vocabularies and idf from training documents. Deterministic: terms are numbered in
   * sorted order within each block.
   *
   * @example TfidfVectorizer.fit([{ w: ['a', 'b'] }, { w: ['a'] }], [{ name: 'w', minDf: 1, weight: 1 }]).size === 2
   */
  static fit(docs: readonly TermDocument[], blockOptions: readonly TermBlockOptions[]): TfidfVectorizer {
    const blocks: Block[] = [];
    const idf: number[] = [];
    const n = docs.length;
    for (const opt of blockOptions) {
      const df = new Map<string, number>();
      for (const doc of docs) {
        for (const t of new Set(doc[opt.name] ?? [])) df.set(t, (df.get(t) ?? 0) + 1);
      }
      const terms = [...df].filter(([, d]) => d >= opt.minDf).map(([t]) => t).sort();
      const offset = idf.length;
      const index = new Map<string, number>();
      terms.forEach((t, i) => {
        index.set(t, offset + i);
        idf.push(Math.log((1 + n) / (1 + df.get(t)!)) + 1);
      });
      blocks.push({ name: opt.name, weight: opt.weight, offset, index });
    }
    return new TfidfVectorizer(blocks, Float32Array.from(idf));
  }

  /** Rebuilds a fitted vectorizer from its persisted vocabulary and idf. */
  static restore(vocabulary: TfidfVocabulary, idf: Float32Array): TfidfVectorizer {
    const blocks: Block[] = [];
    let offset = 0;
    for (const b of vocabulary.blocks) {
      const index = new Map<string, number>();
      b.terms.forEach((t, i) => index.set(t, offset + i));
      blocks.push({ name: b.name, weight: b.weight, offset, index });
      offset += b.terms.length;
    }
    if (offset !== idf.length) throw new Error(`vocabulary has ${offset} terms but idf has ${idf.length} values`);
    return new TfidfVectorizer(blocks, idf);
  }

  /** The vocabulary in persistable form. */
  vocabulary(): TfidfVocabulary {
    return { blocks: this.blocks.map((b) => ({ name: b.name, weight: b.weight, terms: [...b.index.keys()] })) };
  }

  /** The TF-IDF vector of one document; unknown terms are ignored. */
  transform(doc: TermDocument): SparseVector {
    const out = new Map<number, number>();
    for (const b of this.blocks) {
      const tf = new Map<number, number>();
      for (const t of doc[b.name] ?? []) {
        const i = b.index.get(t);
        if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
      }
      let norm = 0;
      for (const [i, c] of tf) {
        const v = (1 + Math.log(c)) * this.idf[i]!;
        tf.set(i, v);
        norm += v * v;
      }
      if (norm === 0) continue;
      const scale = b.weight / Math.sqrt(norm);
      for (const [i, v] of tf) out.set(i, v * scale);
    }
    return sparseFromMap(out);
  }
}
