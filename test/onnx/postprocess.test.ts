import { describe, expect, it } from 'vitest';
import { cosineTopK } from '../../src/pipeline/coding/onnx/cosineTopK.js';
import { groupBioSpans } from '../../src/pipeline/coding/onnx/groupBioSpans.js';
import { l2Normalize } from '../../src/pipeline/coding/onnx/l2Normalize.js';
import { poolHidden } from '../../src/pipeline/backends/poolHidden.js';
import { sigmoid } from '../../src/pipeline/backends/sigmoid.js';
import { softmax } from '../../src/pipeline/backends/softmax.js';
import { splitWords } from '../../src/pipeline/backends/splitWords.js';

describe('softmax() and sigmoid()', () => {
  it('softmax of [0.5, 2, 0] is e^x / (e^0.5 + e^2 + 1)', () => {
    const p = softmax([0.5, 2, 0]);
    expect(p[1]).toBeCloseTo(7.389056 / 10.037777, 6);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
  it('reads one row of a flat [T, L] tensor and survives huge logits', () => {
    expect(softmax([9, 9, 1000, 0, 1000], 3, 2)).toEqual([0, 1]);
  });
  it('sigmoid(1) = 0.731059, sigmoid(-800) = 0 without overflow', () => {
    expect(sigmoid(1)).toBeCloseTo(0.731059, 6);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
  });
});

describe('poolHidden(), l2Normalize(), cosineTopK()', () => {
  it('mean pooling skips masked tokens; cls takes token 0', () => {
    // [B=2, T=2, H=2]; the second sequence's second token is padding.
    const hidden = Float32Array.from([1, 0, 3, 2, 4, 4, 100, 100]);
    const mask = [1, 1, 1, 0];
    expect(poolHidden(hidden, [2, 2, 2], mask, 'mean').map((v) => [...v])).toEqual([[2, 1], [4, 4]]);
    expect(poolHidden(hidden, [2, 2, 2], mask, 'cls').map((v) => [...v])).toEqual([[1, 0], [4, 4]]);
  });
  it('normalises [3, 4] to [0.6, 0.8] and leaves a zero vector alone', () => {
    expect([...l2Normalize(Float32Array.from([3, 4]))].map((x) => +x.toFixed(6))).toEqual([0.6, 0.8]);
    expect(l2Normalize([0, 0])).toEqual([0, 0]);
  });
  it('ranks rows by dot product and counts a group once, by its best row', () => {
    const m = Float32Array.from([1, 0, 0.6, 0.8, 0, 1, 0.8, 0.6]);
    expect(cosineTopK(m, 2, [1, 0], 3)).toEqual([
      { index: 0, score: 1 },
      { index: 3, score: expect.closeTo(0.8, 6) as number },
      { index: 1, score: expect.closeTo(0.6, 6) as number },
    ]);
    // Rows 0 and 3 belong to one group: only row 0 stands for it.
    expect(cosineTopK(m, 2, [1, 0], 3, Int32Array.from([0, 1, 2, 0])).map((h) => h.index)).toEqual([0, 1, 2]);
    expect(cosineTopK(m, 2, [1, 0], 0)).toEqual([]);
  });
});

describe('splitWords() and groupBioSpans()', () => {
  const labels = ['O', 'B-DISEASE', 'I-DISEASE'];
  it('splits words and punctuation with offsets in the caller text', () => {
    expect(splitWords('ИБС,  ст.')).toEqual([
      { start: 0, end: 3, text: 'ИБС' },
      { start: 3, end: 4, text: ',' },
      { start: 6, end: 8, text: 'ст' },
      { start: 8, end: 9, text: '.' },
    ]);
  });
  it('groups B I I, opens on a stray I, closes on O, and averages scores', () => {
    const text = 'а б в г д е';
    const words = splitWords(text);
    const preds = [
      { label: 1, score: 0.9 },
      { label: 2, score: 0.7 },
      { label: 0, score: 0.99 },
      { label: 2, score: 0.6 },
      { label: 1, score: 0.8 },
      { label: 1, score: 0.4 },
    ];
    expect(groupBioSpans(words, preds, labels)).toEqual([
      { start: 0, end: 3, type: 'DISEASE', score: 0.8, firstWord: 0, endWord: 2 },
      { start: 6, end: 7, type: 'DISEASE', score: 0.6, firstWord: 3, endWord: 4 },
      { start: 8, end: 9, type: 'DISEASE', score: 0.8, firstWord: 4, endWord: 5 },
      { start: 10, end: 11, type: 'DISEASE', score: 0.4, firstWord: 5, endWord: 6 },
    ]);
    expect(groupBioSpans(words, preds, labels, 0.7).map((e) => e.start)).toEqual([0, 8]);
  });
  it('an I of another type starts a new entity', () => {
    const words = splitWords('а б');
    const spans = groupBioSpans(words, [{ label: 1, score: 1 }, { label: 2, score: 1 }], ['O', 'B-A', 'I-B']);
    expect(spans.map((s) => [s.start, s.end, s.type])).toEqual([[0, 1, 'A'], [2, 3, 'B']]);
  });
  it('rejects predictions that do not match the words', () => {
    expect(() => groupBioSpans(splitWords('а'), [], labels)).toThrow('1 words but 0 predictions');
  });
});
