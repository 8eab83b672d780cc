import { DataFactory, Writer } from 'n3';
import type { Quad } from 'n3';
import type { GraphStore } from '../graph/GraphStore.js';
import { codeBatches } from './readGraph.js';
import { conceptIri, CONCEPT_NAMESPACE, SCHEME_IRI } from './iri.js';

const { namedNode, literal, quad, blankNode } = DataFactory;

const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const SKOSXL = 'http://www.w3.org/2008/05/skos-xl#';
const DCT = 'http://purl.org/dc/terms/';
const RDF_TYPE = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');
const OWL_VERSION = namedNode('http://www.w3.org/2002/07/owl#versionInfo');
const OWL_DEPRECATED = namedNode('http://www.w3.org/2002/07/owl#deprecated');
const PREFIXES = { rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', skos: SKOS, skosxl: SKOSXL, dct: DCT, owl: 'http://www.w3.org/2002/07/owl#', mkb10: CONCEPT_NAMESPACE };
const s = (local: string) => namedNode(SKOS + local);

/**
 * The ICD-10 tree as SKOS in Turtle, streamed in chunks: one `skos:ConceptScheme` (the chapters
 * its top concepts); each code a `skos:Concept` with `skos:notation`, one `skos:prefLabel` (its
 * title, Russian), a `skos:altLabel` per other name in its language, with the name's source kept
 * on a SKOS-XL label (`skosxl:altLabel [ skosxl:literalForm ...; dct:source "DICTIONARY" ]`), and
 * `skos:broader` / `skos:narrower` along PARENT edges; a code the МКБ-10 reference withdrew is
 * `owl:deprecated true`. Written by N3.js's Writer (escaping,
 * prefixes), batch by batch.
 *
 * @example for await (const chunk of skosTurtle(store)) out.write(chunk);
 */
export async function* skosTurtle(store: GraphStore): AsyncGenerator<string> {
  const writer = new Writer({ prefixes: PREFIXES });
  const info = await store.info();
  let header = Object.entries(PREFIXES).map(([p, iri]) => `@prefix ${p}: <${iri}> .`).join('\n') + '\n\n';
  const scheme = namedNode(SCHEME_IRI);
  const schemeQuads: Quad[] = [
    quad(scheme, RDF_TYPE, s('ConceptScheme')),
    quad(scheme, s('prefLabel'), literal('МКБ-10', 'ru')),
    quad(scheme, namedNode(`${DCT}title`), literal('International Statistical Classification of Diseases, 10th revision (Russian edition, МКБ-10)', 'en')),
  ];
  if (info.dataVersion) schemeQuads.push(quad(scheme, OWL_VERSION, literal(info.dataVersion)));
  for (const chapter of await store.chapters()) schemeQuads.push(quad(scheme, s('hasTopConcept'), namedNode(conceptIri(chapter.code))));
  header += writer.quadsToString(schemeQuads);
  yield header;

  let label = 0;
  for await (const { codes, names } of codeBatches(store, true)) {
    const quads: Quad[] = [];
    codes.forEach((code, i) => {
      const c = namedNode(conceptIri(code.code));
      quads.push(quad(c, RDF_TYPE, s('Concept')), quad(c, s('inScheme'), scheme), quad(c, s('notation'), literal(code.code)), quad(c, s('prefLabel'), literal(code.title, 'ru')));
      if (code.inactive) quads.push(quad(c, OWL_DEPRECATED, literal('true', namedNode('http://www.w3.org/2001/XMLSchema#boolean'))));
      if (code.parent === null) quads.push(quad(c, s('topConceptOf'), scheme));
      else {
        const parent = namedNode(conceptIri(code.parent));
        quads.push(quad(c, s('broader'), parent), quad(parent, s('narrower'), c));
      }
      const seen = new Set<string>([`ru\u0000${code.title}`]);
      for (const name of names![i]!) {
        // The title is the prefLabel; the same text from another source is not repeated as an altLabel.
        const key = `${name.lang}\u0000${name.text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const text = literal(name.text, name.lang);
        const xl = blankNode(`l${label++}`);
        quads.push(
          quad(c, s('altLabel'), text),
          quad(c, namedNode(`${SKOSXL}altLabel`), xl),
          quad(xl, RDF_TYPE, namedNode(`${SKOSXL}Label`)),
          quad(xl, namedNode(`${SKOSXL}literalForm`), text),
          quad(xl, namedNode(`${DCT}source`), literal(name.source)),
        );
      }
    });
    yield writer.quadsToString(quads);
  }
}
