import { describe, expect, it } from 'vitest';
import { diverging, linear, log } from '../../web/src/charts/scale.js';
import { sentenceAround } from '../../web/src/text.js';

describe("the explorer's pure helpers", () => {
  it('cuts the sentence around a mention, at sentence ends and at most max characters either side', () => {
    const text = 'Жалобы. ИБС: стенокардия напряжения. Иное.';
    const start = text.indexOf('стенокардия');
    expect(sentenceAround(text, start, start + 'стенокардия'.length)).toEqual({ before: 'ИБС: ', mention: 'стенокардия', after: ' напряжения.' });
    const long = `${'а'.repeat(500)}ИБС${'б'.repeat(500)}`;
    const s = sentenceAround(long, 500, 503, 10);
    expect([s.before.length, s.mention, s.after.length]).toEqual([10, 'ИБС', 10]);
  });

  it('maps linear and log scales with ticks inside the domain', () => {
    const x = linear([0, 1], [0, 100]);
    expect(x(0.25)).toBe(25);
    expect(x.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const y = log([1, 1000], [0, 300]);
    expect(y(10)).toBeCloseTo(100);
    expect(y.ticks).toEqual([1, 10, 100, 1000]);
    expect(y(0)).toBe(0); // clamped, never NaN
  });

  it('colours F1 changes: grey without a value, green above zero, red below', () => {
    expect(diverging(null)).toBe('#c9ced6');
    const [r1, g1] = diverging(0.2).match(/\d+/g)!.map(Number);
    const [r2, g2] = diverging(-0.2).match(/\d+/g)!.map(Number);
    expect(g1! > r1!).toBe(true);
    expect(r2! > g2!).toBe(true);
  });
});
