import { describe, expect, it } from 'vitest';
import { russianStem } from '../../src/text/russianStem.js';

describe('russianStem(): the verb step is optional', () => {
  it('keeps the inflammation suffix -ит without the verb step', () => {
    expect(['гастрит', 'гастрита'].map((w) => russianStem(w))).toEqual(['гастрит', 'гастрит']);
  });
  it('strips verb endings with { verbs: true }', () => {
    expect(russianStem('беспокоит', { verbs: true })).toBe('беспоко');
    expect(russianStem('беспокоит')).toBe('беспокоит');
  });
  it('answers the same from its cache as on first call', () => {
    const first = russianStem('болезнями');
    expect(russianStem('болезнями')).toBe(first);
    expect(first).toBe('болезн');
  });
});
