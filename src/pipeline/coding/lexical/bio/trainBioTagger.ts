import { mulberry32 } from '../../../../util/mulberry32.js';
import { shuffleInPlace } from '../../../../util/shuffleInPlace.js';
import { AveragedPerceptron } from './AveragedPerceptron.js';
import { BioTagger } from './BioTagger.js';
import type { BioTaggerTrainOptions, TaggedSequence } from './BioTagger.js';
import { BOS, dynamicTriples, DYN, EOS, keyOf, MAX_STATIC, staticTriples, tokenInfo } from './features.js';
import { O, TAGS } from './tags.js';
import { viterbi } from './viterbi.js';

/**
 * Trains a tagger on gold-tagged sequences (bagged over `bags` shuffles, averaged), decoding with
 * Viterbi at every update (structured perceptron).
 *
 * @example const tagger = trainBioTagger([{ tokens: tokenize('ИБС'), tags: [B] }], { epochs: 6, seed: 1 });
 */
export function trainBioTagger(sequences: readonly TaggedSequence[], options: BioTaggerTrainOptions): BioTagger {
  // The vocabulary is built once, before any shuffle, so that every bag shares it.
  const vocab: string[] = [BOS, EOS];
  const ids = new Map<string, number>([
    [BOS, 0],
    [EOS, 1],
  ]);
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = vocab.length;
      vocab.push(s);
      ids.set(s, id);
    }
    return id;
  };
  // Feature keys of every token, built once: static ones (stride MAX_STATIC, NaN-padded) and
  // transition ones per previous tag (stride TAGS * DYN).
  const buf = new Int32Array(Math.max(MAX_STATIC, TAGS * DYN) * 3);
  const staticKeys: Float64Array[] = [];
  const dynKeys: Float64Array[] = [];
  for (const seq of sequences) {
    const info = seq.tokens.map((t) => tokenInfo(t, intern));
    const n = seq.tokens.length;
    const sk = new Float64Array(n * MAX_STATIC).fill(NaN);
    const dk = new Float64Array(n * TAGS * DYN).fill(NaN);
    for (let i = 0; i < n; i++) {
      const ex = seq.extra?.[i] ?? 0;
      const m = staticTriples(seq.tokens, info, i, 0, 1, ex, buf);
      for (let k = 0; k < m; k++) sk[i * MAX_STATIC + k] = keyOf(buf[k * 3]!, buf[k * 3 + 1]!, buf[k * 3 + 2]!);
      for (let p = 0; p < TAGS; p++) {
        const d = dynamicTriples(info[i]!, p, ex, buf);
        for (let k = 0; k < d; k++) dk[(i * TAGS + p) * DYN + k] = keyOf(buf[k * 3]!, buf[k * 3 + 1]!, buf[k * 3 + 2]!);
      }
    }
    staticKeys.push(sk);
    dynKeys.push(dk);
  }
  const bags = Math.max(1, options.bags ?? 1);
  const sum = new Map<number, Float32Array>();
  for (let bag = 0; bag < bags; bag++) {
    const model = trainOne(sequences, staticKeys, dynKeys, options.epochs, options.seed + bag);
    for (const [key, w] of model.averaged()) {
      const acc = sum.get(key) ?? new Float32Array(TAGS);
      for (let c = 0; c < TAGS; c++) acc[c]! += w[c]! / bags;
      sum.set(key, acc);
    }
  }
  return new BioTagger(vocab, sum);
}

function trainOne(
  sequences: readonly TaggedSequence[],
  staticKeys: readonly Float64Array[],
  dynKeys: readonly Float64Array[],
  epochs: number,
  seed: number,
): AveragedPerceptron {
  const model = new AveragedPerceptron(TAGS);
  const order = sequences.map((_, i) => i);
  const rand = mulberry32(seed);
  const maxLen = sequences.reduce((m, s) => Math.max(m, s.tokens.length), 0);
  const emit = new Float64Array(maxLen * TAGS);
  const trans = new Float64Array(maxLen * TAGS * TAGS);
  const path = new Uint8Array(maxLen);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, rand);
    for (const idx of order) {
      const seq = sequences[idx]!;
      const n = seq.tokens.length;
      const sk = staticKeys[idx]!;
      const dk = dynKeys[idx]!;
      emit.fill(0, 0, n * TAGS);
      trans.fill(0, 0, n * TAGS * TAGS);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < MAX_STATIC; k++) {
          const key = sk[i * MAX_STATIC + k]!;
          if (Number.isNaN(key)) break;
          const r = model.row(key);
          if (r >= 0) model.addTo(r, emit, i * TAGS);
        }
        for (let p = 0; p < TAGS; p++) {
          for (let k = 0; k < DYN; k++) {
            const key = dk[(i * TAGS + p) * DYN + k]!;
            if (Number.isNaN(key)) break;
            const r = model.row(key);
            if (r >= 0) model.addTo(r, trans, (i * TAGS + p) * TAGS);
          }
        }
      }
      viterbi(n, emit, trans, path);
      model.tick();
      let prevGold = O;
      let prevGuess = O;
      for (let i = 0; i < n; i++) {
        const gold = seq.tags[i]!;
        const guess = path[i]!;
        if (gold !== guess) {
          for (let k = 0; k < MAX_STATIC; k++) {
            const key = sk[i * MAX_STATIC + k]!;
            if (Number.isNaN(key)) break;
            model.bump(key, gold, 1);
            model.bump(key, guess, -1);
          }
        }
        if (gold !== guess || prevGold !== prevGuess) {
          for (let k = 0; k < DYN; k++) {
            const key = dk[(i * TAGS + prevGold) * DYN + k]!;
            if (Number.isNaN(key)) break;
            model.bump(key, gold, 1);
          }
          for (let k = 0; k < DYN; k++) {
            const key = dk[(i * TAGS + prevGuess) * DYN + k]!;
            if (Number.isNaN(key)) break;
            model.bump(key, guess, -1);
          }
        }
        prevGold = gold;
        prevGuess = guess;
      }
    }
  }
  return model;
}

