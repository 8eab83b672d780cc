import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistanceAtMost } from '../../../src/graph/shared/editDistanceAtMost.js';

/** The textbook full-matrix optimal string alignment distance. */
function reference(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([]);
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        d[i]![j] = i + j;
        continue;
      }
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

describe('editDistanceAtMost()', () => {
  it('counts substitutions, insertions, deletions and adjacent transpositions', () => {
    expect(editDistanceAtMost('гострит', 'гастрит', 3)).toBe(1);
    expect(editDistanceAtMost('гастирт', 'гастрит', 3)).toBe(1);
    expect(editDistanceAtMost('ожирение', 'ожирени', 3)).toBe(1);
    expect(editDistanceAtMost('', 'абв', 3)).toBe(3);
  });

  it('answers max + 1 beyond max', () => {
    expect(editDistanceAtMost('гипертоническая', 'хроническая', 3)).toBe(4);
    expect(editDistanceAtMost('абвгд', 'а', 2)).toBe(3);
  });

  it('agrees with the full-matrix distance, capped at max + 1', () => {
    const word = fc.string({ unit: fc.constantFrom('а', 'б', 'в', 'г'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        expect(editDistanceAtMost(a, b, max)).toBe(Math.min(reference(a, b), max + 1));
      }),
      { numRuns: 3000 },
    );
  });
});
