import type { EvalDocument, LiftFn } from './types.js';

/** The three comparison sets of one document in one layer (DESIGN §3). */
export interface DocumentSets {
  /** `start|end` of every mention that has a code. */
  spans: Set<string>;
  /** Every code (mention codes and code-only assignments), lifted when a lift is given. */
  codes: Set<string>;
  /** `start|end|code` of every mention that has a code. */
  spanCodes: Set<string>;
}

/**
 * Builds a document's span, code and span-code sets the way the RuCCoD reference evaluator does:
 * mentions without a code are dropped first (from every set, NER included); codes are lifted
 * before they enter a set, so codes that lift to the same ancestor collapse into one element.
 * A discontinuous mention counts by its outer span (`start` of the first fragment, `end` of the
 * last), which is what `Mention.start`/`Mention.end` hold.
 *
 * @example documentSets({ documentId: '1', mentions: [{ start: 0, end: 4, code: 'J00' }] })
 * // { spans: {'0|4'}, codes: {'J00'}, spanCodes: {'0|4|J00'} }
 */
export function documentSets(doc: EvalDocument, lift?: LiftFn): DocumentSets {
  const spans = new Set<string>();
  const codes = new Set<string>();
  const spanCodes = new Set<string>();
  for (const m of doc.mentions) {
    if (m.code === null || m.code === '') continue;
    const code = lift ? lift(m.code) : m.code;
    const span = `${m.start}|${m.end}`;
    spans.add(span);
    codes.add(code);
    spanCodes.add(`${span}|${code}`);
  }
  for (const c of doc.codes ?? []) {
    if (c === '') continue;
    codes.add(lift ? lift(c) : c);
  }
  return { spans, codes, spanCodes };
}
