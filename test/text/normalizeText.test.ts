import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/text/normalizeText.js';

/** The definition normalizeText must keep, character for character. */
function byRegex(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

describe('normalizeText()', () => {
  it('lower-cases, folds ё and collapses punctuation and whitespace runs to one space', () => {
    expect(normalizeText('Гипертоническая  болезнь (ГБ), ёлка')).toBe('гипертоническая болезнь гб елка');
    expect(normalizeText('  ИБС:стенокардия\n\nнапряжения, ФК-2.  ')).toBe('ибс стенокардия напряжения фк 2');
    expect(normalizeText('ЁЖ')).toBe('еж');
  });

  it('returns canonical text unchanged and trims a lone trailing or leading space', () => {
    expect(normalizeText('ишемическая болезнь сердца')).toBe('ишемическая болезнь сердца');
    expect(normalizeText('ишемическая болезнь ')).toBe('ишемическая болезнь');
    expect(normalizeText(' болезнь')).toBe('болезнь');
    expect(normalizeText('')).toBe('');
    expect(normalizeText(' ,. ')).toBe('');
  });

  it('keeps letters and digits outside Cyrillic and Latin, astral ones included, and drops marks and lone surrogates', () => {
    expect(normalizeText('Σίσυφος ΣΑΣ')).toBe('σίσυφος σας');
    expect(normalizeText('İstanbul')).toBe('i stanbul'); // U+0130 lowers to i + a combining dot, a mark
    expect(normalizeText('𝐀𝐁 x\uD800y\uDC00z ٣')).toBe('𝐀𝐁 x y z ٣');
    expect(normalizeText('а\u0301б')).toBe('а б');
  });

  // Characters the data and queries hold, and the awkward corners of Unicode.
  const unit = fc.oneof(
    fc.constantFrom(' ', '  ', ',', '.', '-', '(', ')', '\n', '\t', '\u00a0', 'ё', 'Ё', 'İ', 'Σ', 'ς', '\u0301', '𝐀', '\uD800', '\uDC00', 'ß', 'ǅ', '٣', '²', '_'),
    fc.integer({ min: 0x400, max: 0x4ff }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  );
  const texts = fc.oneof(fc.string({ unit, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));

  it('equals the regex definition on random Unicode strings, Cyrillic included', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(normalizeText(text)).toBe(byRegex(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('equals the regex definition on every single code unit and on every BMP character between words', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [ch, `a${ch}b`, `${ch}${ch}я`]) {
        if (normalizeText(text) !== byRegex(text)) expect(normalizeText(text)).toBe(byRegex(text));
      }
    }
  });
});
