import { describe, expect, it } from 'vitest';
import { loadCohort } from '../../src/ingest/cohort/loadCohort.js';

const fixture = (name: string): string => new URL(`../fixtures/cohort/${name}`, import.meta.url).pathname;

describe('loadCohort(): a cohort JSONL file as a corpus', () => {
  it('reads appointments as documents with patient, date, the conclusion as text and the other fields', async () => {
    const { corpus, header, patients } = await loadCohort(fixture('small.jsonl'), { corpus: 'ehr' });
    expect(header?.synthetic).toBe(true);
    expect(patients).toBe(2);
    expect(corpus.name).toBe('ehr');
    expect(corpus.documents.map((d) => [d.id, d.patient, d.date, d.split])).toEqual([
      ['a1', 'p1', '2021-03-04', 'train'],
      ['a2', 'p1', '2021-05-20', 'train'],
      ['a3', 'p2', '2022-01-15', 'test'],
    ]);
    expect(corpus.documents[2]!.text).toBe('Сахарный диабет 2 типа. Ожирение 1 степени.');
    expect(corpus.documents[2]!.fields).toEqual({
      age: 47,
      sex: 'F',
      complaints: 'Жалобы на сухость во рту, жажду.',
      anamnesis: 'Анамнез без особенностей.',
      labs: 'Глюкоза 8.1 ммоль/л',
    });
  });

  it("puts the doctor's codes in layer original and the test split's true codes in layer manual", async () => {
    const { corpus } = await loadCohort(fixture('small.jsonl'), { corpus: 'ehr' });
    expect(corpus.layers.map((l) => [l.layer, l.documentId, l.codes])).toEqual([
      ['original', 'a1', ['I20.8', 'I25.2']],
      ['original', 'a2', ['I11.9']],
      ['original', 'a3', ['E11.9']],
      ['manual', 'a3', ['E11.9', 'E66.9']],
    ]);
  });

  it.each([
    ['bad-json.jsonl', 'bad-json.jsonl:2: not valid JSON'],
    ['bad-date.jsonl', 'bad-date.jsonl:2: "date" must be a calendar date YYYY-MM-DD'],
    ['missing-field.jsonl', 'missing-field.jsonl:1: missing string field "conclusion"'],
    ['duplicate-id.jsonl', 'duplicate-id.jsonl:2: duplicate appointmentId "a1"'],
  ])('refuses %s with file:line: what', async (name, message) => {
    await expect(loadCohort(fixture(name), { corpus: 'ehr', displayName: name })).rejects.toThrow(message);
  });

  it('refuses an unknown code when the known codes are given, and accepts it otherwise', async () => {
    const knownCodes = new Set(['I25.2']);
    await expect(loadCohort(fixture('unknown-code.jsonl'), { corpus: 'ehr', knownCodes, displayName: 'u.jsonl' })).rejects.toThrow(
      'u.jsonl:2: unknown ICD-10 code "Z99.99" in "codes"',
    );
    const { corpus } = await loadCohort(fixture('unknown-code.jsonl'), { corpus: 'ehr' });
    expect(corpus.documents).toHaveLength(2);
  });
});
