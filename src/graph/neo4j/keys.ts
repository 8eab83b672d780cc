import { createHash } from 'node:crypto';
import type { Name } from '../model.js';

/**
 * Separator of the parts of a composite key. A control character, so that no corpus name,
 * document id or layer name (all of which may contain `/`, `:` or spaces) can forge another key.
 */
const SEP = '\u001f';

/**
 * Identity keys of the graph's nodes, computed in one place so that the importer, the writes and
 * the reads agree. Community Edition has no node keys (composite uniqueness needs Enterprise), so
 * composite identities are stored as one `key` property with a uniqueness constraint.
 *
 * @example keys.document('ruccod', '12') === 'ruccod\u001f12'
 */
export const keys = {
  /** `Document.key`: corpus and id. */
  document(corpus: string, id: string): string {
    return `${corpus}${SEP}${id}`;
  },
  /**
   * `Mention.key`: corpus, document id, layer and the annotation id within the document's layer;
   * the n-th (n >= 2) mention of an imported layer that repeats an id gets `n` appended (RuCCoD
   * repeats a T id for each code of a span: both are mentions, as in the memory store).
   */
  mention(corpus: string, documentId: string, layer: string, mentionId: string, occurrence = 1): string {
    return `${corpus}${SEP}${documentId}${SEP}${layer}${SEP}${mentionId}${occurrence > 1 ? `${SEP}${occurrence}` : ''}`;
  },
  /**
   * `Name.key`: a hash of everything that makes a name distinct (code, source, language, text,
   * UMLS concept and vocabulary), so that re-importing the same names merges onto the same nodes.
   */
  name(name: Pick<Name, 'code' | 'source' | 'lang' | 'text' | 'cui' | 'sab'>): string {
    const identity = JSON.stringify([name.code, name.source, name.lang, name.text, name.cui ?? null, name.sab ?? null]);
    return createHash('sha256').update(identity).digest('hex').slice(0, 32);
  },
  /**
   * `Document.sortKey`: a string whose code-unit order is the documents' order: numeric ids
   * numerically (`2` before `10`) and before other ids, which follow in code-unit order. Cypher
   * cannot compare `toInteger` of mixed ids cheaply, so the order is precomputed on write.
   */
  documentSort(id: string): string {
    if (/^[0-9]+$/.test(id)) {
      const digits = id.replace(/^0+(?=.)/, '');
      // Length first: a longer number (without leading zeros) is larger. Ties keep the raw id.
      return `0${String(digits.length).padStart(6, '0')}${digits}${SEP}${id}`;
    }
    return `1${id}`;
  },
};
