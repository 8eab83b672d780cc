import { resolve } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { splitWords } from './splitWords.js';
import type { WordSpan } from './splitWords.js';

/** One model input sequence; `wordIndex[i]` is the word of token i (-1 for special tokens). */
export interface EncodedSequence {
  ids: number[];
  wordIndex: number[];
}

/** A padded batch, ready for the session (int64, row-major `[batch, tokens]`). */
export interface PaddedBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  dims: [number, number];
}

// Nothing is ever fetched from a model hub: local files only, from absolute paths.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;
env.localModelPath = '/';

/** Words cached per tokenizer; clinical vocabularies are small, so this stays bounded in practice. */
const MAX_CACHED_WORDS = 200_000;

/**
 * A Hugging Face tokenizer loaded from a model folder's `tokenizer.json` + `tokenizer_config.json`
 * (through `@huggingface/transformers`, local files only), with the word-level alignment token
 * classifiers need: each word of the caller's text is tokenised on its own, so every sub-word
 * token knows its word and hence its characters.
 */
export class OnnxTokenizer {
  private readonly tokenizer: PreTrainedTokenizer;
  /** Special tokens the tokenizer puts before and after a sequence (`[CLS]` / `[SEP]`). */
  readonly prefix: number[];
  readonly suffix: number[];
  readonly padId: number;
  private readonly words = new Map<string, number[]>();

  private constructor(tokenizer: PreTrainedTokenizer) {
    this.tokenizer = tokenizer;
    // Find the special-token frame by encoding a probe with and without special tokens.
    const bare = tokenizer.encode('a', { add_special_tokens: false });
    const framed = tokenizer.encode('a', { add_special_tokens: true });
    let at = -1;
    for (let i = 0; i + bare.length <= framed.length && at < 0; i++) {
      if (bare.every((id, j) => framed[i + j] === id)) at = i;
    }
    this.prefix = at < 0 ? [] : framed.slice(0, at);
    this.suffix = at < 0 ? [] : framed.slice(at + bare.length);
    this.padId = tokenizer.pad_token_id ?? 0;
  }

  /**
   * Loads the tokenizer of a model folder (absolute or relative path); never downloads.
   *
   * @example const t = await OnnxTokenizer.load('models/tiny-ner'); t.encodeText('ИБС', 32).ids // [2, 11, 3]
   */
  static async load(dir: string): Promise<OnnxTokenizer> {
    const tokenizer = await AutoTokenizer.from_pretrained(resolve(dir), { local_files_only: true });
    return new OnnxTokenizer(tokenizer);
  }

  /** Token ids of one word (no special tokens), cached. */
  wordIds(word: string): number[] {
    let ids = this.words.get(word);
    if (ids === undefined) {
      ids = this.tokenizer.encode(word, { add_special_tokens: false });
      if (this.words.size >= MAX_CACHED_WORDS) this.words.clear();
      this.words.set(word, ids);
    }
    return ids;
  }

  /**
   * Splits a text into words and encodes them into one or more sequences of at most `maxLength`
   * tokens (special tokens included): a long text becomes several windows cut between words, so no
   * word is ever split across windows. A word longer than a window is cut to fit.
   */
  encodeWords(text: string, maxLength: number): { words: WordSpan[]; sequences: EncodedSequence[] } {
    const words = splitWords(text);
    const room = Math.max(1, maxLength - this.prefix.length - this.suffix.length);
    const sequences: EncodedSequence[] = [];
    let ids: number[] = [];
    let wordIndex: number[] = [];
    const flush = (): void => {
      if (ids.length === 0) return;
      sequences.push({
        ids: [...this.prefix, ...ids, ...this.suffix],
        wordIndex: [...this.prefix.map(() => -1), ...wordIndex, ...this.suffix.map(() => -1)],
      });
      ids = [];
      wordIndex = [];
    };
    words.forEach((w, i) => {
      const pieces = this.wordIds(w.text).slice(0, room);
      if (ids.length + pieces.length > room) flush();
      for (const p of pieces) {
        ids.push(p);
        wordIndex.push(i);
      }
    });
    flush();
    return { words, sequences };
  }

  /** Encodes a whole text with special tokens, cut to `maxLength` tokens (keeping the closing ones). */
  encodeText(text: string, maxLength: number): EncodedSequence {
    let ids = this.tokenizer.encode(text, { add_special_tokens: true });
    if (ids.length > maxLength) ids = [...ids.slice(0, maxLength - this.suffix.length), ...this.suffix];
    return { ids, wordIndex: ids.map(() => -1) };
  }

  /** Pads sequences to the longest one; mask 1 on real tokens, token types all 0 (one segment). */
  pad(sequences: readonly EncodedSequence[]): PaddedBatch {
    const T = Math.max(1, ...sequences.map((s) => s.ids.length));
    const B = sequences.length;
    const inputIds = new BigInt64Array(B * T).fill(BigInt(this.padId));
    const attentionMask = new BigInt64Array(B * T);
    sequences.forEach((s, b) => {
      s.ids.forEach((id, t) => {
        inputIds[b * T + t] = BigInt(id);
        attentionMask[b * T + t] = 1n;
      });
    });
    return { inputIds, attentionMask, tokenTypeIds: new BigInt64Array(B * T), dims: [B, T] };
  }
}
