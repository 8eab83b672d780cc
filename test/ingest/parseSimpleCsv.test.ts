import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseSimpleCsv } from '../../src/ingest/parseSimpleCsv.js';

const OPTIONS = { delimiter: ';', bom: true, relax_column_count: true } as const;

/** What csv-parse makes of `text` (as the loader calls it), or the error code it stops with. */
function byCsvParse(text: string): string[][] | string {
  try {
    return parse(Buffer.from(text, 'utf8'), OPTIONS) as string[][];
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  }
}

describe('parseSimpleCsv()', () => {
  it('reads quoted and unquoted fields, doubled quotes, line breaks inside quotes and a missing final line break', () => {
    expect(parseSimpleCsv('\ufeffID;NAME\n1;"Холера; ""A00"""\n2;"Тиф\nи паратиф";\n3;', ';')).toEqual([
      ['ID', 'NAME'],
      ['1', 'Холера; "A00"'],
      ['2', 'Тиф\nи паратиф', ''],
      ['3', ''],
    ]);
    expect(parseSimpleCsv('', ';')).toEqual([]);
  });

  it('gives up (null) on what it leaves to csv-parse: \\r, stray or unclosed quotes, text after a quote, empty lines', () => {
    for (const text of ['a;b\r\n', 'a"b;c\n', '"a;b\n', '"a"x;b\n', 'a\n\nb\n', '\n', 'a;\ufffd\n']) {
      expect(parseSimpleCsv(text, ';')).toBeNull();
    }
  });

  it('gives exactly the records csv-parse gives, whenever it gives any, on random texts', () => {
    const unit = fc.constantFrom('a', 'я', ' ', ';', ';', '"', '"', '\n', '\n', '\r', '\ufeff', ',');
    let agreed = 0;
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (text) => {
        const fast = parseSimpleCsv(text, ';');
        if (fast === null) return;
        agreed += 1;
        expect(fast).toEqual(byCsvParse(text));
      }),
      { numRuns: 20000 },
    );
    // The subset must be most of what random texts of these characters are, or this proves little.
    expect(agreed).toBeGreaterThan(2000);
  });

  it('gives exactly the records csv-parse gives on well-formed random tables', () => {
    const field = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'я', ' ', '1', '.', ','), maxLength: 6 }),
      fc.string({ unit: fc.constantFrom('a', 'я', ' ', ';', '"', '\n'), maxLength: 6 }).map((s) => `"${s.replaceAll('"', '""')}"`),
    );
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, fc.boolean(), (rows, finalBreak) => {
        const text = rows.map((r) => r.join(';')).join('\n') + (finalBreak ? '\n' : '');
        const fast = parseSimpleCsv(text, ';');
        if (rows.some((r) => r.length === 1 && r[0] === '')) return; // empty lines: left to csv-parse
        expect(fast).not.toBeNull();
        expect(fast).toEqual(byCsvParse(text));
      }),
      { numRuns: 5000 },
    );
  });
});
