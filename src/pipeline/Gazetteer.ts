import type { Token } from './tokenize.js';

/** A gazetteer match over tokens `[start, end)` (token indices). */
export interface GazetteerMatch {
  start: number;
  end: number;
  /** The matched key (token keys joined by a space). */
  key: string;
}

/**
 * A set of token-key sequences (stems of mention strings, names) matched longest-first over a
 * token sequence. Keys are joined with a space, so a match is one hash look-up per candidate
 * length; mentions are short (at most `maxTokens` tokens), which keeps this linear in practice.
 */
export class Gazetteer {
  private readonly entries = new Set<string>();
  private maxTokens = 0;
  readonly limit: number;

  /** @param limit the longest entry kept, in tokens (longer names never match in clinical text). */
  constructor(limit = 12) {
    this.limit = limit;
  }

  /** Adds one entry given as its token keys; empty and over-long entries are ignored. */
  add(keys: readonly string[]): void {
    if (keys.length === 0 || keys.length > this.limit) return;
    this.entries.add(keys.join(' '));
    if (keys.length > this.maxTokens) this.maxTokens = keys.length;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** All entries, for serialisation. */
  keys(): string[] {
    return [...this.entries];
  }

  /**
   * Non-overlapping longest matches, scanning left to right.
   * @param key picks the comparison key of a token (its stem, usually).
   */
  match(tokens: readonly Token[], key: (t: Token) => string = (t) => t.stem): GazetteerMatch[] {
    const out: GazetteerMatch[] = [];
    const keys = tokens.map(key);
    let i = 0;
    while (i < keys.length) {
      let found: GazetteerMatch | null = null;
      let joined = '';
      for (let j = i; j < Math.min(keys.length, i + this.maxTokens); j++) {
        joined = j === i ? keys[j]! : `${joined} ${keys[j]}`;
        if (this.entries.has(joined)) found = { start: i, end: j + 1, key: joined };
      }
      if (found) {
        out.push(found);
        i = found.end;
      } else {
        i++;
      }
    }
    return out;
  }
}
