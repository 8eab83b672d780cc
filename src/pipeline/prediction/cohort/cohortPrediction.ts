import { frequencyBuckets } from '../../../evaluation/frequencyBuckets.js';
import { trainingCodeWeights } from '../../../evaluation/trainingCodeWeights.js';
import { weightedF1 } from '../../../evaluation/weightedF1.js';
import type { WeightedCodeMetrics } from '../../../evaluation/weightedF1.js';
import { LinearPredictor } from '../linear/LinearPredictor.js';
import type { LabelledHistory } from '../linear/LinearPredictor.js';
import type { EarlierVisit, PatientHistory } from '../Predictor.js';
import { defaultPredictConfig, termBlocks } from '../linear/predictConfig.js';
import type { PredictConfig } from '../linear/predictConfig.js';
import { COHORT_LAYERS, MANUAL_TEST_SPLIT } from '../../../ingest/cohort/cohortFormat.js';
import { readLinked } from '../../../ingest/cohort/linkedFile.js';
import { readCohort } from '../../../ingest/cohort/loadCohort.js';

/** What diagnosis prediction needs of one appointment (never its conclusion as a feature of itself). */
export interface PredictionAppointment {
  id: string;
  patientId: string;
  date: string;
  split: string;
  complaints: string;
  conclusion: string;
  /** Codes per layer: `original`, `linked`, `manual`. */
  layers: Record<string, readonly string[]>;
}

/** Settings of the cohort experiment (DESIGN §3 label space and evaluation). */
export interface CohortPredictionConfig {
  /** The predictor's features and trainer (one-vs-rest sigmoid: visits have several codes). */
  predictor: PredictConfig;
  /**
   * A label must be carried by at least this many training appointments in *each* training layer
   * (the paper's label space is codes present in both layers; the floor keeps codes the model
   * cannot learn from a handful of examples out of the weight matrix).
   */
  minLabelCount: number;
  /** Earlier visits fed to the model (most recent ones). */
  maxEarlierVisits: number;
  /** A code is predicted when its probability reaches this (the top code is always predicted). */
  threshold: number;
}

/** The cohort experiment's settings (chosen once on a separate seed, not on the test subset). */
export const defaultCohortPredictionConfig: CohortPredictionConfig = {
  predictor: {
    ...defaultPredictConfig,
    features: {
      ...defaultPredictConfig.features,
      // No character n-grams: with hundreds of labels their long feature lists make one-vs-rest
      // training cost (features per example x labels) too much for the 15-minute experiment.
      charNgrams: [0, 0],
      blocks: termBlocks({ word: [3, 1], char: [5, 0.7], history: [3, 1], code: [2, 1] }),
    },
    linear: { loss: 'sigmoid', epochs: 3, learningRate: 0.5, l2: 1e-6, seed: 1 },
    naiveBayes: null,
  },
  minLabelCount: 20,
  maxEarlierVisits: 5,
  threshold: 0.3,
};

/**
 * The history of every appointment: its complaints plus the patient's earlier visits (date
 * order) with their complaints, conclusions and the codes of `codeLayer`; never the visit's own
 * conclusion or codes.
 *
 * @example historiesOf(appointments, 'linked', 5).get('P001-3')!.earlier!.length === 2
 */
export function historiesOf(appointments: readonly PredictionAppointment[], codeLayer: string, maxEarlier: number): Map<string, PatientHistory> {
  const byPatient = new Map<string, PredictionAppointment[]>();
  for (const a of appointments) {
    let list = byPatient.get(a.patientId);
    if (!list) byPatient.set(a.patientId, (list = []));
    list.push(a);
  }
  const out = new Map<string, PatientHistory>();
  for (const visits of byPatient.values()) {
    // Stable by date: same-day visits keep file order.
    const sorted = visits.map((v, i) => ({ v, i })).sort((x, y) => (x.v.date < y.v.date ? -1 : x.v.date > y.v.date ? 1 : x.i - y.i)).map((x) => x.v);
    const earlier: EarlierVisit[] = [];
    for (const v of sorted) {
      out.set(v.id, { complaints: v.complaints, earlier: earlier.slice(-maxEarlier) });
      earlier.push({ date: v.date, complaints: v.complaints, conclusion: v.conclusion, codes: [...(v.layers[codeLayer] ?? [])] });
    }
  }
  return out;
}

/** The paper's label space: codes carried by at least `minCount` training appointments in both layers. */
export function labelSpace(train: readonly PredictionAppointment[], layers: readonly [string, string], minCount: number): string[] {
  const count = (layer: string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const a of train) for (const c of new Set(a.layers[layer] ?? [])) m.set(c, (m.get(c) ?? 0) + 1);
    return m;
  };
  const [x, y] = layers.map(count) as [Map<string, number>, Map<string, number>];
  return [...x].filter(([c, n]) => n >= minCount && (y.get(c) ?? 0) >= minCount).map(([c]) => c).sort();
}

