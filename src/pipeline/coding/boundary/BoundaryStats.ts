import type { Token } from '../lexical/tokenize.js';

/** A document for boundary statistics: its tokens and its gold mention spans (token indices, inclusive). */
export interface BoundaryDocument {
  tokens: readonly Token[];
  /** Gold mentions as `[first token, last token]`. */
  gold: readonly (readonly [number, number])[];
}

/** Serialised statistics: marked strings `[stem key, marked, seen]` and tokens `[stem, occurrences, begins, ends, insides, left outsides, right outsides]`. */
export interface BoundaryStatsJSON {
  strings: [string, number, number][];
  tokens: [string, number, number, number, number, number, number][];
}

/** Per-token-stem counts: occurrences, as a mention's first token, as its last, inside one. */
export interface TokenCounts {
  occurrences: number;
  begins: number;
  ends: number;
  insides: number;
  /** Right before a mention (outside it). */
  leftOutsides: number;
  /** Right after a mention (outside it). */
  rightOutsides: number;
}

const MAX_TOKENS = 12;

/**
 * How annotators marked strings and tokens in training: for every marked mention string (its
 * token stems joined by a space) how often it is marked and how often it occurs at all; for every
 * token stem ever inside or next to a mention, how often it occurs, begins, ends and is inside
 * one, and stands right before or after one. The
 * boundary chooser's evidence for "where do annotators start and end this mention".
 *
 * @example BoundaryStats.build(docs).rate(['остр', 'бронхит']) // 0.8
 */
export class BoundaryStats {
  private readonly strings: Map<string, [number, number]>;
  private readonly prefixes = new Set<string>();
  private readonly tokenCounts: Map<string, TokenCounts>;

  constructor(strings: Map<string, [number, number]>, tokenCounts: Map<string, TokenCounts>) {
    this.strings = strings;
    this.tokenCounts = tokenCounts;
    for (const key of strings.keys()) {
      const parts = key.split(' ');
      for (let k = 1; k < parts.length; k++) this.prefixes.add(parts.slice(0, k).join(' '));
    }
  }

  /** Counts over the documents. */
  static build(documents: readonly BoundaryDocument[]): BoundaryStats {
    const strings = new Map<string, [number, number]>();
    const tokenCounts = new Map<string, TokenCounts>();
    for (const doc of documents) {
      for (const [a, b] of doc.gold) {
        if (b - a + 1 > MAX_TOKENS) continue;
        const key = keyOf(doc.tokens, a, b);
        const e = strings.get(key);
        if (e) e[0]++;
        else strings.set(key, [1, 0]);
        const counts = (k: number): TokenCounts => {
          const stem = doc.tokens[k]!.stem;
          let c = tokenCounts.get(stem);
          if (!c) tokenCounts.set(stem, (c = { occurrences: 0, begins: 0, ends: 0, insides: 0, leftOutsides: 0, rightOutsides: 0 }));
          return c;
        };
        for (let k = a; k <= b; k++) {
          const c = counts(k);
          c.insides++;
          if (k === a) c.begins++;
          if (k === b) c.ends++;
        }
        if (a > 0) counts(a - 1).leftOutsides++;
        if (b + 1 < doc.tokens.length) counts(b + 1).rightOutsides++;
      }
    }
    const stats = new BoundaryStats(strings, tokenCounts);
    for (const doc of documents) {
      for (const t of doc.tokens) {
        const c = tokenCounts.get(t.stem);
        if (c) c.occurrences++;
      }
      stats.forEachOccurrence(doc.tokens, (e) => e[1]++);
    }
    return stats;
  }

  /** Calls `visit` with the entry of every occurrence (any start, any length) of a marked string. */
  private forEachOccurrence(tokens: readonly Token[], visit: (e: [number, number]) => void): void {
    for (let i = 0; i < tokens.length; i++) {
      let key = '';
      for (let j = i; j < Math.min(tokens.length, i + MAX_TOKENS); j++) {
        key = j === i ? tokens[j]!.stem : `${key} ${tokens[j]!.stem}`;
        const e = this.strings.get(key);
        if (e) visit(e);
        if (!this.prefixes.has(key)) break;
      }
    }
  }

  /** `[marked, seen]` of the string of tokens `a..b` (zeros when never marked). */
  counts(tokens: readonly Token[], a: number, b: number): readonly [number, number] {
    if (b - a + 1 > MAX_TOKENS) return [0, 0];
    return this.strings.get(keyOf(tokens, a, b)) ?? [0, 0];
  }

  /** The counts of a token stem (undefined when it is never inside a mention). */
  token(stem: string): TokenCounts | undefined {
    return this.tokenCounts.get(stem);
  }

  toJSON(): BoundaryStatsJSON {
    return {
      strings: [...this.strings].map(([k, [m, s]]) => [k, m, s]),
      tokens: [...this.tokenCounts].map(([k, c]) => [k, c.occurrences, c.begins, c.ends, c.insides, c.leftOutsides, c.rightOutsides]),
    };
  }

  static fromJSON(json: BoundaryStatsJSON): BoundaryStats {
    return new BoundaryStats(
      new Map(json.strings.map(([k, m, s]) => [k, [m, s]])),
      new Map(json.tokens.map(([k, occurrences, begins, ends, insides, leftOutsides, rightOutsides]) => [k, { occurrences, begins, ends, insides, leftOutsides, rightOutsides }])),
    );
  }
}

function keyOf(tokens: readonly Token[], a: number, b: number): string {
  let key = tokens[a]!.stem;
  for (let k = a + 1; k <= b; k++) key += ` ${tokens[k]!.stem}`;
  return key;
}
