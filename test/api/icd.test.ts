import { describe, expect, it } from 'vitest';
import { useTestServer } from './testServer.js';

const api = useTestServer();

const data = api.data.bind(api);

describe('code()', () => {
  it('answers a subcategory with its tree neighbourhood', async () => {
    expect(
      await data(`{ code(code: "I25.2") {
        code title kind depth number
        parent { code kind }
        ancestors { code }
        children { code }
      } }`),
    ).toEqual({
      code: {
        code: 'I25.2',
        title: 'Перенесенный в прошлом инфаркт миокарда',
        kind: 'SUBCATEGORY',
        depth: 3,
        number: null,
        parent: { code: 'I25', kind: 'CATEGORY' },
        ancestors: [{ code: 'I25' }, { code: 'I20-I25' }, { code: 'I00-I99' }],
        children: [],
      },
    });
  });

  it('answers a chapter with its number, no parent and its blocks as children', async () => {
    expect(await data('{ code(code: "I00-I99") { kind depth number parent { code } ancestors { code } children { code } } }')).toEqual({
      code: {
        kind: 'CHAPTER',
        depth: 0,
        number: 'IX',
        parent: null,
        ancestors: [],
        children: [{ code: 'I00-I02' }, { code: 'I10-I15' }, { code: 'I20-I25' }, { code: 'I60-I69' }, { code: 'I95-I99' }],
      },
    });
  });

  it('answers null for a well-formed unknown code', async () => {
    expect(await data('{ code(code: "I99.9") { code } }')).toEqual({ code: null });
  });

  it('finds a national extension with a Cyrillic letter, given in lower case', async () => {
    expect(await data('{ code(code: "f13.201н") { code depth parent { code } } }')).toEqual({
      code: { code: 'F13.201Н', depth: 5, parent: { code: 'F13.20' } },
    });
  });

  it('walks descendants to a depth, in pre-order', async () => {
    expect(await data('{ code(code: "I20-I25") { one: descendants { code } two: descendants(maxDepth: 2) { code } } }')).toEqual({
      code: {
        one: [{ code: 'I20' }, { code: 'I21' }, { code: 'I25' }],
        two: [
          { code: 'I20' }, { code: 'I20.0' }, { code: 'I20.8' }, { code: 'I20.9' },
          { code: 'I21' }, { code: 'I21.9' },
          { code: 'I25' }, { code: 'I25.1' }, { code: 'I25.2' }, { code: 'I25.6' }, { code: 'I25.9' },
        ],
      },
    });
  });

  it('lifts I25.2 to I25 at CATEGORY, I20-I25 at BLOCK, I00-I99 at CHAPTER, and a chapter to no CATEGORY', async () => {
    expect(
      await data(`{ c: code(code: "I25.2") {
          category: group(level: CATEGORY) { code }
          block: group(level: BLOCK) { code }
          chapter: group(level: CHAPTER) { code }
        }
        ch: code(code: "I00-I99") { group(level: CATEGORY) { code } } }`),
    ).toEqual({ c: { category: { code: 'I25' }, block: { code: 'I20-I25' }, chapter: { code: 'I00-I99' } }, ch: { group: null } });
  });

  it('lists names, optionally of some sources only', async () => {
    expect(
      await data(`{ code(code: "I25.2") {
        all: names { text source lang cui sab }
        umls: names(sources: [UMLS]) { text }
      } }`),
    ).toEqual({
      code: {
        all: [
          { text: 'Перенесенный в прошлом инфаркт миокарда', source: 'ICD_TITLE', lang: 'ru', cui: null, sab: null },
          { text: 'Старый инфаркт миокарда', source: 'UMLS', lang: 'ru', cui: 'C0155668', sab: 'MDRRUS' },
          { text: 'Постинфарктный кардиосклероз', source: 'CORPUS', lang: 'ru', cui: null, sab: null },
        ],
        umls: [{ text: 'Старый инфаркт миокарда' }],
      },
    });
  });

  it('pages the mentions of a code, with its descendants on request', async () => {
    const first = (await data(`{ code(code: "I20") {
      own: mentions { totalCount }
      below: mentions(includeDescendants: true, first: 1) { totalCount pageInfo { endCursor hasNextPage } nodes { documentId layer label text code start end } }
    } }`)) as { code: { below: { pageInfo: { endCursor: string } } } };
    expect(first).toEqual({
      code: {
        own: { totalCount: 0 },
        below: {
          totalCount: 3,
          pageInfo: { endCursor: expect.any(String), hasNextPage: true },
          nodes: [{ documentId: '2', layer: 'gold', label: 'T1', text: 'Стенокардия напряжения', code: 'I20.9', start: 0, end: 22 }],
        },
      },
    });
    const after = first.code.below.pageInfo.endCursor;
    expect(
      await data('query($after: String) { code(code: "I20") { mentions(includeDescendants: true, first: 5, after: $after) { pageInfo { hasNextPage } nodes { documentId label fragments { start end } } } } }', { after }),
    ).toEqual({
      code: {
        mentions: {
          pageInfo: { hasNextPage: false },
          nodes: [
            { documentId: '3', label: 'T2', fragments: [{ start: 0, end: 3 }, { start: 5, end: 16 }] },
            { documentId: '0', label: 'T1', fragments: [{ start: 5, end: 33 }] },
          ],
        },
      },
    });
  });

  it('counts the documents of a layer carrying a code', async () => {
    expect(
      await data(`{ a: code(code: "I11.9") { gold: frequency fixtureGold: frequency(corpus: "fixture") linked: frequency(layer: "linked") other: frequency(corpus: "none") }
        b: code(code: "E11.9") { linked: frequency(layer: "linked", corpus: "fixture") } }`),
    ).toEqual({ a: { gold: 3, fixtureGold: 1, linked: 1, other: 0 }, b: { linked: 1 } });
  });
});

