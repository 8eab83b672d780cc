import type { Code, CodeKind, Document, GraphData, LayerAnnotations, Mention, Name, NameSource } from '../../src/graph/model.js';
import { normalizeText } from '../../src/text/normalizeText.js';

/**
 * The canonical fixture of the store contract: a hand-written slice of ICD-10 (chapters IV, VII,
 * IX, XI with a few blocks, categories and subcategories of the E, H, I and K families), names of
 * every source, a corpus `ruccod` with documents in two splits and layers `gold` and `system:x`
 * (with a discontinuous mention, a span without a code and code-only assignments), and a small
 * EHR corpus `ehr` with a code-only layer `original`. Texts are written for this fixture.
 *
 * Every store test builds its store from `fixtureData()` (a fresh deep copy each time).
 */

function code(c: string, title: string, kind: CodeKind, parent: string | null, depth: number, number: string | null = null): Code {
  return { code: c, title, kind, depth, parent, number };
}

const CODES: Code[] = [
  code('E00-E90', 'Болезни эндокринной системы, расстройства питания и нарушения обмена веществ', 'CHAPTER', null, 0, 'IV'),
  code('E10-E14', 'Сахарный диабет', 'BLOCK', 'E00-E90', 1),
  code('E11', 'Инсулиннезависимый сахарный диабет', 'CATEGORY', 'E10-E14', 2),
  code('E11.5', 'Инсулиннезависимый сахарный диабет с нарушениями периферического кровообращения', 'SUBCATEGORY', 'E11', 3),
  code('E11.9', 'Инсулиннезависимый сахарный диабет без осложнений', 'SUBCATEGORY', 'E11', 3),
  code('E65-E68', 'Ожирение и другие виды избыточности питания', 'BLOCK', 'E00-E90', 1),
  code('E66', 'Ожирение', 'CATEGORY', 'E65-E68', 2),
  code('E66.0', 'Ожирение, обусловленное избыточным поступлением энергетических ресурсов', 'SUBCATEGORY', 'E66', 3),
  code('E66.9', 'Ожирение неуточненное', 'SUBCATEGORY', 'E66', 3),
  code('H00-H59', 'Болезни глаза и его придаточного аппарата', 'CHAPTER', null, 0, 'VII'),
  code('H10-H13', 'Болезни конъюнктивы', 'BLOCK', 'H00-H59', 1),
  code('H10', 'Конъюнктивит', 'CATEGORY', 'H10-H13', 2),
  code('H10.0', 'Слизисто-гнойный конъюнктивит', 'SUBCATEGORY', 'H10', 3),
  code('H10.1', 'Острый атопический конъюнктивит', 'SUBCATEGORY', 'H10', 3),
  code('I00-I99', 'Болезни системы кровообращения', 'CHAPTER', null, 0, 'IX'),
  code('I10-I15', 'Болезни, характеризующиеся повышенным кровяным давлением', 'BLOCK', 'I00-I99', 1),
  code('I10', 'Эссенциальная [первичная] гипертензия', 'CATEGORY', 'I10-I15', 2),
  code('I11', 'Гипертензивная болезнь сердца [гипертоническая болезнь с преимущественным поражением сердца]', 'CATEGORY', 'I10-I15', 2),
  code('I11.0', 'Гипертензивная [гипертоническая] болезнь с преимущественным поражением сердца с (застойной) сердечной недостаточностью', 'SUBCATEGORY', 'I11', 3),
  code('I11.9', 'Гипертензивная [гипертоническая] болезнь с преимущественным поражением сердца без (застойной) сердечной недостаточности', 'SUBCATEGORY', 'I11', 3),
  code('I20-I25', 'Ишемическая болезнь сердца', 'BLOCK', 'I00-I99', 1),
  code('I20', 'Стенокардия [грудная жаба]', 'CATEGORY', 'I20-I25', 2),
  code('I20.0', 'Нестабильная стенокардия', 'SUBCATEGORY', 'I20', 3),
  code('I20.9', 'Стенокардия неуточненная', 'SUBCATEGORY', 'I20', 3),
  code('I25', 'Хроническая ишемическая болезнь сердца', 'CATEGORY', 'I20-I25', 2),
  code('I25.1', 'Атеросклеротическая болезнь сердца', 'SUBCATEGORY', 'I25', 3),
  code('I25.2', 'Перенесенный в прошлом инфаркт миокарда', 'SUBCATEGORY', 'I25', 3),
  code('I25.9', 'Хроническая ишемическая болезнь сердца неуточненная', 'SUBCATEGORY', 'I25', 3),
  code('K00-K93', 'Болезни органов пищеварения', 'CHAPTER', null, 0, 'XI'),
  code('K20-K31', 'Болезни пищевода, желудка и двенадцатиперстной кишки', 'BLOCK', 'K00-K93', 1),
  code('K29', 'Гастрит и дуоденит', 'CATEGORY', 'K20-K31', 2),
  code('K29.3', 'Хронический поверхностный гастрит', 'SUBCATEGORY', 'K29', 3),
  code('K29.5', 'Хронический гастрит неуточненный', 'SUBCATEGORY', 'K29', 3),
  code('K80-K87', 'Болезни желчного пузыря, желчевыводящих путей и поджелудочной железы', 'BLOCK', 'K00-K93', 1),
  code('K80', 'Желчнокаменная болезнь [холелитиаз]', 'CATEGORY', 'K80-K87', 2),
  code('K80.2', 'Камни желчного пузыря без холецистита', 'SUBCATEGORY', 'K80', 3),
];

