import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ExpansionCache } from '../../src/fhir/ExpansionCache.js';

describe('ExpansionCache', () => {
  const b = (n: number) => Buffer.alloc(n);

  it('evicts the least recently used entries when over its byte bound', () => {
    const cache = new ExpansionCache(10);
    cache.set('a', b(4));
    cache.set('b', b(4));
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.set('c', b(4)); // 12 bytes: b goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('gzips a body once, reversibly', () => {
    const cache = new ExpansionCache(1 << 20);
    const body = Buffer.from(JSON.stringify({ codes: Array.from({ length: 1000 }, (_, i) => `I${i}`) }));
    const gz = cache.gzip(body);
    expect(gz.length).toBeLessThan(body.length);
    expect(cache.gzip(body)).toBe(gz);
    expect(gunzipSync(gz)).toEqual(body);
  });

  it('does not keep a body larger than the bound, and replaces an entry in place', () => {
    const cache = new ExpansionCache(10);
    cache.set('big', b(11));
    expect(cache.get('big')).toBeUndefined();
    cache.set('a', b(6));
    cache.set('a', b(8));
    expect(cache.get('a')!.length).toBe(8);
    expect(cache.size).toBe(1);
  });
});
