import type { Document, Fragment, LayerAnnotations, Mention } from '../model.js';
import type { WriteRecord } from './writeRecord.js';
import { BadUserInputError } from '../../errors.js';

/** What validation needs to know about the store's current state. */
export interface WriteView {
  hasCode(code: string): boolean;
  hasCorpus(corpus: string): boolean;
  /** The stored document's text length, or null when the document does not exist. */
  documentTextLength(corpus: string, id: string): number | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_NAME_LENGTH = 200;

function fail(where: string, what: string): never {
  throw new BadUserInputError(`${where}: ${what}`, { where });
}

function checkName(where: string, kind: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(value)) {
    fail(where, `${kind} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters without control characters, got ${describe(value)}`);
  }
  return value;
}

/** Describes a value for an error message without echoing long (possibly clinical) text. */
function describe(value: unknown): string {
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : `a string of ${value.length} characters`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

function isValidDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function normalizeDocument(corpus: string, doc: unknown, where: string): Document {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fail(where, `a document must be an object, got ${describe(doc)}`);
  const d = doc as Partial<Document>;
  const id = checkName(`${where}.id`, 'a document id', d.id);
  if (d.corpus !== undefined && d.corpus !== corpus) fail(`${where}.corpus`, `is ${describe(d.corpus)} but the documents are written to corpus ${JSON.stringify(corpus)}`);
  const split = checkName(`${where}.split`, 'a split', d.split);
  if (typeof d.text !== 'string') fail(`${where}.text`, `must be a string, got ${describe(d.text)}`);
  if (d.patient !== undefined && d.patient !== null && (typeof d.patient !== 'string' || d.patient === '')) {
    fail(`${where}.patient`, `must be a non-empty string or null, got ${describe(d.patient)}`);
  }
  if (d.date !== undefined && d.date !== null && (typeof d.date !== 'string' || !isValidDate(d.date))) {
    fail(`${where}.date`, `must be an ISO date YYYY-MM-DD or null, got ${describe(d.date)}`);
  }
  const out: Document = { corpus, id, split, text: d.text, patient: d.patient ?? null, date: d.date ?? null };
  if (d.fields !== undefined) {
    if (d.fields === null || typeof d.fields !== 'object' || Array.isArray(d.fields)) fail(`${where}.fields`, `must be an object, got ${describe(d.fields)}`);
    const fields: Record<string, string | number | null> = {};
    for (const [key, value] of Object.entries(d.fields)) {
      if (value !== null && typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
        fail(`${where}.fields.${key}`, `must be a string, a finite number or null, got ${describe(value)}`);
      }
      fields[key] = value;
    }
    out.fields = fields;
  }
  return out;
}

function normalizeMention(view: WriteView, raw: unknown, textLength: number, where: string): Mention {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, `a mention must be an object, got ${describe(raw)}`);
  const m = raw as Partial<Mention>;
  const id = checkName(`${where}.id`, 'a mention id', m.id);
  if (!Array.isArray(m.fragments) || m.fragments.length === 0) fail(`${where}.fragments`, 'must be a non-empty array of {start, end}');
  const fragments: Fragment[] = [];
  let previousEnd = -1;
  m.fragments.forEach((f: Partial<Fragment> | null, k) => {
    const fw = `${where}.fragments[${k}]`;
    if (f === null || typeof f !== 'object') fail(fw, `must be {start, end}, got ${describe(f)}`);
    const { start, end } = f;
    if (!Number.isInteger(start) || !Number.isInteger(end)) fail(fw, `start and end must be integers, got ${describe(start)} and ${describe(end)}`);
    const s = start as number;
    const e = end as number;
    if (s < 0 || e > textLength || s >= e) fail(fw, `[${s}, ${e}) is not a non-empty range inside the document's text of length ${textLength}`);
    if (s < previousEnd) fail(fw, `starts at ${s}, before the previous fragment ends (${previousEnd}); fragments must be in order and not overlap`);
    previousEnd = e;
    fragments.push({ start: s, end: e });
  });
  const start = fragments[0]!.start;
  const end = fragments[fragments.length - 1]!.end;
  if (m.start !== undefined && m.start !== start) fail(`${where}.start`, `is ${describe(m.start)} but the first fragment starts at ${start}`);
  if (m.end !== undefined && m.end !== end) fail(`${where}.end`, `is ${describe(m.end)} but the last fragment ends at ${end}`);
  if (typeof m.text !== 'string') fail(`${where}.text`, `must be a string, got ${describe(m.text)}`);
  const code = m.code ?? null;
  if (code !== null && (typeof code !== 'string' || !view.hasCode(code))) fail(`${where}.code`, `unknown ICD-10 code ${describe(code)}`);
  return { id, fragments, start, end, text: m.text, code };
}

