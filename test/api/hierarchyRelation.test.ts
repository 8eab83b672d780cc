import { describe, expect, it } from 'vitest';
import { hierarchyRelation } from '../../src/graph/hierarchyRelation.js';

const I25_2 = ['I25.2', 'I25', 'I20-I25', 'I00-I99'];
const I25_1 = ['I25.1', 'I25', 'I20-I25', 'I00-I99'];
const I11_9 = ['I11.9', 'I11', 'I10-I15', 'I00-I99'];
const E11_9 = ['E11.9', 'E11', 'E10-E14', 'E00-E90'];

describe('hierarchyRelation()', () => {
  it('relates a code to itself at distance 0', () => {
    expect(hierarchyRelation(I25_2, I25_2)).toEqual({ lca: 'I25.2', upFromA: 0, upFromB: 0, distance: 0 });
  });

  it('relates siblings through their parent at distance 2', () => {
    expect(hierarchyRelation(I25_2, I25_1)).toEqual({ lca: 'I25', upFromA: 1, upFromB: 1, distance: 2 });
  });

  it('relates a code and its ancestor at the number of hops between them', () => {
    expect(hierarchyRelation(I25_2, ['I20-I25', 'I00-I99'])).toEqual({ lca: 'I20-I25', upFromA: 2, upFromB: 0, distance: 2 });
    expect(hierarchyRelation(['I00-I99'], I25_2)).toEqual({ lca: 'I00-I99', upFromA: 0, upFromB: 3, distance: 3 });
  });

  it('relates I25.2 and I11.9 through their chapter at distance 6', () => {
    expect(hierarchyRelation(I25_2, I11_9)).toEqual({ lca: 'I00-I99', upFromA: 3, upFromB: 3, distance: 6 });
  });

  it('relates codes of different chapters through the virtual root', () => {
    expect(hierarchyRelation(I25_2, E11_9)).toEqual({ lca: null, upFromA: 4, upFromB: 4, distance: 8 });
    expect(hierarchyRelation(['I00-I99'], ['E00-E90'])).toEqual({ lca: null, upFromA: 1, upFromB: 1, distance: 2 });
  });

  it('is symmetric in distance and LCA', () => {
    const ab = hierarchyRelation(I25_2, ['I20.9', 'I20', 'I20-I25', 'I00-I99']);
    const ba = hierarchyRelation(['I20.9', 'I20', 'I20-I25', 'I00-I99'], I25_2);
    expect([ab.lca, ab.distance]).toEqual([ba.lca, ba.distance]);
  });

  it('refuses empty chains, stating the contract', () => {
    expect(() => hierarchyRelation([], I25_2)).toThrow('ancestor-or-self chains must not be empty, got lengths 0 and 4');
  });
});
