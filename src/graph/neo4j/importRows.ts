import type { GraphData, LayerAnnotations, Mention } from '../model.js';
import { compareMentions } from '../shared/validateWrite.js';
import type { AssignmentRow, CodeRow, CorpusRow, DocumentRow, MentionRow, NameRow, ParentRow } from './cypher.js';
import { keys } from './keys.js';

/** The rows of each import stage, in the order they are written. */
export interface ImportRows {
  codes: CodeRow[];
  parents: ParentRow[];
  names: NameRow[];
  corpora: CorpusRow[];
  documents: DocumentRow[];
  mentions: MentionRow[];
  assignments: AssignmentRow[];
}

/** Import stages in write order (schema first, the data version last). */
export const IMPORT_STAGES = ['schema', 'codes', 'parents', 'names', 'corpora', 'documents', 'mentions', 'assignments', 'dataVersion'] as const;
export type ImportStage = (typeof IMPORT_STAGES)[number];

/** Row form of one mention. */
export function mentionRow(corpus: string, documentId: string, layer: string, m: Mention, occurrence = 1): MentionRow {
  return {
    key: keys.mention(corpus, documentId, layer, m.id, occurrence),
    documentKey: keys.document(corpus, documentId),
    corpus,
    documentId,
    layer,
    id: m.id,
    start: m.start,
    end: m.end,
    text: m.text,
    fragmentStarts: m.fragments.map((f) => f.start),
    fragmentEnds: m.fragments.map((f) => f.end),
    code: m.code,
  };
}

/** Row form of one document. */
export function documentRow(d: { corpus: string; id: string; split: string; text: string; patient: string | null; date: string | null; fields?: Record<string, unknown> }): DocumentRow {
  return {
    key: keys.document(d.corpus, d.id),
    corpus: d.corpus,
    id: d.id,
    sortKey: keys.documentSort(d.id),
    split: d.split,
    text: d.text,
    patient: d.patient ?? null,
    date: d.date ?? null,
    fields: d.fields === undefined ? null : JSON.stringify(d.fields),
  };
}

/**
 * Turns a data set into the rows of each import stage, checked the way the memory adapter checks
 * it (duplicate codes, unknown parents, layers of unknown documents throw before anything is
 * written) and shaped the same way: names of unknown codes are left out, one document's entries of
 * a layer are merged, mentions sorted by start, end, id, assigned codes deduplicated, and empty
 * annotations dropped.
 *
 * @example importRows(await loadDataDir(dir)).codes.length // 17762
 */
export function importRows(data: GraphData): ImportRows {
  const known = new Set<string>();
  for (const c of data.codes) {
    if (known.has(c.code)) throw new Error(`importGraph: duplicate code ${c.code} in the data`);
    known.add(c.code);
  }
  const codes: CodeRow[] = [];
  const parents: ParentRow[] = [];
  for (const c of data.codes) {
    codes.push({ code: c.code, title: c.title, kind: c.kind, depth: c.depth, number: c.number ?? null, inactive: c.inactive === true ? true : null });
    if (c.parent === null) continue;
    if (!known.has(c.parent)) throw new Error(`importGraph: code ${c.code} has unknown parent ${c.parent}`);
    parents.push({ code: c.code, parent: c.parent });
  }
  const names: NameRow[] = [];
  const nameOccurrences = new Map<string, number>();
  data.names.forEach((n, ord) => {
    // A name of a code the tree does not have could never be shown (as in the memory adapter).
    if (!known.has(n.code)) return;
    // A name repeated in the data is kept as often as it occurs (as in the memory store, where it
    // counts and weighs in search): the n-th copy's key gets `n` appended.
    const identity = keys.name(n);
    const occurrence = (nameOccurrences.get(identity) ?? 0) + 1;
    nameOccurrences.set(identity, occurrence);
    names.push({
      key: occurrence === 1 ? identity : `${identity}-${occurrence}`,
      code: n.code,
      text: n.text,
      normalized: n.normalized,
      source: n.source,
      lang: n.lang,
      cui: n.cui ?? null,
      sab: n.sab ?? null,
      count: n.count ?? null,
      ord,
    });
  });
  const corpora: CorpusRow[] = [];
  const documents: DocumentRow[] = [];
  const mentions: MentionRow[] = [];
  const assignments: AssignmentRow[] = [];
  for (const corpus of data.corpora) {
    corpora.push({ name: corpus.name });
    const ids = new Set<string>();
    for (const d of corpus.documents) {
      ids.add(d.id);
      documents.push(documentRow({ ...d, corpus: corpus.name }));
    }
    const merged = new Map<string, LayerAnnotations>();
    for (const a of corpus.layers) {
      if (!ids.has(a.documentId)) {
        throw new Error(`importGraph: layer ${a.layer} of corpus ${corpus.name} annotates unknown document ${a.documentId}`);
      }
      const k = `${a.layer}\u0000${a.documentId}`;
      const previous = merged.get(k);
      if (previous) {
        previous.mentions.push(...a.mentions);
        previous.codes.push(...a.codes);
      } else {
        merged.set(k, { documentId: a.documentId, layer: a.layer, mentions: [...a.mentions], codes: [...a.codes] });
      }
    }
    for (const a of merged.values()) {
      // A repeated id (RuCCoD: one T per code of a span) is another mention: its own key, in order.
      const seen = new Map<string, number>();
      for (const m of [...a.mentions].sort(compareMentions)) {
        const occurrence = (seen.get(m.id) ?? 0) + 1;
        seen.set(m.id, occurrence);
        mentions.push(mentionRow(corpus.name, a.documentId, a.layer, m, occurrence));
      }
      for (const code of [...new Set(a.codes)].sort()) {
        assignments.push({ documentKey: keys.document(corpus.name, a.documentId), layer: a.layer, code });
      }
    }
  }
  return { codes, parents, names, corpora, documents, mentions, assignments };
}
