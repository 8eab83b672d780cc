import { describe, expect, it } from 'vitest';
import { BioTagger } from '../../src/pipeline/coding/lexical/bio/BioTagger.js';
import { trainBioTagger } from '../../src/pipeline/coding/lexical/bio/trainBioTagger.js';
import { LexicalLinker } from '../../src/pipeline/coding/lexical/LexicalLinker.js';
import type { LinkerName } from '../../src/pipeline/coding/lexical/LexicalLinker.js';
import { Normalizer } from '../../src/pipeline/coding/lexical/Normalizer.js';
import { TaggerRecognizer } from '../../src/pipeline/coding/lexical/TaggerRecognizer.js';
import { goldSequence, trainLexicalCoder } from '../../src/pipeline/coding/training/trainLexicalCoder.js';
import type { TrainingDocument } from '../../src/pipeline/coding/training/trainLexicalCoder.js';

/** Builds a training document from a text and its mention strings (found left to right). */
function doc(id: string, text: string, mentions: [string, string][]): TrainingDocument {
  let from = 0;
  return {
    id,
    text,
    mentions: mentions.map(([m, code]) => {
      const start = text.indexOf(m, from);
      if (start < 0) throw new Error(`fixture: ${m} not in ${id}`);
      from = start + m.length;
      return { start, end: start + m.length, text: m, code };
    }),
  };
}

const documents = [
  doc('1', 'Хронический гастрит. Остеохондроз позвоночника.', [['Хронический гастрит', 'K29.5'], ['Остеохондроз позвоночника', 'M42.9']]),
  doc('2', 'Остеохондроз позвоночника, ремиссия. Хронический гастрит.', [['Остеохондроз позвоночника', 'M42.9'], ['Хронический гастрит', 'K29.5']]),
  doc('3', 'Хронический гастрит, обострение.', [['Хронический гастрит', 'K29.5']]),
  doc('4', 'ОРВИ. Хронический гастрит.', [['ОРВИ', 'J06.9'], ['Хронический гастрит', 'K29.5']]),
  doc('5', 'Остеохондроз позвоночника. ОРВИ, ремиссия.', [['Остеохондроз позвоночника', 'M42.9'], ['ОРВИ', 'J06.9']]),
  doc('6', 'ОРВИ. Хронический гастрит, ремиссия.', [['ОРВИ', 'J06.9'], ['Хронический гастрит', 'K29.0']]),
];

describe('TaggerRecognizer: BIO tagger trained on a hand-written corpus', () => {
  const tagger = trainBioTagger(documents.map(goldSequence), { epochs: 10, seed: 1 });
  const recognizer = new TaggerRecognizer(tagger);

  it('finds the mentions it was trained on, in a new order, with spans in the caller text', () => {
    const text = 'ОРВИ.  Остеохондроз позвоночника, ремиссия.';
    const [spans] = recognizer.recognize([text]);
    expect(spans).toEqual([
      { start: 0, end: 4, text: 'ОРВИ' },
      { start: 7, end: 32, text: 'Остеохондроз позвоночника' },
    ]);
  });

  it('does not tag words it saw only outside mentions', () => {
    // (After a mention, as in training: every training text opens with a mention, and every
    // capitalised word after a full stop starts one, so those positions are not a fair test.)
    expect(recognizer.recognize(['ОРВИ, ремиссия, обострение.'])).toEqual([[{ start: 0, end: 4, text: 'ОРВИ' }]]);
  });

  it('survives a round trip through its JSON weights', () => {
    const again = new TaggerRecognizer(BioTagger.fromJSON(JSON.parse(JSON.stringify(tagger.toJSON()))));
    const text = 'Хронический гастрит. ОРВИ.';
    expect(again.recognize([text])).toEqual(recognizer.recognize([text]));
  });
});

