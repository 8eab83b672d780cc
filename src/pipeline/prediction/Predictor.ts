/**
 * Diagnosis prediction (DESIGN §5): from what is known before a visit's conclusion is written,
 * rank the diagnoses the visit will get.
 */

/** One earlier visit of the same patient, as far as it is known. */
export interface EarlierVisit {
  /** ISO date (`2021-03-04`) of the earlier visit; used only for ordering. */
  date?: string;
  /** The patient's complaints at that visit. */
  complaints?: string;
  /** The doctor's conclusion of that (earlier, hence already written) visit. */
  conclusion?: string;
  /** Codes assigned at that visit (ICD-10, any depth). */
  codes?: string[];
}

/**
 * The input of a prediction: the visit's complaints and, optionally, the patient's earlier
 * visits. The current visit's conclusion is deliberately absent: predicting it is the task.
 */
export interface PatientHistory {
  /** The patient's complaints at the visit being predicted (free Russian text). */
  complaints: string;
  /** Earlier visits, oldest first (order is not relied on). */
  earlier?: EarlierVisit[];
}

/** One ranked diagnosis. */
export interface Prediction {
  /** An ICD-10 code from the model's label space. */
  code: string;
  /** The model's probability for the code (softmax share, or sigmoid for multi-label models). */
  probability: number;
}

/**
 * A diagnosis predictor: ranks the model's labels for a history, best first.
 *
 * @example
 * const top = predictor.predict({ complaints: 'боли в пояснице при наклоне' }, 3);
 * // [{ code: 'M54', probability: 0.61 }, { code: 'M51', probability: 0.12 }, ...]
 */
export interface Predictor {
  /** Name of the model (its folder name or manifest name), for reports and GraphQL. */
  readonly name: string;
  /** The label space, in the model's order. */
  readonly labels: readonly string[];
  /** The `k` most probable codes (fewer when the model has fewer labels), best first. */
  predict(history: PatientHistory, k: number): Prediction[];
}