function name(c: string, text: string, source: NameSource, extra: Partial<Name> = {}): Name {
  return { code: c, text, normalized: normalizeText(text), source, lang: 'ru', ...extra };
}

const NAMES: Name[] = [
  ...CODES.map((c) => name(c.code, c.title, 'ICD_TITLE')),
  name('E11', 'Сахарный диабет 2 типа', 'DICTIONARY'),
  name('I25', 'Ишемическая болезнь сердца хроническая', 'DICTIONARY'),
  name('K80', 'Желчнокаменная болезнь', 'DICTIONARY'),
  name('I25', 'ИБС', 'ABBREVIATION'),
  name('K80', 'ЖКБ', 'ABBREVIATION'),
  name('E11', 'СД', 'ABBREVIATION'),
  name('H10', 'Конъюнктивит', 'UMLS', { lang: 'ru', cui: 'C0009763', sab: 'MDRRUS' }),
  name('I20', 'Стенокардия', 'UMLS', { lang: 'ru', cui: 'C0002962', sab: 'MDRRUS' }),
  name('I25.9', 'ИБС', 'CORPUS', { count: 2 }),
  name('E66.9', 'Ожирение', 'CORPUS', { count: 3 }),
  name('I11.9', 'Гипертоническая болезнь', 'CORPUS', { count: 4 }),
  name('I10', 'Гипертоническая болезнь', 'CORPUS', { count: 1 }),
  name('I20.9', 'Стенокардия напряжения', 'CORPUS', { count: 1 }),
];

function doc(corpus: string, id: string, split: string, text: string, patient: string | null = null, date: string | null = null): Document {
  return { corpus, id, split, text, patient, date };
}

/** The ruccod documents; ids chosen so that numeric and string order differ (2 < 10). */
const RUCCOD_DOCS: Document[] = [
  doc('ruccod', '1', 'train', 'ИБС. Стенокардия напряжения. Ожирение 1 степени.'),
  doc('ruccod', '2', 'train', 'Гипертоническая болезнь II стадии. Хронический гастрит.'),
  doc('ruccod', '3', 'dev', 'Острый конъюнктивит обоих глаз.'),
  doc('ruccod', '10', 'train', 'Хронический атрофический и поверхностный гастрит. Сахарный диабет 2 типа.'),
  doc('ruccod', '11', 'dev', 'Перенесенный инфаркт миокарда (2019). ЖКБ.'),
];

function m(id: string, fragments: [number, number][], text: string, c: string | null): Mention {
  return {
    id,
    fragments: fragments.map(([start, end]) => ({ start, end })),
    start: fragments[0]![0],
    end: fragments[fragments.length - 1]![1],
    text,
    code: c,
  };
}

function layer(documentId: string, l: string, mentions: Mention[], codes: string[] = []): LayerAnnotations {
  return { documentId, layer: l, mentions, codes };
}

const RUCCOD_LAYERS: LayerAnnotations[] = [
  layer('1', 'gold', [
    m('T1', [[0, 3]], 'ИБС', 'I25.9'),
    m('T2', [[5, 27]], 'Стенокардия напряжения', 'I20.9'),
    m('T3', [[29, 37]], 'Ожирение', 'E66.9'),
  ]),
  layer('2', 'gold', [m('T1', [[0, 23]], 'Гипертоническая болезнь', 'I11.9'), m('T2', [[35, 54]], 'Хронический гастрит', 'K29.5')]),
  layer('3', 'gold', [m('T1', [[0, 19]], 'Острый конъюнктивит', 'H10.1'), m('T2', [[20, 30]], 'обоих глаз', null)]),
  layer('10', 'gold', [
    m('T1', [[0, 11], [27, 48]], 'Хронический поверхностный гастрит', 'K29.3'),
    m('T2', [[50, 72]], 'Сахарный диабет 2 типа', 'E11.9'),
  ]),
  layer('11', 'gold', [m('T1', [[0, 29]], 'Перенесенный инфаркт миокарда', 'I25.2'), m('T2', [[38, 41]], 'ЖКБ', 'K80.2')]),
  layer('1', 'system:x', [m('T1', [[0, 3]], 'ИБС', 'I25.1'), m('T2', [[5, 27]], 'Стенокардия напряжения', 'I20.9')], ['E66.9']),
  layer('2', 'system:x', [], ['I10']),
];

const EHR_DOCS: Document[] = [
  doc('ehr', 'a1', 'train', 'Жалобы на давящие боли за грудиной.', 'p1', '2021-03-04'),
  doc('ehr', 'a2', 'test', 'Повышение давления до 160/100.', 'p1', '2021-05-06'),
];

const EHR_LAYERS: LayerAnnotations[] = [layer('a1', 'original', [], ['I25.2']), layer('a2', 'original', [], ['I11.9'])];

/** A fresh deep copy of the canonical fixture (stores and tests may keep or mutate it). */
export function fixtureData(): GraphData {
  return structuredClone({
    codes: CODES,
    names: NAMES,
    corpora: [
      { name: 'ruccod', documents: RUCCOD_DOCS, layers: RUCCOD_LAYERS },
      { name: 'ehr', documents: EHR_DOCS, layers: EHR_LAYERS },
    ],
    sources: [{ path: 'test/graph/fixture.ts', sha256: '0'.repeat(64) }],
    dataVersion: 'fixture-1',
  });
}
