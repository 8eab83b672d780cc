import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldWhitespace } from '../../src/ingest/foldWhitespace.js';

describe('foldWhitespace()', () => {
  it.each([
    ['Холера,\n  азиатская\t', 'Холера, азиатская '],
    ['Холера азиатская', 'Холера азиатская'],
    ['a\u00a0b\u3000\ufeffc', 'a b c'],
  ])('folds every run of whitespace to one space and leaves single spaces alone: %j', (text, folded) => {
    expect(foldWhitespace(text)).toBe(folded);
  });

  it("equals text.replace(/\\s+/g, ' ') on every character between words, and on random strings", () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [`a${ch}b`, `a ${ch}`, `${ch} `]) {
        if (foldWhitespace(text) !== text.replace(/\s+/g, ' ')) expect(foldWhitespace(text)).toBe(text.replace(/\s+/g, ' '));
      }
    }
    const unit = fc.constantFrom(' ', ' ', '\t', '\n', '\u00a0', '\u2003', 'а', 'b', ',');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 20 }), (text) => {
        expect(foldWhitespace(text)).toBe(text.replace(/\s+/g, ' '));
      }),
    );
  });
});
