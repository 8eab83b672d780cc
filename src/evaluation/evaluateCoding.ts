import { documentSets } from './documentSets.js';
import { prf } from './prf.js';
import type { CodeMetrics, EvalDocument, LiftFn, Metrics } from './types.js';

/** Options of {@link evaluateCoding}. */
export interface EvaluateCodingOptions {
  /** Relaxed evaluation: every code is lifted through this before the sets are built. */
  lift?: LiftFn;
}

/** Everything one comparison of a predicted layer against a gold layer yields. */
export interface CodingEvaluation {
  /** Gold documents evaluated (every gold document, with or without entities). */
  documents: number;
  /**
   * Share of documents whose gold code set lies wholly inside the predicted code set. A document
   * without gold codes counts as correct, as in the reference evaluator (∅ ⊆ anything).
   */
  documentAccuracy: number;
  /** The same for spans (the reference evaluator's "document-level NER accuracy"). */
  nerDocumentAccuracy: number;
  /** NER: `start|end` sets. */
  ner: Metrics;
  /** NER + linking: `start|end|code` sets. */
  nerLinking: Metrics;
  /** Code assignment: `code` sets. */
  codeAssignment: Metrics;
  /** Code-assignment metrics per code (gold or predicted), by support desc, then code. */
  perCode: CodeMetrics[];
  /** Gold documents that had no predicted document (they count as predicting nothing), in gold order. */
  missingPredictions: string[];
}

function isSubset(inner: Set<string>, outer: Set<string>): boolean {
  for (const x of inner) if (!outer.has(x)) return false;
  return true;
}

/** |a ∩ b|, |a \ b|, |b \ a| for pred a and gold b. */
function compare(pred: Set<string>, gold: Set<string>): [tp: number, fp: number, fn: number] {
  let tp = 0;
  for (const x of pred) if (gold.has(x)) tp++;
  return [tp, pred.size - tp, gold.size - tp];
}

/**
 * Evaluates predicted annotations against gold ones exactly as the RuCCoD reference evaluator
 * does (DESIGN §3): per gold document build span, code and span-code sets (codeless entities
 * dropped, codes lifted first when `options.lift` is given), count TP/FP/FN per document, sum
 * them (micro) and derive P, R, F1 and accuracy = TP/(TP+FP+FN). Predicted documents absent
 * from the gold list are ignored; gold documents absent from the predictions predict nothing.
 *
 * @example
 * evaluateCoding(
 *   [{ documentId: '1', mentions: [{ start: 0, end: 4, code: 'J00' }] }],
 *   [{ documentId: '1', mentions: [{ start: 0, end: 4, code: 'J06.9' }] }],
 * ).ner.f1 // 1 (the span is right), while .nerLinking.f1 and .codeAssignment.f1 are 0
 */
export function evaluateCoding(
  gold: readonly EvalDocument[],
  predicted: readonly EvalDocument[] | ReadonlyMap<string, EvalDocument>,
  options: EvaluateCodingOptions = {},
): CodingEvaluation {
  const predById: ReadonlyMap<string, EvalDocument> =
    predicted instanceof Map ? predicted : new Map((predicted as readonly EvalDocument[]).map((d) => [d.documentId, d]));
  const seen = new Set<string>();
  const c = { ner: [0, 0, 0], link: [0, 0, 0], code: [0, 0, 0] };
  const perCode = new Map<string, { tp: number; fp: number; fn: number }>();
  const missingPredictions: string[] = [];
  let docCorrect = 0;
  let nerDocCorrect = 0;
  const empty = { spans: new Set<string>(), codes: new Set<string>(), spanCodes: new Set<string>() };

  for (const g of gold) {
    if (seen.has(g.documentId)) throw new Error(`evaluateCoding: gold document ${JSON.stringify(g.documentId)} appears twice`);
    seen.add(g.documentId);
    const p = predById.get(g.documentId);
    if (!p) missingPredictions.push(g.documentId);
    const gs = documentSets(g, options.lift);
    const ps = p ? documentSets(p, options.lift) : empty;

    const add = (acc: number[], [tp, fp, fn]: [number, number, number]): void => {
      acc[0]! += tp;
      acc[1]! += fp;
      acc[2]! += fn;
    };
    add(c.ner, compare(ps.spans, gs.spans));
    add(c.link, compare(ps.spanCodes, gs.spanCodes));
    add(c.code, compare(ps.codes, gs.codes));
    if (isSubset(gs.codes, ps.codes)) docCorrect++;
    if (isSubset(gs.spans, ps.spans)) nerDocCorrect++;

    for (const code of gs.codes) {
      const e = perCode.get(code) ?? { tp: 0, fp: 0, fn: 0 };
      if (ps.codes.has(code)) e.tp++;
      else e.fn++;
      perCode.set(code, e);
    }
    for (const code of ps.codes) {
      if (gs.codes.has(code)) continue;
      const e = perCode.get(code) ?? { tp: 0, fp: 0, fn: 0 };
      e.fp++;
      perCode.set(code, e);
    }
  }

  const documents = gold.length;
  const perCodeList: CodeMetrics[] = [...perCode].map(([code, e]) => ({
    code,
    support: e.tp + e.fn,
    predicted: e.tp + e.fp,
    ...prf(e.tp, e.fp, e.fn),
  }));
  perCodeList.sort((a, b) => b.support - a.support || compareCodes(a.code, b.code));
  return {
    documents,
    documentAccuracy: documents === 0 ? 0 : docCorrect / documents,
    nerDocumentAccuracy: documents === 0 ? 0 : nerDocCorrect / documents,
    ner: prf(c.ner[0]!, c.ner[1]!, c.ner[2]!),
    nerLinking: prf(c.link[0]!, c.link[1]!, c.link[2]!),
    codeAssignment: prf(c.code[0]!, c.code[1]!, c.code[2]!),
    perCode: perCodeList,
    missingPredictions,
  };
}

/** Code order independent of the locale: plain code-unit comparison. */
function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
