import fs from 'node:fs';

/** Appointments per cohort import: about 150 KB per journal record, so that a kill sometimes lands inside a write. */
export const APPOINTMENTS_PER_COHORT = 300;

/**
 * Writes cohort `i` of the cohort durability test (JSONL, docs/cohorts.md) to `file`:
 * deterministic, written for the test, codes the sample's dictionary knows. `badLast` gives the
 * last appointment a code no dictionary has.
 *
 * @example writeCohort('/tmp/c3.jsonl', 3)
 */
export function writeCohort(file: string, i: number, badLast = false): string {
  const lines: string[] = [];
  for (let a = 0; a < APPOINTMENTS_PER_COHORT; a++) {
    const codes = a === APPOINTMENTS_PER_COHORT - 1 && badLast ? ['I10', 'X99.9'] : a % 2 === 0 ? ['I10'] : ['I11.9', 'I25.2'];
    lines.push(
      JSON.stringify({
        patientId: `p${a % 37}`,
        appointmentId: `c${i}a${a}`,
        date: `2021-03-${String((a % 28) + 1).padStart(2, '0')}`,
        age: 40 + (a % 40),
        sex: a % 2 === 0 ? 'M' : 'F',
        complaints: `Когорта ${i}, приём ${a}: жалобы на головную боль. `.repeat(3),
        anamnesis: 'Анамнез без особенностей.',
        labs: 'АД 150/95 мм рт.ст.',
        conclusion: 'Гипертоническая болезнь.',
        codes,
      }),
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
