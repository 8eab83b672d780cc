import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { invariant } from '../errors.js';
import type { Code } from '../graph/model.js';
import type { AppointmentRecord, CohortHeader } from '../ingest/cohort/cohortFormat.js';
import { MANUAL_TEST_SPLIT, DEFAULT_SPLIT } from '../ingest/cohort/cohortFormat.js';
import { DEFAULT_NOISE } from './noiseConfig.js';
import type { NoiseConfig } from './noiseConfig.js';
import { mulberry32 } from '../util/mulberry32.js';
import type { SynthSources } from './synthSources.js';

/** Parameters of one synthetic cohort. */
export interface SynthOptions {
  patients: number;
  seed: number;
  /** Exact number of appointments (spread over the patients); by default drawn from `visitsMean`. */
  appointments?: number;
  /** Mean visits per patient (the paper's cohort: 865,539 / 164,527 = 5.26). */
  visitsMean?: number;
  /** Share of patients held out as the "manual test" subset (split `test`, layer `manual`). */
  manualTestShare?: number;
  noise?: NoiseConfig;
  /** The command line, for the header. */
  command?: string;
}

/** What a synthesis wrote. */
export interface SynthReport {
  patients: number;
  appointments: number;
  testPatients: number;
  /** How many (true -> written) substitutions of the noise model fired, by `true>written`. */
  substitutions: Map<string, number>;
  seconds: number;
}

export const PAPER_VISITS_MEAN = 865_539 / 164_527;
export const DEFAULT_MANUAL_TEST_SHARE = 0.1;
/** First day visits may fall on, and the span (days) of the cohort: 2018-01-01 .. 2022-12-31. */
const START_MS = Date.UTC(2018, 0, 1);
const SPAN_DAYS = 5 * 365;
const DAY_MS = 86_400_000;
/** Mean days between two visits of a patient. */
const MEAN_GAP_DAYS = 45;
/** Most latent conditions per patient. */
const MAX_CONDITIONS = 8;
/** Probability of drawing a second RuCCoD conclusion that shares a code with the first. */
const P_RELATED_DOCUMENT = 0.3;
/** Complaints used when no RuMedTop3 visit of the visit's categories exists (written for the project). */
const GENERIC_COMPLAINTS = [
  'Жалобы на общую слабость, быструю утомляемость.',
  'Жалоб активно не предъявляет, явка для контроля состояния.',
  'Жалобы на головную боль, головокружение.',
  'Жалобы на периодические боли, ухудшение самочувствия в течение недели.',
  'Жалобы на снижение работоспособности, плохой сон.',
  'Обратился для продления рецептов, жалоб нет.',
  'Жалобы на одышку при физической нагрузке.',
  'Жалобы на недомогание, повышенную утомляемость к вечеру.',
];

interface Tree {
  info: Map<string, Code>;
  children: Map<string, string[]>;
  category: (code: string) => string | null;
}

function buildTree(codes: readonly Code[]): Tree {
  const info = new Map(codes.map((c) => [c.code, c]));
  const children = new Map<string, string[]>();
  for (const c of codes) {
    if (!c.parent) continue;
    let list = children.get(c.parent);
    if (!list) children.set(c.parent, (list = []));
    list.push(c.code);
  }
  for (const list of children.values()) list.sort();
  const cache = new Map<string, string | null>();
  const category = (code: string): string | null => {
    let hit = cache.get(code);
    if (hit !== undefined) return hit;
    hit = null;
    // Walk PARENT edges to the CATEGORY ancestor-or-self (never string truncation).
    for (let c = info.get(code); c; c = c.parent ? info.get(c.parent) : undefined) {
      if (c.kind === 'CATEGORY') {
        hit = c.code;
        break;
      }
    }
    cache.set(code, hit);
    return hit;
  };
  return { info, children, category };
}

/** A seeded Poisson draw (Knuth; the means here are small). */
function poisson(rand: () => number, mean: number): number {
  if (mean <= 0) return 0;
  const l = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > l) {
    k++;
    p *= rand();
  }
  return k;
}

/**
 * Joins mention strings into one conclusion sentence: trailing punctuation of each dropped, the
 * first capitalised, later ones lower-cased unless they look like abbreviations (`ИБС`, `ГБ`).
 */
