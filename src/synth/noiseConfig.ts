import type { NoiseConfig } from '../ingest/cohort/cohortFormat.js';

export type { NoiseConfig, Prevalence, Substitution } from '../ingest/cohort/cohortFormat.js';

/** The default noise model (docs/cohorts.md shows the table). */
export const DEFAULT_NOISE: NoiseConfig = {
  omitSecondary: 0.3,
  parentOrUnspecified: 0.15,
  sibling: 0.08,
  substitutions: [
    { trueCode: 'I11.9', written: 'I25.2', p: 0.3 },
    { trueCode: 'E11.9', written: 'I25.2', p: 0.2 },
    { trueCode: 'I25.1', written: 'I25.2', p: 0.15 },
    { trueCode: 'I20.9', written: 'I25.2', p: 0.15 },
    { trueCode: 'I67.9', written: 'I25.2', p: 0.08 },
    { trueCode: 'I10', written: 'I11.9', p: 0.25 },
    { trueCode: 'I67.8', written: 'I67.9', p: 0.3 },
  ],
  chronic: [
    { code: 'I11.9', p: 0.25 },
    { code: 'I10', p: 0.12 },
    { code: 'E11.9', p: 0.1 },
    { code: 'I25.1', p: 0.1 },
    { code: 'I67.9', p: 0.08 },
    { code: 'I20.9', p: 0.06 },
    { code: 'I67.8', p: 0.05 },
  ],
  secondaryAtVisit: 0.5,
  maxCodesPerVisit: 4,
  copyForward: 0.9,
};

function probability(v: unknown, path: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`noise config: ${path} must be a probability in [0, 1], got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Merges a (partial) noise config read from JSON over the defaults, validating every value;
 * errors name the field (`noise config: substitutions[2].p must be ...`).
 *
 * @example resolveNoiseConfig({ omitSecondary: 0 }).sibling === DEFAULT_NOISE.sibling
 */
export function resolveNoiseConfig(partial: unknown): NoiseConfig {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) throw new Error('noise config: expected a JSON object');
  const p = partial as Partial<Record<keyof NoiseConfig, unknown>>;
  const known = new Set(Object.keys(DEFAULT_NOISE));
  for (const k of Object.keys(p)) if (!known.has(k)) throw new Error(`noise config: unknown field ${JSON.stringify(k)}; fields: ${[...known].join(', ')}`);
  const out: NoiseConfig = { ...DEFAULT_NOISE };
  for (const k of ['omitSecondary', 'parentOrUnspecified', 'sibling', 'secondaryAtVisit', 'copyForward'] as const) {
    if (p[k] !== undefined) out[k] = probability(p[k], k);
  }
  if (p.maxCodesPerVisit !== undefined) {
    if (!Number.isInteger(p.maxCodesPerVisit) || (p.maxCodesPerVisit as number) < 1) throw new Error('noise config: maxCodesPerVisit must be a positive integer');
    out.maxCodesPerVisit = p.maxCodesPerVisit as number;
  }
  if (p.substitutions !== undefined) {
    if (!Array.isArray(p.substitutions)) throw new Error('noise config: substitutions must be an array');
    out.substitutions = p.substitutions.map((s: Record<string, unknown>, i) => {
      if (typeof s?.trueCode !== 'string' || typeof s.written !== 'string') throw new Error(`noise config: substitutions[${i}] needs string trueCode and written`);
      return { trueCode: s.trueCode, written: s.written, p: probability(s.p, `substitutions[${i}].p`) };
    });
  }
  if (p.chronic !== undefined) {
    if (!Array.isArray(p.chronic)) throw new Error('noise config: chronic must be an array');
    out.chronic = p.chronic.map((s: Record<string, unknown>, i) => {
      if (typeof s?.code !== 'string') throw new Error(`noise config: chronic[${i}] needs a string code`);
      return { code: s.code, p: probability(s.p, `chronic[${i}].p`) };
    });
  }
  return out;
}
