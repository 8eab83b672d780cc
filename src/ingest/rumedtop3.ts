import { readFileSync } from 'node:fs';
import { IngestError } from '../errors.js';

/** One RuMedTop3 visit: the complaints and (in train/dev) its ICD-10 category. */
export interface Visit {
  /** The visit's id as given (kept as a string or number so that outputs echo it unchanged). */
  idx: string | number;
  symptoms: string;
  code?: string;
}

/**
 * Reads a JSONL file of visits `{"idx", "symptoms", "code"?}` (RuMedTop3's format), all or
 * nothing: the first bad line throws `IngestError` (`file:line: what`) naming the field, never
 * quoting the text. Blank lines are skipped.
 *
 * @example readVisits('data/rumedtop3/dev.jsonl', { requireCode: true }).length === 848
 */
export function readVisits(file: string, options: { requireCode: boolean }): Visit[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const visits: Visit[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new IngestError(file, line, 'not valid JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new IngestError(file, line, 'expected a JSON object');
    }
    const o = value as Record<string, unknown>;
    if (typeof o.symptoms !== 'string') throw new IngestError(file, line, 'missing string field "symptoms"');
    if (typeof o.idx !== 'string' && typeof o.idx !== 'number') {
      throw new IngestError(file, line, 'missing field "idx" (a string or number)');
    }
    if (options.requireCode && (typeof o.code !== 'string' || o.code === '')) {
      throw new IngestError(file, line, 'missing string field "code"');
    }
    visits.push({ idx: o.idx, symptoms: o.symptoms, ...(typeof o.code === 'string' ? { code: o.code } : {}) });
  });
  return visits;
}