describe('LexicalLinker: names, counts and fuzzy matches', () => {
  const normalizer = new Normalizer(new Map([['ибс', 'ишемическая болезнь сердца']]));
  const names: LinkerName[] = [
    { text: 'Хронический гастрит', code: 'K29.5', source: 'CORPUS', weight: 1 },
    { text: 'Хронический гастрит', code: 'K29.5', source: 'CORPUS', weight: 1 },
    { text: 'Хронический гастрит', code: 'K29.5', source: 'CORPUS', weight: 1 },
    { text: 'хронический гастрит', code: 'K29.0', source: 'CORPUS', weight: 1 },
    { text: 'Ишемическая болезнь сердца', code: 'I25.9', source: 'ICD_TITLE', weight: 0.5 },
    { text: 'Остеохондроз позвоночника у взрослых', code: 'M42.1', source: 'ICD_TITLE', weight: 0.5 },
  ];
  const linker = LexicalLinker.build(names, normalizer);

  it('ranks the codes of an exact name by how often annotators chose them', () => {
    const [c] = linker.link(['Хронический  гастрит'], 5);
    expect(c!.map((x) => [x.code, x.score, x.source, x.name])).toEqual([
      ['K29.5', 0.75, 'CORPUS', 'хронический гастрит'],
      ['K29.0', 0.25, 'CORPUS', 'хронический гастрит'],
    ]);
  });

  it('matches an inflected form through stems, scored a little lower', () => {
    const [c] = linker.link(['хронического гастрита'], 1);
    expect(c![0]!.code).toBe('K29.5');
    expect(c![0]!.score).toBeCloseTo(0.9 * 0.75, 10);
    expect(c![0]!.name).toBe('хроническ гастрит');
  });

  it('expands an abbreviation to reach a title', () => {
    const [c] = linker.link(['ИБС'], 1);
    expect(c![0]).toMatchObject({ code: 'I25.9', source: 'ABBREVIATION' });
  });

  it('falls back to the nearest names by character n-grams', () => {
    const [c] = linker.link(['остеохондроз позвоночника'], 1);
    expect(c![0]).toMatchObject({ code: 'M42.1', source: 'FUZZY' });
    expect(c![0]!.score).toBeGreaterThan(0.3);
    expect(c![0]!.score).toBeLessThan(0.8);
  });

  it('gives no candidate for text unlike any name, and k limits the list', () => {
    expect(linker.link(['перелом'], 3)).toEqual([[]]);
    expect(linker.link(['хронический гастрит'], 1)[0]).toHaveLength(1);
  });
});

describe('LexicalCoder: recogniser + linker + aggregation', () => {
  const { coder, model } = trainLexicalCoder({
    titles: new Map([['K29.5', 'Хронический гастрит неуточненный'], ['M42.9', 'Остеохондроз позвоночника неуточненный'], ['J06.9', 'Острая инфекция верхних дыхательных путей неуточненная']]),
    names: [],
    abbreviations: new Map(),
    documents,
  });

  it('codes a text into entities with titles and the distinct codes of the document', () => {
    const [r] = coder.code(['Хронический гастрит. ОРВИ. Хронический гастрит.'], { topK: 1 });
    expect(r!.entities.map((e) => [e.start, e.end, e.code, e.title])).toEqual([
      [0, 19, 'K29.5', 'Хронический гастрит неуточненный'],
      [21, 25, 'J06.9', 'Острая инфекция верхних дыхательных путей неуточненная'],
      [27, 46, 'K29.5', 'Хронический гастрит неуточненный'],
    ]);
    expect(r!.entities[0]!.candidates).toHaveLength(1);
    expect(r!.codes).toEqual(['K29.5', 'J06.9']);
  });

  it('gives an empty result for an empty text', () => {
    expect(coder.code([''])).toEqual([{ entities: [], codes: [] }]);
  });

  it('serialises to a model that codes the same', async () => {
    const { lexicalCoderFromModel } = await import('../../src/pipeline/coding/training/trainLexicalCoder.js');
    const again = lexicalCoderFromModel(JSON.parse(JSON.stringify(model)));
    const text = 'Остеохондроз позвоночника. Хронический гастрит.';
    expect(again.code([text])).toEqual(coder.code([text]));
  });
});
