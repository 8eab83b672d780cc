import { describe, expect, it } from 'vitest';
import { DEFAULT_CODER_OPTIONS, LexicalCoder } from '../../src/pipeline/coding/lexical/LexicalCoder.js';
import { LexicalLinker } from '../../src/pipeline/coding/lexical/LexicalLinker.js';
import { Normalizer } from '../../src/pipeline/coding/lexical/Normalizer.js';
import type { Candidate, Linker, Recognizer, Span } from '../../src/pipeline/coding/types.js';

/** Every whitespace-separated word of the text is one mention. */
const words: Recognizer = {
  recognize: (texts) =>
    texts.map((t) => {
      const spans: Span[] = [];
      for (const m of t.matchAll(/\S+/g)) spans.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
      return spans;
    }),
};

/** A linker that answers a fixed candidate list per mention word. */
function fixedLinker(table: Record<string, Candidate[]>): Linker {
  return { link: (mentions, k) => mentions.map((m) => (table[m] ?? []).slice(0, k)) };
}

const c = (code: string, score: number, source: Candidate['source'] = 'CORPUS'): Candidate => ({ code, score, source, name: code });

const table: Record<string, Candidate[]> = {
  sub1: [c('A01.1', 1)],
  sub2: [c('B02.3', 1)],
  cat1: [c('C03', 1)],
  // An ambiguous name: the category slightly ahead of a subcategory.
  gastritis: [c('K29', 0.6), c('K29.9', 0.4)],
  // The subcategory too far behind to switch to.
  farGastritis: [c('K29', 0.6), c('K29.9', 0.2)],
  fuzzyGastritis: [c('K29', 0.5, 'FUZZY'), c('K29.9', 0.3, 'FUZZY')],
};

describe('LexicalCoder: one code granularity per document', () => {
  const coder = new LexicalCoder(words, fixedLinker(table), new Map(), DEFAULT_CODER_OPTIONS);

  it('switches an ambiguous category to its subcategory when two strong entities use subcategories', () => {
    expect(coder.code(['sub1 sub2 gastritis'])[0]!.codes).toEqual(['A01.1', 'B02.3', 'K29.9']);
  });

  it('keeps the pick when the other granularity scores under half of it', () => {
    expect(coder.code(['sub1 sub2 farGastritis'])[0]!.codes).toEqual(['A01.1', 'B02.3', 'K29']);
  });

  it('needs a margin of two strong entities for a document vote', () => {
    // One subcategory against one category: no vote, the linker's order stands.
    expect(coder.code(['sub1 cat1 gastritis'])[0]!.codes).toEqual(['A01.1', 'C03', 'K29']);
  });
});

describe('LexicalCoder: training granularity of a category for fuzzy picks', () => {
  // 8 of the 9 training mentions of K29 are coded with a subcategory.
  const prior = new Map([
    ['K29', 1],
    ['K29.9', 5],
    ['K29.7', 3],
  ]);
  const withPrior = new LexicalCoder(words, fixedLinker(table), new Map(), DEFAULT_CODER_OPTIONS, prior);
  const without = new LexicalCoder(words, fixedLinker(table), new Map(), DEFAULT_CODER_OPTIONS);

  it('moves a fuzzy category pick to the subcategory annotators mostly use', () => {
    expect(withPrior.code(['fuzzyGastritis'])[0]!.codes).toEqual(['K29.9']);
    expect(without.code(['fuzzyGastritis'])[0]!.codes).toEqual(['K29']);
  });

  it('leaves a pick from the training names themselves alone', () => {
    expect(withPrior.code(['gastritis'])[0]!.codes).toEqual(['K29']);
  });
});

describe('LexicalLinker: ties between a category and its subcategory', () => {
  it('ranks the more specific code first when annotators used both equally often', () => {
    const linker = LexicalLinker.build(
      [
        { text: 'гастрит', code: 'K29', source: 'CORPUS', weight: 1 },
        { text: 'гастрит', code: 'K29.7', source: 'CORPUS', weight: 1 },
      ],
      new Normalizer(new Map()),
    );
    expect(linker.link(['Гастрит'], 2)[0]!.map((x) => [x.code, x.score])).toEqual([
      ['K29.7', 0.5],
      ['K29', 0.5],
    ]);
  });
});