export function joinDiagnoses(parts: readonly string[]): string {
  const cleaned = parts.map((p, i) => {
    const t = p.replace(/[\s,.;:]+$/u, '');
    if (i === 0) return t.charAt(0).toUpperCase() + t.slice(1);
    const second = t.charAt(1);
    return second !== '' && second === second.toLowerCase() ? t.charAt(0).toLowerCase() + t.slice(1) : t;
  });
  return `${cleaned.filter((t) => t !== '').join(', ')}.`;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/**
 * Writes a SYNTHETIC cohort (docs/cohorts.md) to `out`, streaming: a header line saying it is
 * synthetic, then one appointment per line. Patients get latent conditions from the code
 * co-occurrences of RuCCoD's training conclusions (plus common chronic conditions at the noise
 * config's prevalence), visits get complaints from RuMedTop3 training visits of the category of
 * a true code, conclusions made of RuCCoD training mention strings of the true codes, and the
 * doctor's codes follow the noise model. Deterministic for a seed (mulberry32).
 *
 * @example await synthesizeCohort(sources, 'demo.jsonl', { patients: 1000, seed: 42 })
 */
export async function synthesizeCohort(sources: SynthSources, out: string | NodeJS.WritableStream, options: SynthOptions): Promise<SynthReport> {
  const started = performance.now();
  const noise = options.noise ?? DEFAULT_NOISE;
  const visitsMean = options.visitsMean ?? PAPER_VISITS_MEAN;
  const testShare = options.manualTestShare ?? DEFAULT_MANUAL_TEST_SHARE;
  if (!Number.isInteger(options.patients) || options.patients < 1) throw new RangeError(`patients must be a positive integer, got ${options.patients}`);
  if (options.appointments !== undefined && (!Number.isInteger(options.appointments) || options.appointments < options.patients)) {
    throw new RangeError(`appointments must be an integer >= patients (${options.patients}), got ${options.appointments}`);
  }
  if (!(visitsMean >= 1)) throw new RangeError(`visitsMean must be >= 1, got ${visitsMean}`);
  const tree = buildTree(sources.codes);
  const rand = mulberry32(options.seed);

  // A code can be a condition when the conclusion can name it: a training mention, else its title.
  const wordings = (code: string): readonly string[] => {
    const m = sources.mentions.get(code);
    if (m && m.length > 0) return m;
    const t = tree.info.get(code)?.title;
    return t ? [t] : [];
  };
  const documents = sources.documents.filter((d) => d.length > 0);
  if (documents.length === 0) throw new Error('no RuCCoD training document with codes to draw conditions from');
  const docsOfCode = new Map<string, number[]>();
  documents.forEach((codes, i) => {
    for (const c of codes) {
      let list = docsOfCode.get(c);
      if (!list) docsOfCode.set(c, (list = []));
      list.push(i);
    }
  });
  const chronic = noise.chronic.filter((c) => tree.info.has(c.code) && wordings(c.code).length > 0);
  const substitutions = new Map<string, { written: string; p: number }[]>();
  for (const s of noise.substitutions) {
    if (!tree.info.has(s.trueCode) || !tree.info.has(s.written)) continue;
    let list = substitutions.get(s.trueCode);
    if (!list) substitutions.set(s.trueCode, (list = []));
    list.push({ written: s.written, p: s.p });
  }
  const fired = new Map<string, number>();

  /** The doctor's version of one true code (null: not coded). */
  const doctorCode = (code: string, secondary: boolean): string | null => {
    if (secondary && rand() < noise.omitSecondary) return null;
    for (const s of substitutions.get(code) ?? []) {
      if (rand() < s.p) {
        const k = `${code}>${s.written}`;
        fired.set(k, (fired.get(k) ?? 0) + 1);
        return s.written;
      }
    }
    const node = tree.info.get(code);
    if (node?.kind === 'SUBCATEGORY' && node.parent && rand() < noise.parentOrUnspecified) {
      const unspecified = (tree.children.get(node.parent) ?? []).find((c) => c.endsWith('.9') && c !== code);
      return unspecified ?? node.parent;
    }
    if (node?.parent && rand() < noise.sibling) {
      const siblings = (tree.children.get(node.parent) ?? []).filter((c) => c !== code);
      if (siblings.length > 0) return pick(rand, siblings);
    }
    return code;
  };

  const categoryComplaints = (codes: readonly string[]): string => {
    for (const c of codes) {
      const cat = tree.category(c);
      const list = cat ? sources.complaints.get(cat) : undefined;
      if (list && list.length > 0) return pick(rand, list);
    }
    return pick(rand, GENERIC_COMPLAINTS);
  };

  const header: CohortHeader = {
    format: 'icdkg-cohort',
    version: 1,
    synthetic: true,
    notice: 'SYNTHETIC cohort generated by `icdkg cohort synth`: no real patient. Texts are drawn from public corpora (RuCCoD, RuMedTop3); codes follow a stated noise model.',
    generator: {
      command: options.command ?? 'icdkg cohort synth',
      seed: options.seed,
      patients: options.patients,
      appointments: options.appointments ?? null,
      visitsMean,
      manualTestShare: testShare,
      noise,
      sources: sources.files,
    },
  };

  // A path is written and closed; a stream (stdout, for `--out -`) is written and left open.
  const stream = typeof out === 'string' ? createWriteStream(out, { highWaterMark: 1 << 20 }) : out;
  let buffer: string[] = [];
  let bufferChars = 0;
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const chunk = buffer.join('');
    buffer = [];
    bufferChars = 0;
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  const emit = (line: string): void => {
    buffer.push(line, '\n');
    bufferChars += line.length + 1;
  };
  emit(JSON.stringify({ cohortHeader: header }));

  const width = String(options.patients).length;
  let appointmentNo = 0;
  let testPatients = 0;
  let remaining = options.appointments ?? 0;
  for (let p = 0; p < options.patients; p++) {
    // Conditions: one RuCCoD conclusion's codes, sometimes a related one's, plus chronic background.
    const conditions: string[] = [];
    const add = (c: string): void => {
      if (conditions.length < MAX_CONDITIONS && !conditions.includes(c) && wordings(c).length > 0) conditions.push(c);
    };
    const seedDoc = pick(rand, documents);
    for (const c of seedDoc) add(c);
    if (rand() < P_RELATED_DOCUMENT) {
      const related = docsOfCode.get(pick(rand, seedDoc))!;
      for (const c of documents[pick(rand, related)]!) add(c);
    }
    const sex: 'M' | 'F' = rand() < 0.55 ? 'F' : 'M';
    const age0 = Math.min(95, Math.max(18, Math.round(55 + 16 * (rand() + rand() + rand() - 1.5) * 1.4)));
    const ageFactor = age0 < 40 ? 0.3 : age0 < 60 ? 1 : 1.5;
    for (const c of chronic) if (rand() < Math.min(1, c.p * ageFactor)) add(c.code);
    invariant(conditions.length > 0, 'a patient drew no codable condition (every training document has one)');
    const test = rand() < testShare;
    if (test) testPatients++;

    let visits: number;
    if (options.appointments !== undefined) {
      const left = options.patients - p;
      visits = left === 1 ? remaining : Math.max(1, Math.min(remaining - (left - 1), 1 + poisson(rand, remaining / left - 1)));
      remaining -= visits;
    } else {
      visits = 1 + poisson(rand, visitsMean - 1);
    }
    const patientId = `P${String(p + 1).padStart(width, '0')}`;
    const usual = new Map<string, string>();
    const wording = (code: string): string => {
      const options = wordings(code);
      let w = usual.get(code);
      if (w === undefined) usual.set(code, (w = pick(rand, options)));
      return rand() < noise.copyForward ? w : pick(rand, options);
    };
    const hasCategory = (cat: string): boolean => conditions.some((c) => tree.category(c) === cat);
    const diabetic = hasCategory('E11') || hasCategory('E10');
    const hypertensive = hasCategory('I10') || hasCategory('I11');
    let day = Math.floor(rand() * SPAN_DAYS * 0.6);
    const firstDay = day;
    const earlier: string[] = [];
    for (let v = 0; v < visits; v++) {
      if (v > 0) day += 1 + Math.floor(-Math.log(1 - rand()) * MEAN_GAP_DAYS);
      const primary = pick(rand, conditions);
      const trueCodes = [primary];
      for (const c of conditions) {
        if (c !== primary && trueCodes.length < noise.maxCodesPerVisit && rand() < noise.secondaryAtVisit) trueCodes.push(c);
      }
      const codes: string[] = [];
      trueCodes.forEach((c, i) => {
        const d = doctorCode(c, i > 0);
        if (d !== null && !codes.includes(d)) codes.push(d);
      });
      const parts = trueCodes.map(wording);
      const conclusion = joinDiagnoses(parts);
      const year = new Date(START_MS + firstDay * DAY_MS).getUTCFullYear();
      const anamnesis =
        earlier.length === 0
          ? 'Анамнез без особенностей.'
          : `Наблюдается с ${year} г. В анамнезе: ${earlier.slice(0, 2).join(', ')}.`;
      const glucose = diabetic ? 6.5 + rand() * 4.5 : 4.2 + rand() * 1.7;
      const sys = hypertensive ? 140 + Math.floor(rand() * 36) : 110 + Math.floor(rand() * 26);
      const dia = hypertensive ? 85 + Math.floor(rand() * 21) : 70 + Math.floor(rand() * 16);
      const labs = `Глюкоза ${glucose.toFixed(1)} ммоль/л; холестерин ${(3.8 + rand() * 3).toFixed(1)} ммоль/л; АД ${sys}/${dia} мм рт.ст.`;
      appointmentNo++;
      const record: AppointmentRecord = {
        patientId,
        appointmentId: `${patientId}-${v + 1}`,
        date: new Date(START_MS + day * DAY_MS).toISOString().slice(0, 10),
        age: age0 + Math.floor(day / 365.25) - Math.floor(firstDay / 365.25),
        sex,
        complaints: categoryComplaints(trueCodes),
        anamnesis,
        labs,
        conclusion,
        codes,
        trueCodes,
        split: test ? MANUAL_TEST_SPLIT : DEFAULT_SPLIT,
      };
      emit(JSON.stringify(record));
      if (earlier.length < 2 && !earlier.includes(parts[0]!)) earlier.push(parts[0]!);
    }
    if (bufferChars > 1 << 20) await flush();
  }
  await flush();
  if (typeof out === 'string') {
    stream.end();
    await once(stream, 'close');
  }
  return {
    patients: options.patients,
    appointments: appointmentNo,
    testPatients,
    substitutions: fired,
    seconds: (performance.now() - started) / 1000,
  };
}
