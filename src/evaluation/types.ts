/**
 * Shared shapes of the evaluation module (DESIGN §3). Plain data; every function of
 * `src/evaluation/` takes and returns these.
 */

/** Precision, recall, F1 and accuracy = TP/(TP+FP+FN) with the micro counts they come from. */
export interface Metrics {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Lifts a code to its ancestor-or-self of one level (CATEGORY, BLOCK, CHAPTER). Built from the
 * tree (`liftFromParents`, `liftFromStore`), never by string truncation. A code the tree does not
 * know, or a code above the level, lifts to itself.
 */
export type LiftFn = (code: string) => string;

/** The part of a mention evaluation reads: its outer span and its code (null: no code). */
export interface EvalMention {
  /** First fragment's start. */
  start: number;
  /** Last fragment's end. */
  end: number;
  code: string | null;
}

/**
 * One document's annotations in one layer. `LayerAnnotations` of the graph model fits this shape.
 * `codes` are code-only assignments (no span): they count for code assignment only.
 */
export interface EvalDocument {
  documentId: string;
  mentions: readonly EvalMention[];
  codes?: readonly string[];
}

/** Per-code precision, recall and F1 of code assignment; support = gold documents with the code. */
export interface CodeMetrics extends Metrics {
  code: string;
  support: number;
  /** Documents whose prediction carries the code (tp + fp). */
  predicted: number;
}