/** Mentions in document order: by start, then end, then id. */
export function compareMentions(a: Mention, b: Mention): number {
  return a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function normalizeAnnotations(view: WriteView, corpus: string, layer: string, raw: unknown, where: string): LayerAnnotations {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, `annotations must be an object, got ${describe(raw)}`);
  const a = raw as Partial<LayerAnnotations>;
  const documentId = checkName(`${where}.documentId`, 'a document id', a.documentId);
  if (a.layer !== undefined && a.layer !== layer) fail(`${where}.layer`, `is ${describe(a.layer)} but the call writes layer ${JSON.stringify(layer)}`);
  const textLength = view.documentTextLength(corpus, documentId);
  if (textLength === null) fail(`${where}.documentId`, `document ${JSON.stringify(documentId)} does not exist in corpus ${JSON.stringify(corpus)}`);
  const rawMentions = a.mentions ?? [];
  if (!Array.isArray(rawMentions)) fail(`${where}.mentions`, 'must be an array');
  const seen = new Set<string>();
  const mentions = rawMentions.map((m, k) => {
    const mention = normalizeMention(view, m, textLength, `${where}.mentions[${k}]`);
    if (seen.has(mention.id)) fail(`${where}.mentions[${k}].id`, `duplicate mention id ${JSON.stringify(mention.id)} in document ${JSON.stringify(documentId)}`);
    seen.add(mention.id);
    return mention;
  });
  mentions.sort(compareMentions);
  const rawCodes = a.codes ?? [];
  if (!Array.isArray(rawCodes)) fail(`${where}.codes`, 'must be an array of codes');
  rawCodes.forEach((code, k) => {
    if (typeof code !== 'string' || !view.hasCode(code)) fail(`${where}.codes[${k}]`, `unknown ICD-10 code ${describe(code)}`);
  });
  const codes = [...new Set(rawCodes as string[])].sort();
  return { documentId, layer, mentions, codes };
}

/**
 * Validates one write against the store's state and returns it normalised (documents with every
 * field, mentions sorted with `start`/`end` derived from their fragments, codes deduplicated and
 * sorted), or throws a `BadUserInputError` naming the bad value and where it is
 * (`putLayer.annotations[2].mentions[0].code: unknown ICD-10 code "X99.9"`). Changes nothing.
 *
 * Mention texts are not compared with the document text: writers may store normalised strings.
 *
 * @example validateWrite({ type: 'deleteLayer', corpus: 'ruccod', layer: 'gold' }, view)
 */
export function validateWrite(record: WriteRecord, view: WriteView): WriteRecord {
  const where = record.type;
  const corpus = checkName(`${where}.corpus`, 'a corpus name', record.corpus);
  switch (record.type) {
    case 'putDocuments': {
      if (!Array.isArray(record.documents)) fail(`${where}.documents`, 'must be an array');
      const seen = new Set<string>();
      const documents = record.documents.map((doc, i) => {
        const d = normalizeDocument(corpus, doc, `${where}.documents[${i}]`);
        if (seen.has(d.id)) fail(`${where}.documents[${i}].id`, `duplicate document id ${JSON.stringify(d.id)} in one call`);
        seen.add(d.id);
        return d;
      });
      return { type: 'putDocuments', corpus, documents };
    }
    case 'putLayer': {
      const layer = checkName(`${where}.layer`, 'a layer name', record.layer);
      if (!view.hasCorpus(corpus)) fail(`${where}.corpus`, `corpus ${JSON.stringify(corpus)} does not exist`);
      if (!Array.isArray(record.annotations)) fail(`${where}.annotations`, 'must be an array');
      const seen = new Set<string>();
      const annotations = record.annotations.map((raw, i) => {
        const a = normalizeAnnotations(view, corpus, layer, raw, `${where}.annotations[${i}]`);
        if (seen.has(a.documentId)) fail(`${where}.annotations[${i}].documentId`, `document ${JSON.stringify(a.documentId)} appears twice in one call`);
        seen.add(a.documentId);
        return a;
      });
      return { type: 'putLayer', corpus, layer, annotations };
    }
    case 'deleteLayer': {
      const layer = checkName(`${where}.layer`, 'a layer name', record.layer);
      if (!view.hasCorpus(corpus)) fail(`${where}.corpus`, `corpus ${JSON.stringify(corpus)} does not exist`);
      return { type: 'deleteLayer', corpus, layer };
    }
    case 'deleteDocuments': {
      if (!view.hasCorpus(corpus)) fail(`${where}.corpus`, `corpus ${JSON.stringify(corpus)} does not exist`);
      if (!Array.isArray(record.documentIds)) fail(`${where}.documentIds`, 'must be an array');
      const seen = new Set<string>();
      const documentIds = record.documentIds.map((id, i) => {
        if (typeof id !== 'string' || id === '') fail(`${where}.documentIds[${i}]`, 'must be a non-empty string');
        if (seen.has(id)) fail(`${where}.documentIds[${i}]`, `document ${JSON.stringify(id)} appears twice in one call`);
        if (view.documentTextLength(corpus, id) === null) fail(`${where}.documentIds[${i}]`, `no document ${JSON.stringify(id)} in corpus ${JSON.stringify(corpus)}`);
        seen.add(id);
        return id;
      });
      return { type: 'deleteDocuments', corpus, documentIds };
    }
    case 'deleteCorpus': {
      if (!view.hasCorpus(corpus)) fail(`${where}.corpus`, `corpus ${JSON.stringify(corpus)} does not exist`);
      return { type: 'deleteCorpus', corpus };
    }
    default: {
      const type: unknown = (record as { type?: unknown }).type;
      throw new BadUserInputError(`unknown write ${describe(type)}`);
    }
  }
}

