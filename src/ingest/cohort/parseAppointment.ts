import { IngestError } from '../../errors.js';
import type { AppointmentRecord, CohortHeader } from './cohortFormat.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const STRING_FIELDS = ['patientId', 'appointmentId', 'complaints', 'anamnesis', 'labs', 'conclusion'] as const;

/** True for a real calendar date `YYYY-MM-DD` (no 2021-02-30). */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function codeList(o: Record<string, unknown>, field: string, file: string, line: number, knownCodes?: ReadonlySet<string>): string[] {
  const v = o[field];
  if (!Array.isArray(v) || v.some((c) => typeof c !== 'string' || c.trim() === '')) {
    throw new IngestError(file, line, `"${field}" must be an array of code strings`);
  }
  const codes = (v as string[]).map((c) => c.trim());
  if (knownCodes) {
    const i = codes.findIndex((c) => !knownCodes.has(c));
    if (i >= 0) throw new IngestError(file, line, `unknown ICD-10 code ${JSON.stringify(codes[i])} in "${field}"`);
  }
  return codes;
}

/**
 * Parses and validates one line of a cohort JSONL file (docs/cohorts.md): an appointment, or
 * (`{"cohortHeader": ...}`, first line only) the header. Throws `IngestError` `file:line: what`
 * naming the field, never quoting clinical text.
 *
 * @example parseAppointment('{"patientId":"p1", ...}', 'cohort.jsonl', 1)
 */
export function parseAppointment(
  text: string,
  file: string,
  line: number,
  knownCodes?: ReadonlySet<string>,
): { header: CohortHeader } | { record: AppointmentRecord } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new IngestError(file, line, 'not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new IngestError(file, line, 'expected a JSON object');
  const o = value as Record<string, unknown>;
  if ('cohortHeader' in o) {
    if (line !== 1) throw new IngestError(file, line, 'a cohortHeader is allowed on the first line only');
    const h = o.cohortHeader as Partial<CohortHeader> | null;
    if (!h || typeof h !== 'object' || h.format !== 'icdkg-cohort' || h.version !== 1 || typeof h.synthetic !== 'boolean') {
      throw new IngestError(file, line, 'cohortHeader must have format "icdkg-cohort", version 1 and a boolean "synthetic"');
    }
    return { header: h as CohortHeader };
  }
  for (const f of STRING_FIELDS) {
    if (typeof o[f] !== 'string') throw new IngestError(file, line, `missing string field "${f}"`);
  }
  if ((o.patientId as string) === '' || (o.appointmentId as string) === '') {
    throw new IngestError(file, line, '"patientId" and "appointmentId" must not be empty');
  }
  if (typeof o.date !== 'string' || !isIsoDate(o.date)) throw new IngestError(file, line, '"date" must be a calendar date YYYY-MM-DD');
  if (typeof o.age !== 'number' || !Number.isInteger(o.age) || o.age < 0 || o.age > 130) {
    throw new IngestError(file, line, '"age" must be an integer from 0 to 130');
  }
  if (o.sex !== 'M' && o.sex !== 'F') throw new IngestError(file, line, '"sex" must be "M" or "F"');
  const record: AppointmentRecord = {
    patientId: o.patientId as string,
    appointmentId: o.appointmentId as string,
    date: o.date,
    age: o.age,
    sex: o.sex,
    complaints: o.complaints as string,
    anamnesis: o.anamnesis as string,
    labs: o.labs as string,
    conclusion: o.conclusion as string,
    codes: codeList(o, 'codes', file, line, knownCodes),
  };
  if (o.trueCodes !== undefined) record.trueCodes = codeList(o, 'trueCodes', file, line, knownCodes);
  if (o.split !== undefined) {
    if (typeof o.split !== 'string' || o.split === '') throw new IngestError(file, line, '"split" must be a non-empty string');
    record.split = o.split;
  }
  return { record };
}
