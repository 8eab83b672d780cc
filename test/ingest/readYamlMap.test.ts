import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readYamlMap } from '../../src/ingest/readYamlMap.js';
import { writeTemp } from './writeTemp.js';

const read = (text: string) => readYamlMap(join(writeTemp({ 'x.yaml': text }), 'x.yaml'), 'x.yaml');

describe('readYamlMap()', () => {
  it('reads plain and single-quoted keys and values, folding continuation lines with one space', async () => {
    const { entries } = await read("'00': Коды\nA00: Холера\nF70: 'Отсталость: с нарушением\n  поведения, ''тяжелым'''\nB00: Длинный\n  заголовок\n\n# comment\nДНИ: .NaN\n");
    expect(entries.map((e) => [e.line, e.key, e.value])).toEqual([
      [1, '00', 'Коды'], [2, 'A00', 'Холера'], [3, 'F70', "Отсталость: с нарушением поведения, 'тяжелым'"], [5, 'B00', 'Длинный заголовок'], [9, 'ДНИ', '.NaN'],
    ]);
    expect(entries.every((e) => Object.keys(e).sort().join() === 'key,line,value')).toBe(true);
  });

  it('hands YAML outside its subset to the yaml package with the same result shape', async () => {
    const { entries } = await read('A00: >\n  Холера\n  азиатская\nA01: "Тиф # не комментарий"\nA02: Сальмонеллез # комментарий\n');
    expect(entries).toEqual([{ key: 'A00', value: 'Холера азиатская\n', line: 1 }, { key: 'A01', value: 'Тиф # не комментарий', line: 4 }, { key: 'A02', value: 'Сальмонеллез', line: 5 }]);
  });

  it('rejects a duplicate key at its second line', async () => {
    await expect(read('A00: Холера\nA01: Тиф\nA00: Другое\n')).rejects.toThrow('x.yaml:3: duplicate key "A00" (first at line 1)');
  });

  it('rejects invalid YAML with the line of the fault', async () => {
    await expect(read('A00: Холера\nA01: [Тиф\n')).rejects.toThrow(/^x\.yaml:\d+: invalid YAML \(/);
  });

  it('rejects a value that is not a string', async () => {
    await expect(read('A00: Холера\nA01:\n  - Тиф\n')).rejects.toThrow('x.yaml:2: value of "A01" is not a string');
  });
});