/** What a batch's earlier writes did to one corpus, as later writes of the batch must see it. */
interface StagedCorpus {
  exists: boolean;
  /** A `deleteCorpus` of the batch removed the stored documents. */
  storedGone: boolean;
  /** Document id -> text length after the earlier writes (null: deleted). */
  documents: Map<string, number | null>;
}

/**
 * Validates writes that are to take effect together (`GraphStore.applyWrites`), each against the
 * state the earlier ones leave, and returns them normalised; changes nothing. The first problem is
 * a `BadUserInputError` whose path starts with the write's index (`writes[2].putLayer...`).
 * Writes that do nothing (no documents, no annotations, no ids) are left out.
 *
 * @example validateWrites([{ type: 'putDocuments', corpus: 'c', documents }, { type: 'putLayer', corpus: 'c', layer: 'gold', annotations }], view)
 */
export function validateWrites(records: readonly WriteRecord[], view: WriteView): WriteRecord[] {
  if (!Array.isArray(records)) throw new BadUserInputError('writes: must be an array', { where: 'writes' });
  const staged = new Map<string, StagedCorpus>();
  const stagedOf = (corpus: string): StagedCorpus => {
    let s = staged.get(corpus);
    if (!s) staged.set(corpus, (s = { exists: view.hasCorpus(corpus), storedGone: false, documents: new Map() }));
    return s;
  };
  const stagedView: WriteView = {
    hasCode: (code) => view.hasCode(code),
    hasCorpus: (corpus) => staged.get(corpus)?.exists ?? view.hasCorpus(corpus),
    documentTextLength: (corpus, id) => {
      const s = staged.get(corpus);
      if (!s) return view.documentTextLength(corpus, id);
      if (s.documents.has(id)) return s.documents.get(id)!;
      return s.storedGone ? null : view.documentTextLength(corpus, id);
    },
  };
  const out: WriteRecord[] = [];
  records.forEach((raw, i) => {
    let record: WriteRecord;
    try {
      record = validateWrite(raw, stagedView);
    } catch (error) {
      if (error instanceof BadUserInputError) {
        const where = typeof error.extensions.where === 'string' ? `writes[${i}].${error.extensions.where}` : `writes[${i}]`;
        throw new BadUserInputError(`writes[${i}].${error.message}`, { where });
      }
      throw error;
    }
    const s = stagedOf(record.corpus);
    switch (record.type) {
      case 'putDocuments':
        if (record.documents.length === 0) return;
        s.exists = true;
        for (const d of record.documents) s.documents.set(d.id, d.text.length);
        break;
      case 'deleteDocuments':
        if (record.documentIds.length === 0) return;
        for (const id of record.documentIds) s.documents.set(id, null);
        break;
      case 'deleteCorpus':
        s.exists = false;
        s.storedGone = true;
        s.documents.clear();
        break;
      case 'putLayer':
        if (record.annotations.length === 0) return;
        break;
      case 'deleteLayer':
        break;
    }
    out.push(record);
  });
  return out;
}
