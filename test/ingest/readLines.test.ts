import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../src/ingest/readLines.js';
import { writeTemp } from './writeTemp.js';

async function collect(text: string, wholeFileMaxBytes?: number) {
  const path = join(writeTemp({ 'x.txt': text }), 'x.txt');
  const lines: Array<[string, number]> = [];
  const result = await readLines(path, (line, n) => lines.push([line, n]), wholeFileMaxBytes === undefined ? {} : { wholeFileMaxBytes });
  return { lines, count: result.lines, sha256: result.sha256 };
}

describe('readLines()', () => {
  const text = '\ufeffA00: Холера\r\nA01: Тиф\n\nA02: Сальмонеллез';

  it('gives 1-based lines without \\r or the BOM, and no empty line after a final line break', async () => {
    const { lines, count, sha256 } = await collect(text);
    expect(lines).toEqual([['A00: Холера', 1], ['A01: Тиф', 2], ['', 3], ['A02: Сальмонеллез', 4]]);
    expect(count).toBe(4);
    expect(sha256).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    expect((await collect('a\nb\n')).lines).toEqual([['a', 1], ['b', 2]]);
    expect((await collect('')).lines).toEqual([]);
  });

  it('streams a file larger than wholeFileMaxBytes with the same lines and hash', async () => {
    const big = `${text}\n`.repeat(2000);
    const whole = await collect(big);
    const streamed = await collect(big, 10);
    expect(streamed.lines).toEqual(whole.lines);
    expect(streamed.sha256).toBe(whole.sha256);
    expect(whole.lines).toHaveLength(8000);
  });

  it('rejects a missing file with the system error', async () => {
    await expect(readLines('/nonexistent/x.txt', () => undefined)).rejects.toThrow('ENOENT');
  });
});
