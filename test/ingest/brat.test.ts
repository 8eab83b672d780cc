import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAnn, loadBrat, parseAnn } from '../../src/ingest/loadBrat.js';
import { uniqueMentionIds } from '../../src/ingest/uniqueMentionIds.js';
import { writeTemp } from './writeTemp.js';

const DIR = 'test/fixtures/ingest/brat';

describe('loadBrat()', () => {
  it('reads documents, splits from the dev ids, and the gold layer', async () => {
    const { corpus, conceptIds, repairs, sha256 } = await loadBrat(DIR, { corpus: 'fx', devIdsPath: 'test/fixtures/ingest/brat-dev-ids.txt', displayDir: 'brat' });
    expect(corpus.name).toBe('fx');
    expect(corpus.documents.map((d) => [d.id, d.split, d.patient, d.date])).toEqual([['1', 'train', null, null], ['2', 'train', null, null], ['3', 'dev', null, null]]);
    expect(corpus.documents[0]!.text).toBe('ИБС, стенокардия напряжения ФК II.\nГипертоническая болезнь II стадии.');
    expect(corpus.layers[1]).toEqual({
      documentId: '2',
      layer: 'gold',
      codes: [],
      mentions: [
        // Discontinuous: fragment texts joined by a space.
        { id: 'T1', fragments: [{ start: 0, end: 4 }, { start: 5, end: 12 }], start: 0, end: 12, text: 'Язва желудка', code: 'K25' },
        // Over a line break (its text continues on the next .ann line), with two references.
        // One T with two codes gives two mentions; the second label gets a suffix (labels are unique per document).
        { id: 'T2', fragments: [{ start: 5, end: 39 }], start: 5, end: 39, text: 'желудка и\nдвенадцатиперстной кишки', code: 'K26' },
        { id: 'T2#2', fragments: [{ start: 5, end: 39 }], start: 5, end: 39, text: 'желудка и\nдвенадцатиперстной кишки', code: 'K25' },
        // No reference: a span without a code.
        { id: 'T3', fragments: [{ start: 41, end: 53 }], start: 41, end: 53, text: 'Конъюнктивит', code: null },
      ],
    });
    // 3.ann counts its second span with \r\n line breaks (11-33): converted to the .txt's 10-32.
    expect(corpus.layers[2]!.mentions[1]).toMatchObject({ start: 10, end: 32, text: 'Сахарный диабет 2 типа', code: 'E11.9' });
    expect(repairs).toEqual(new Map([['crlf-offsets', 1]]));
    expect(conceptIds.get('I25.9')).toBe('101');
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects an unknown code with file and line, loading nothing', async () => {
    const known = new Set(['I25.9', 'I20.8', 'I11.9', 'K25', 'K26', 'E66.9']);
    await expect(loadBrat(DIR, { corpus: 'fx', knownCodes: known, displayDir: 'brat' })).rejects.toThrow('brat/3.ann:4: N2 links to unknown ICD-10 code "E11.9"');
  });

  it('rejects the \\r\\n offsets when repairs are off', async () => {
    await expect(loadBrat(DIR, { corpus: 'fx', displayDir: 'brat', repair: false })).rejects.toThrow('brat/3.ann:3: T2 text does not match the document text at 11-33');
  });

  it('rejects a dev id with no document, a .txt without .ann and an .ann without .txt', async () => {
    const dev = writeTemp({ 'dev.txt': '1\n7\n' });
    await expect(loadBrat(DIR, { corpus: 'fx', devIdsPath: join(dev, 'dev.txt'), devIdsDisplayName: 'dev.txt', displayDir: 'brat' })).rejects.toThrow('dev.txt:2: no document "7" in brat');
    await expect(loadBrat(writeTemp({ '1.txt': 'Текст' }), { corpus: 'fx', displayDir: 'c' })).rejects.toThrow('c/1.txt:1: no annotation file 1.ann beside it');
    await expect(loadBrat(writeTemp({ '1.ann': '' }), { corpus: 'fx', displayDir: 'c' })).rejects.toThrow('c/1.ann:1: no text file 1.txt beside it');
  });
});

