import { describe, expect, it } from 'vitest';
import { compareDocumentIds } from '../../src/util/compareDocumentIds.js';

describe('compareDocumentIds()', () => {
  it('orders numeric ids numerically, before other ids in code-unit order', () => {
    expect(['10', 'b', '2', 'a10', '1', 'a2', '100'].sort(compareDocumentIds)).toEqual(['1', '2', '10', '100', 'a10', 'a2', 'b']);
  });

  it('compares ids longer than a double can hold without losing digits', () => {
    expect(['123456789012345678901', '123456789012345678900'].sort(compareDocumentIds)).toEqual(['123456789012345678900', '123456789012345678901']);
  });

  it('breaks ties between numerically equal ids by code units', () => {
    expect(['7', '007', '07'].sort(compareDocumentIds)).toEqual(['007', '07', '7']);
    expect(compareDocumentIds('5', '5')).toBe(0);
  });
});
