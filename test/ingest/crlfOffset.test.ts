import { describe, expect, it } from 'vitest';
import { crlfOffset } from '../../src/ingest/crlfOffset.js';

describe('crlfOffset()', () => {
  it('leaves offsets of a text without line breaks unchanged', () => {
    expect([0, 3, 7].map((o) => crlfOffset('ИБС. ГБ', o))).toEqual([0, 3, 7]);
  });
  it('counts each bare \\n before the offset as two characters', () => {
    const text = 'ИБС.\nГБ II.\nСД';
    expect(crlfOffset(text, 4)).toBe(4);
    expect(crlfOffset(text, 5)).toBe(6);
    expect(crlfOffset(text, text.indexOf('СД'))).toBe(text.replace(/\n/g, '\r\n').indexOf('СД'));
  });
  it('does not count a \\n that already follows a \\r', () => {
    expect(crlfOffset('a\r\nb\nc', 5)).toBe(6);
  });
});