describe('codes() and chapters()', () => {
  it('answers codes in the order asked, null for unknown ones', async () => {
    expect(await data('{ codes(codes: ["E11.9", "Z99.9", "I10"]) { code title } }')).toEqual({
      codes: [{ code: 'E11.9', title: 'Инсулиннезависимый сахарный диабет без осложнений' }, null, { code: 'I10', title: 'Эссенциальная [первичная] гипертензия' }],
    });
  });

  it('lists the chapters in code order', async () => {
    const { chapters } = (await data('{ chapters { code number title } }')) as { chapters: { code: string; number: string; title: string }[] };
    expect(chapters.map((c) => `${c.number} ${c.code}`)).toEqual(['IV E00-E90', 'V F00-F99', 'VII H00-H59', 'IX I00-I99', 'X J00-J99', 'XI K00-K93']);
    expect(chapters.map((c) => c.title)).toEqual([
      'БОЛЕЗНИ ЭНДОКРИННОЙ СИСТЕМЫ, РАССТРОЙСТВА ПИТАНИЯ И НАРУШЕНИЯ ОБМЕНА ВЕЩЕСТВ',
      'ПСИХИЧЕСКИЕ РАССТРОЙСТВА И РАССТРОЙСТВА ПОВЕДЕНИЯ',
      'БОЛЕЗНИ ГЛАЗА И ЕГО ПРИДАТОЧНОГО АППАРАТА',
      'БОЛЕЗНИ СИСТЕМЫ КРОВООБРАЩЕНИЯ',
      'БОЛЕЗНИ ОРГАНОВ ДЫХАНИЯ',
      'БОЛЕЗНИ ОРГАНОВ ПИЩЕВАРЕНИЯ',
    ]);
  });
});

describe('searchCodes()', () => {
  it('puts the code of an exact dictionary name first, with the name that matched', async () => {
    const result = (await data('{ searchCodes(text: "другие уточненные болезни желчного пузыря (дискинезия)", first: 3) { code score name { text source } concept { title } } }')) as {
      searchCodes: { code: string; score: number; name: { text: string; source: string }; concept: { title: string } }[];
    };
    expect(result.searchCodes[0]).toMatchObject({
      code: 'K82.8',
      name: { text: 'Другие уточненные болезни желчного пузыря (дискинезия)', source: 'DICTIONARY' },
      concept: { title: 'Другие уточненные болезни желчного пузыря' },
    });
    const scores = result.searchCodes.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('finds the block of an abbreviation', async () => {
    const result = (await data('{ searchCodes(text: "ИБС") { code name { source } } }')) as { searchCodes: { code: string; name: { source: string } }[] };
    expect(result.searchCodes[0]).toEqual({ code: 'I20-I25', name: { source: 'ABBREVIATION' } });
  });

  it('refuses an empty text without echoing it', async () => {
    const { body } = await api.server.query('{ searchCodes(text: "   ") { code } }');
    expect(body.errors?.[0]).toMatchObject({ message: 'text must not be empty', extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('subsumes(), lowestCommonAncestor(), hierarchyDistance()', () => {
  it('relates codes through the tree', async () => {
    expect(
      await data(`{
        s1: subsumes(ancestor: "I20-I25", descendant: "I25.2")
        s2: subsumes(ancestor: "I25.2", descendant: "I25")
        s3: subsumes(ancestor: "I25.2", descendant: "I25.2")
        s4: subsumes(ancestor: "I10-I15", descendant: "I25.2")
        l1: lowestCommonAncestor(a: "I25.2", b: "I25.1") { code }
        l2: lowestCommonAncestor(a: "I25.2", b: "I11.9") { code }
        l3: lowestCommonAncestor(a: "I25.2", b: "E11.9") { code }
        l4: lowestCommonAncestor(a: "I25", b: "I25.2") { code }
        d0: hierarchyDistance(a: "I25.2", b: "I25.2")
        d1: hierarchyDistance(a: "I25.2", b: "I25")
        d2: hierarchyDistance(a: "I25.2", b: "I25.1")
        d6: hierarchyDistance(a: "I25.2", b: "I11.9")
        d8: hierarchyDistance(a: "I25.2", b: "E11.9")
      }`),
    ).toEqual({
      s1: true,
      s2: false,
      s3: true,
      s4: false,
      l1: { code: 'I25' },
      l2: { code: 'I00-I99' },
      l3: null,
      l4: { code: 'I25' },
      d0: 0,
      d1: 1,
      d2: 2,
      d6: 6,
      d8: 8,
    });
  });

  it('answers NOT_FOUND naming the argument and the value\'s length, not the value', async () => {
    const { body } = await api.server.query('{ hierarchyDistance(a: "I25.2", b: "I99.9") }');
    expect(body).toEqual({
      data: null,
      errors: [
        {
          message: 'No ICD-10 code <5 characters> (argument b)',
          locations: [{ line: 1, column: 3 }],
          path: ['hierarchyDistance'],
          extensions: { code: 'NOT_FOUND', argumentName: 'b' },
        },
      ],
    });
  });

  it('answers NOT_FOUND for subsumes() and lowestCommonAncestor() too', async () => {
    const { body } = await api.server.query('{ lowestCommonAncestor(a: "Q99", b: "I25") { code } }');
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'No ICD-10 code <3 characters> (argument a)']]);
    const s = await api.server.query('{ subsumes(ancestor: "I25", descendant: "Q99.1") }');
    expect(s.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });
});
