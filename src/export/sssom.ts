import { stringify } from 'csv-stringify/sync';
import YAML from 'yaml';
import { BadUserInputError } from '../errors.js';
import { compareLayers } from '../evaluation/layerEvaluation.js';
import type { GraphStore } from '../graph/GraphStore.js';
import { hierarchyRelation } from '../graph/hierarchyRelation.js';
import { codeBatches, requireCorpusLayer } from './readGraph.js';
import { CONCEPT_NAMESPACE } from './iri.js';

export interface SssomOptions {
  /** Mappings from the transitions `fromLayer -> layer` of this corpus; UMLS CUIs when absent. */
  corpus?: string | null;
  layer?: string | null;
  /** The source layer of the transitions (`original` by default). */
  fromLayer?: string | null;
}

/** The SSSOM columns written, in order (the four required ones first). */
export const SSSOM_COLUMNS = ['subject_id', 'subject_label', 'predicate_id', 'object_id', 'object_label', 'mapping_justification', 'confidence', 'subject_source', 'object_source', 'comment'] as const;

const CURIE_MAP = {
  MKB10: CONCEPT_NAMESPACE,
  UMLS: 'https://uts.nlm.nih.gov/uts/umls/concept/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  semapv: 'https://w3id.org/semapv/vocab/',
};

/** A CURIE's local part may not hold whitespace or tabs; codes do not, but check rather than assume. */
function curie(prefix: keyof typeof CURIE_MAP, local: string): string {
  if (/\s/.test(local)) throw new Error(`an identifier holds whitespace (${local.length} characters)`);
  return `${prefix}:${local}`;
}

/**
 * Mappings as SSSOM TSV (https://mapping-commons.github.io/sssom/): a `#`-commented YAML header
 * (curie_map, mapping_set_id, license, version = data version) and one row per mapping. With a
 * corpus and layer: one row per transition `fromLayer -> layer` (DESIGN §4), `predicate_id` from
 * the hierarchy relation (`skos:broadMatch` when the object is an ancestor of the subject,
 * `skos:narrowMatch` below it, `skos:relatedMatch` otherwise), `confidence` the transition's
 * share of the subject's replacements and the count in `comment`. Without: ICD-10 code ->
 * UMLS CUI (`skos:exactMatch`) for every UMLS name the store holds.
 *
 * @example for await (const chunk of sssomTsv(store, { corpus: 'ehr', layer: 'linked' })) out.write(chunk);
 */
export async function* sssomTsv(store: GraphStore, options: SssomOptions = {}): AsyncGenerator<string> {
  const info = await store.info();
  const version = info.dataVersion ?? 'unversioned';
  const transitions = Boolean(options.corpus && options.layer);
  const from = options.fromLayer ?? 'original';
  if (transitions) {
    await requireCorpusLayer(store, options.corpus!, options.layer!);
    await requireCorpusLayer(store, options.corpus!, from);
  }
  const header = {
    curie_map: CURIE_MAP,
    mapping_set_id: transitions
      ? `urn:icdkg:mapping-set:transitions/${encodeURIComponent(options.corpus!)}/${encodeURIComponent(from)}/${encodeURIComponent(options.layer!)}`
      : 'urn:icdkg:mapping-set:umls',
    mapping_set_version: version,
    mapping_set_title: transitions ? `МКБ-10 code transitions ${from} -> ${options.layer} in ${options.corpus}` : 'МКБ-10 codes to UMLS concepts',
    license: 'https://creativecommons.org/licenses/by/4.0/',
    mapping_date: new Date().toISOString().slice(0, 10),
  };
  const head = YAML.stringify(header).trimEnd().split('\n').map((l) => `# ${l}`).join('\n') + '\n' + stringify([SSSOM_COLUMNS as unknown as string[]], { delimiter: '\t' });

  if (transitions) {
    const { transitions: rows } = await compareLayers(store, { corpus: options.corpus!, a: from, b: options.layer! });
    const codes = [...new Set(rows.flatMap((r) => [r.from, r.to]))];
    const [found, ancestors] = await Promise.all([store.getCodes(codes), store.getAncestors(codes)]);
    const title = new Map(codes.map((c, i) => [c, found[i]?.title ?? '']));
    const chain = new Map(codes.map((c, i) => [c, [c, ...ancestors[i]!.map((a) => a.code)]]));
    const out = rows.map((r) => {
      const rel = hierarchyRelation(chain.get(r.from)!, chain.get(r.to)!);
      const predicate = rel.lca === r.to ? 'broadMatch' : rel.lca === r.from ? 'narrowMatch' : 'relatedMatch';
      return [curie('MKB10', r.from), title.get(r.from), `skos:${predicate}`, curie('MKB10', r.to), title.get(r.to), 'semapv:UnspecifiedMatching', Number(r.share.toFixed(6)), `layer:${from}`, `layer:${options.layer}`, `count=${r.count}`];
    });
    yield head;
    yield stringify(out, { delimiter: '\t' });
    return;
  }
  // UMLS mappings are few (one per code and CUI): gathered first, so that a store without UMLS
  // names is refused before anything is written.
  const out: (string | number)[][] = [];
  for await (const { codes, names } of codeBatches(store, true)) {
    codes.forEach((c, i) => {
      const cuis = new Set<string>();
      for (const n of names![i]!) if (n.source === 'UMLS' && n.cui) cuis.add(n.cui);
      for (const cui of [...cuis].sort()) out.push([curie('MKB10', c.code), c.title, 'skos:exactMatch', curie('UMLS', cui), '', 'semapv:ManualMappingCuration', 1, 'MKB10', 'UMLS', 'from UMLS MRCONSO']);
    });
  }
  if (out.length === 0) throw new BadUserInputError('No UMLS names are loaded: give --corpus and --layer for the mappings of layer transitions', { argumentName: 'corpus' });
  yield head;
  yield stringify(out, { delimiter: '\t' });
}