describe('parseAnn(): malformed input', () => {
  const doc = 'Хронический гастрит. ИБС.';
  // What each malformed file is -> [its .ann text, the error it must raise].
  const cases: Record<string, [ann: string, message: string]> = {
    'a malformed line': ['T1\ticd_code 0 19\tХронический гастрит\nR1\tRel Arg1:T1\n', 'x.ann:2: malformed line: expected a T (text-bound) or N (reference) annotation'],
    'offsets as words': ['T1\ticd_code a b\tХронический гастрит\n', 'x.ann:1: malformed line: expected a T (text-bound) or N (reference) annotation'],
    'a text that is not at its offsets': ['T1\ticd_code 0 19\tХронический колит\n', 'x.ann:1: T1 text does not match the document text at 0-19'],
    'a reversed fragment': ['T1\ticd_code 19 0\tХронический гастрит\n', 'x.ann:1: T1 has an empty or reversed fragment 19-0'],
    'overlapping fragments': ['T1\ticd_code 0 11;5 19\tХронический гастрит\n', 'x.ann:1: T1 has overlapping or unordered fragments'],
    'a reference to an unknown T': ['T1\ticd_code 0 19\tХронический гастрит\nN1\tReference T2 ICD_codes:1\tK29.5\n', 'x.ann:2: N1 refers to T2, which is not defined before it'],
    'an unknown code': ['T1\ticd_code 21 24\tИБС\nN1\tReference T1 ICD_codes:1\tI25.99\n', 'x.ann:2: N1 links to unknown ICD-10 code "I25.99"'],
  };
  it.each(Object.entries(cases))('rejects %s', (_what, [ann, message]) => {
    expect(() => parseAnn(ann, doc, 'x.ann', new Set(['K29.5', 'I25.9']), { repair: false })).toThrow(message);
  });

  it('rejects offsets past the end, naming them when repairs are off', () => {
    expect(() => parseAnn('T1\ticd_code 21 40\tИБС\n', doc, 'x.ann', undefined, { repair: false })).toThrow('x.ann:1: T1 ends at 40, past the document\'s 25 characters');
    expect(() => parseAnn('T1\ticd_code 21 40\tИБС\n', doc, 'x.ann')).toThrow('x.ann:1: T1 text does not match the document text at 21-40');
  });
});

describe('parseAnn(): repairs of the RuCCoD release', () => {
  const repaired = (ann: string, doc: string) => {
    const repairs = new Map<string, number>();
    const mentions = parseAnn(ann, doc, 'x.ann', undefined, { repairs });
    return { mentions: mentions.map((m) => [m.start, m.end, m.text]), repairs: Object.fromEntries(repairs) };
  };
  it('narrows a span to the text that omits surrounding whitespace', () => {
    expect(repaired('T1\ticd_code 0 9\tОжирение\n', 'Ожирение , СД')).toEqual({ mentions: [[0, 8, 'Ожирение']], repairs: { whitespace: 1 } });
  });
  it('takes the document text where the annotation folded a double space', () => {
    expect(repaired('T1\ticd_code 0 22\tКрасный плоский лишай\n', 'Красный  плоский лишай.')).toEqual({ mentions: [[0, 22, 'Красный  плоский лишай']], repairs: { whitespace: 1 } });
  });
  it('reads a literal \\n as a line break', () => {
    expect(repaired('T1\ticd_code 0 17\tГемангиома печени\\n\n', 'Гемангиома печени\nКиста')).toEqual({ mentions: [[0, 17, 'Гемангиома печени']], repairs: { 'escaped-newline': 1 } });
  });
  it('finds a text one character off', () => {
    expect(repaired('T1\ticd_code 5 10\tГрыжа\n', 'Абв Грыжа диска')).toEqual({ mentions: [[4, 9, 'Грыжа']], repairs: { shifted: 1 } });
  });
  it('recovers a span with a negative end from its start and text', () => {
    expect(repaired('T1\ticd_code 0 -36\tВСД\n', 'ВСД по смешанному типу')).toEqual({ mentions: [[0, 3, 'ВСД']], repairs: { 'end-offset': 1 } });
  });
});

describe('formatAnn()', () => {
  it('writes the RuCCoD brat format back, one T line per span and one N line per code', async () => {
    const { corpus, conceptIds } = await loadBrat(DIR, { corpus: 'fx' });
    expect(formatAnn(corpus.layers[0]!.mentions, conceptIds)).toBe(
      'T1\ticd_code 0 3\tИБС\nN1\tReference T1 ICD_codes:101\tI25.9\n' +
        'T2\ticd_code 5 33\tстенокардия напряжения ФК II\nN2\tReference T2 ICD_codes:102\tI20.8\n' +
        'T3\ticd_code 35 68\tГипертоническая болезнь II стадии\nN3\tReference T3 ICD_codes:103\tI11.9\n',
    );
    expect(formatAnn(corpus.layers[1]!.mentions)).toBe(
      'T1\ticd_code 0 4;5 12\tЯзва желудка\nN1\tReference T1 ICD_codes:K25\tK25\n' +
        'T2\ticd_code 5 39\tжелудка и\nдвенадцатиперстной кишки\nN2\tReference T2 ICD_codes:K26\tK26\nN3\tReference T2 ICD_codes:K25\tK25\n' +
        'T3\ticd_code 41 53\tКонъюнктивит\n',
    );
  });

  it('round-trips through parseAnn', async () => {
    const { corpus } = await loadBrat(DIR, { corpus: 'fx' });
    for (const [i, layer] of corpus.layers.entries()) {
      const text = corpus.documents[i]!.text;
      expect(uniqueMentionIds(parseAnn(formatAnn(layer.mentions), text, 'x.ann', undefined, { repair: false }))).toEqual(layer.mentions);
    }
  });
});
