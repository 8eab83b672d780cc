import type { CodingEvaluation } from './evaluateCoding.js';
import type { Metrics } from './types.js';
import type { LiftLevel } from '../graph/model.js';

/** The `--json` shape: exactly these keys (`level` is `"STRICT"` for strict evaluation). */
export function evaluationJson(level: LiftLevel | null, e: CodingEvaluation) {
  const m = (x: Metrics) => ({ precision: x.precision, recall: x.recall, f1: x.f1, accuracy: x.accuracy, tp: x.tp, fp: x.fp, fn: x.fn });
  return {
    level: level ?? 'STRICT',
    documents: e.documents,
    documentAccuracy: e.documentAccuracy,
    ner: m(e.ner),
    nerLinking: m(e.nerLinking),
    codeAssignment: m(e.codeAssignment),
  };
}

/** The paper's table: task × precision, recall, F-score, accuracy (three decimals). */
export function evaluationTable(level: LiftLevel | null, e: CodingEvaluation): string {
  const f = (x: number) => x.toFixed(3);
  const rows: [string, Metrics][] = [
    ['NER', e.ner],
    ['NER + Linking', e.nerLinking],
    ['Code assignment', e.codeAssignment],
  ];
  const lines = [
    `Evaluation: ${level ?? 'strict'} (${e.documents} documents)`,
    `${'Task'.padEnd(16)}  ${'Precision'.padStart(9)}  ${'Recall'.padStart(6)}  ${'F-score'.padStart(7)}  ${'Accuracy'.padStart(8)}  ${'TP'.padStart(6)}  ${'FP'.padStart(6)}  ${'FN'.padStart(6)}`,
    ...rows.map(
      ([task, m]) =>
        `${task.padEnd(16)}  ${f(m.precision).padStart(9)}  ${f(m.recall).padStart(6)}  ${f(m.f1).padStart(7)}  ${f(m.accuracy).padStart(8)}  ${String(m.tp).padStart(6)}  ${String(m.fp).padStart(6)}  ${String(m.fn).padStart(6)}`,
    ),
    `Document-level code assignment accuracy: ${f(e.documentAccuracy)}`,
  ];
  return `${lines.join('\n')}\n`;
}

