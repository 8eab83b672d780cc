/** A mention as the reference evaluator reads it: outer span and code (null: no code). */
export interface ReferenceMention {
  start: number;
  end: number;
  code: string | null;
}

const ENTITY_ID = /^[TN]\d+$/;

/**
 * Reads the mentions of one brat `.ann` text exactly as the RuCCoD reference evaluator
 * (`evaluate_llm_predictions.py`) sees them, for `icdkg evaluate` on brat folders:
 * - a line is trimmed and split on tabs; lines whose first column is not `T<n>`/`N<n>` are skipped
 *   (the continuation lines of a mention text that spans a line break, `#` notes, blank lines);
 * - `T<n>`: offsets are taken as written (no repair), the span is the first fragment's start and
 *   the last fragment's end; a later `T` with the same id *replaces* the earlier one (RuCCoD
 *   reuses ids; the reference keeps entities in a dict keyed by id);
 * - `N<n>`: the code is the last column; it links to the current `T` of that id, and a reference
 *   to an undefined `T` is ignored;
 * - entities without a code, and entities starting at -1, are dropped.
 * Validation (`file:line` errors) is the corpus loader's `parseAnn`; this only reads columns.
 *
 * @example referenceMentions('T1\ticd_code 0 7\tКольпит\nN1\tReference T1 ICD_codes:8949\tN76\n')
 * // [{ start: 0, end: 7, code: 'N76' }]
 */
export function referenceMentions(ann: string): ReferenceMention[] {
  const entities = new Map<string, { start: number; end: number; codes: Set<string> }>();
  for (const line of ann.split('\n')) {
    const cols = line.trim().split('\t');
    const id = cols[0]!;
    if (!ENTITY_ID.test(id)) continue;
    if (id[0] === 'T') {
      const typeAndSpans = (cols[1] ?? '').trim();
      const type = typeAndSpans.split(/\s+/, 1)[0] ?? '';
      const fragments = typeAndSpans
        .slice(type.length)
        .split(';')
        .map((f) => f.trim().split(/\s+/).map(Number));
      const start = fragments[0]?.[0];
      const end = fragments.at(-1)?.[1];
      if (start === undefined || end === undefined || !Number.isInteger(start) || !Number.isInteger(end)) continue;
      entities.set(id, { start, end, codes: new Set() });
    } else {
      const target = (cols[1] ?? '').trim().split(/\s+/)[1];
      const code = (cols[2] ?? '').trim();
      const entity = target === undefined ? undefined : entities.get(target);
      if (entity && code !== '') entity.codes.add(code);
    }
  }
  const mentions: ReferenceMention[] = [];
  for (const e of entities.values()) {
    if (e.start === -1) continue;
    for (const code of e.codes) mentions.push({ start: e.start, end: e.end, code });
  }
  return mentions;
}
