import type { Token } from './tokenize.js';

/** A gazetteer match over tokens `[start, end)` (token indices). */
export interface GazetteerMatch {
  start: number;
  end: number;
  /** The matched key (token keys joined by a space). */
  key: string;
  /** The entry's value (1 unless the entry was added with another). */
  value: number;
}

/**
 * A set of token-key sequences (stems of mention strings, names) matched longest-first over a
 * token sequence. Keys are joined with a space, so a match is one hash look-up per candidate
 * length; mentions are short (at most `maxTokens` tokens), which keeps this linear in practice.
 */
export class Gazetteer {
  private readonly entries = new Map<string, number>();
  /** Every proper prefix of an entry (token keys joined by a space): a match stops growing outside them. */
  private readonly prefixes = new Set<string>();
  private maxTokens = 0;
  readonly limit: number;

  /** @param limit the longest entry kept, in tokens (longer names never match in clinical text). */
  constructor(limit = 12) {
    this.limit = limit;
  }

  /** Adds one entry given as its token keys, with a value; empty and over-long entries are ignored. */
  add(keys: readonly string[], value = 1): void {
    if (keys.length === 0 || keys.length > this.limit) return;
    this.entries.set(keys.join(' '), value);
    let prefix = keys[0]!;
    for (let k = 1; k < keys.length; k++) {
      this.prefixes.add(prefix);
      prefix = `${prefix} ${keys[k]}`;
    }
    if (keys.length > this.maxTokens) this.maxTokens = keys.length;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The value of an entry (undefined when absent). */
  get(key: string): number | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** All entries, for serialisation. */
  keys(): string[] {
    return [...this.entries.keys()];
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
        const value = this.entries.get(joined);
        if (value !== undefined) found = { start: i, end: j + 1, key: joined, value };
        if (!this.prefixes.has(joined)) break;
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

  /**
   * A per-token feature value for the tagger: where the token sits in a longest match (1 first,
   * 2 inside, 3 last, 4 a one-token match) plus 4 × (the entry's value - 1); 0 outside matches.
   */
  positions(tokens: readonly Token[], key: (t: Token) => string = (t) => t.stem): Uint8Array {
    const out = new Uint8Array(tokens.length);
    for (const m of this.match(tokens, key)) {
      const v = 4 * (m.value - 1);
      if (m.end - m.start === 1) {
        out[m.start] = 4 + v;
        continue;
      }
      for (let i = m.start; i < m.end; i++) out[i] = (i === m.start ? 1 : i === m.end - 1 ? 3 : 2) + v;
    }
    return out;
  }
}
