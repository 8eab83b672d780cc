import { IngestError } from '../../errors.js';
import type { CorpusData, Document, LayerAnnotations } from '../../graph/model.js';
import { COHORT_LAYERS, DEFAULT_SPLIT, MANUAL_TEST_SPLIT } from './cohortFormat.js';
import type { AppointmentRecord, CohortHeader } from './cohortFormat.js';
import { cohortLines } from './cohortLines.js';
import { parseAppointment } from './parseAppointment.js';

/** How to read a cohort file. */
export interface LoadCohortOptions {
  /** The corpus name the appointments go to (e.g. `demo`). */
  corpus: string;
  /** Codes the `codes` / `trueCodes` may use; any other is an error. Omit to accept any code. */
  knownCodes?: ReadonlySet<string>;
  /** How the file appears in errors; the path by default. */
  displayName?: string;
}

/** A cohort as loaded: the corpus (documents + layers) and what the file said about itself. */
export interface LoadedCohort {
  corpus: CorpusData;
  /** The header line, or null for a file without one. */
  header: CohortHeader | null;
  patients: number;
}

/**
 * Streams every appointment of a cohort file through `onRecord`, validating each line
 * (`file:line: what`: bad JSON, missing fields, bad date, unknown code, duplicate appointment id).
 * The first bad line throws; callers that must be all-or-nothing collect and commit after.
 *
 * @example await readCohort('demo.jsonl', (r) => count++)
 */
export async function readCohort(
  path: string,
  onRecord: (record: AppointmentRecord, line: number) => void | Promise<void>,
  options: Omit<LoadCohortOptions, 'corpus'> = {},
): Promise<{ header: CohortHeader | null; appointments: number }> {
  const display = options.displayName ?? path;
  const seen = new Set<string>();
  let header: CohortHeader | null = null;
  for await (const { text, line } of cohortLines(path)) {
    if (text.trim() === '') continue;
    const parsed = parseAppointment(text, display, line, options.knownCodes);
    if ('header' in parsed) {
      header = parsed.header;
      continue;
    }
    const r = parsed.record;
    if (seen.has(r.appointmentId)) throw new IngestError(display, line, `duplicate appointmentId ${JSON.stringify(r.appointmentId)}`);
    seen.add(r.appointmentId);
    await onRecord(r, line);
  }
  return { header, appointments: seen.size };
}

/**
 * Loads a cohort JSONL file (docs/cohorts.md) as a corpus: each appointment a `Document`
 * (id = appointmentId, text = the conclusion, `patient`, `date`, the other fields in `fields`),
 * the doctor's codes as the code-only layer `original`, and for appointments of the manual-test
 * split that carry `trueCodes` (synthetic cohorts) the true codes as layer `manual`.
 * All or nothing: the first bad line throws `IngestError` and nothing is returned.
 *
 * @example const { corpus } = await loadCohort('demo.jsonl', { corpus: 'demo', knownCodes });
 */
export async function loadCohort(path: string, options: LoadCohortOptions): Promise<LoadedCohort> {
  const documents: Document[] = [];
  const layers: LayerAnnotations[] = [];
  const patients = new Set<string>();
  const { header } = await readCohort(
    path,
    (r) => {
      const split = r.split ?? DEFAULT_SPLIT;
      patients.add(r.patientId);
      documents.push(appointmentDocument(options.corpus, r));
      layers.push({ documentId: r.appointmentId, layer: COHORT_LAYERS.original, mentions: [], codes: [...new Set(r.codes)] });
      if (split === MANUAL_TEST_SPLIT && r.trueCodes) {
        layers.push({ documentId: r.appointmentId, layer: COHORT_LAYERS.manual, mentions: [], codes: [...new Set(r.trueCodes)] });
      }
    },
    options,
  );
  return { corpus: { name: options.corpus, documents, layers }, header, patients: patients.size };
}

/** An appointment as a graph document (text = conclusion; complaints etc. in `fields`). */
export function appointmentDocument(corpus: string, r: AppointmentRecord): Document {
  return {
    corpus,
    id: r.appointmentId,
    split: r.split ?? DEFAULT_SPLIT,
    text: r.conclusion,
    patient: r.patientId,
    date: r.date,
    fields: { age: r.age, sex: r.sex, complaints: r.complaints, anamnesis: r.anamnesis, labs: r.labs },
  };
}