/** One model's evaluation on the manual-test subset. */
export interface ModelEvaluation {
  trainLayer: string;
  labels: number;
  trainAppointments: number;
  testAppointments: number;
  trainSeconds: number;
  weightedF1: number;
  perCode: WeightedCodeMetrics[];
  buckets: { top: { codes: string[]; medianF1: number }; bottom: { codes: string[]; medianF1: number } };
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The predicted code set: every label at or above the threshold, and always the best one. */
export function predictedSet(predictor: LinearPredictor, history: PatientHistory, threshold: number): string[] {
  const p = predictor.probabilities(history);
  let best = 0;
  const out: string[] = [];
  for (let i = 0; i < p.length; i++) {
    if (p[i]! > p[best]!) best = i;
    if (p[i]! >= threshold) out.push(predictor.labels[i]!);
  }
  if (out.length === 0 && p.length > 0) out.push(predictor.labels[best]!);
  return out;
}

/**
 * Trains a predictor on one layer of the training appointments (label space shared by both
 * layers) and evaluates it on the manual-test appointments against layer `manual` (DESIGN §3:
 * weighted F1 with training-share weights over `original` ∪ `linked`, frequency buckets).
 *
 * @example const { predictor, evaluation } = trainAndEvaluate(appointments, 'linked', 'demo-linked');
 */
export function trainAndEvaluate(
  appointments: readonly PredictionAppointment[],
  trainLayer: 'original' | 'linked',
  name: string,
  config: CohortPredictionConfig = defaultCohortPredictionConfig,
): { predictor: LinearPredictor; evaluation: ModelEvaluation } {
  const train = appointments.filter((a) => a.split !== MANUAL_TEST_SPLIT);
  const test = appointments.filter((a) => a.split === MANUAL_TEST_SPLIT && a.layers.manual !== undefined);
  const labels = new Set(labelSpace(train, ['original', 'linked'], config.minLabelCount));
  const histories = historiesOf(appointments, trainLayer, config.maxEarlierVisits);
  const examples: LabelledHistory[] = train.map((a) => ({ history: histories.get(a.id)!, codes: (a.layers[trainLayer] ?? []).filter((c) => labels.has(c)) }));
  const started = performance.now();
  const predictor = LinearPredictor.train(name, examples, config.predictor);
  const trainSeconds = (performance.now() - started) / 1000;
  const gold = test.map((a) => a.layers.manual!);
  const predicted = test.map((a) => predictedSet(predictor, histories.get(a.id)!, config.threshold));
  const weights = trainingCodeWeights(train.map((a) => ({ original: a.layers.original ?? [], linked: a.layers.linked ?? [] })));
  const scored = weightedF1(gold, predicted, weights);
  const { top, bottom } = frequencyBuckets(scored.perCode.map((c) => ({ ...c, predicted: c.tp + c.fp })));
  const f1 = new Map(scored.perCode.map((c) => [c.code, c.f1]));
  return {
    predictor,
    evaluation: {
      trainLayer,
      labels: predictor.labels.length,
      trainAppointments: train.length,
      testAppointments: test.length,
      trainSeconds,
      weightedF1: scored.weightedF1,
      perCode: scored.perCode,
      buckets: {
        top: { codes: top.codes, medianF1: median(top.codes.map((c) => f1.get(c) ?? 0)) },
        bottom: { codes: bottom.codes, medianF1: median(bottom.codes.map((c) => f1.get(c) ?? 0)) },
      },
    },
  };
}

/**
 * A cohort file and its linked file as prediction appointments: the doctor's codes as layer
 * `original`, the coder's as `linked`, and for the manual-test patients of a synthetic cohort
 * their true codes as `manual`.
 *
 * @example const appointments = await readPredictionAppointments('demo.jsonl', 'demo.linked.jsonl');
 */
export async function readPredictionAppointments(cohortFile: string, linkedFile: string): Promise<PredictionAppointment[]> {
  const linked = (await readLinked(linkedFile)).codes;
  const appointments: PredictionAppointment[] = [];
  await readCohort(cohortFile, (r) => {
    const layers: Record<string, readonly string[]> = { [COHORT_LAYERS.original]: r.codes, [COHORT_LAYERS.linked]: linked.get(r.appointmentId) ?? [] };
    if (r.split === 'test' && r.trueCodes) layers[COHORT_LAYERS.manual] = r.trueCodes;
    appointments.push({ id: r.appointmentId, patientId: r.patientId, date: r.date, split: r.split ?? 'train', complaints: r.complaints, conclusion: r.conclusion, layers });
  });
  return appointments;
}
