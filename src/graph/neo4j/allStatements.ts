import { cypher } from './cypher.js';
import type { Statement } from './cypher.js';

/**
 * Every statement text the adapter can issue, each built once with example arguments of the right
 * types (one entry per fixed variant), so that the unit tests can lint all of them with Neo4j's own
 * Cypher linter and snapshot them with their parameters.
 *
 * @example for (const [name, s] of Object.entries(allStatements())) lintCypherQuery(s.text, schema);
 */
export function allStatements(): Record<string, Statement> {
  const mention = {
    key: 'k',
    documentKey: 'ruccod\u001f1',
    corpus: 'ruccod',
    documentId: '1',
    layer: 'gold',
    id: 'T1',
    start: 0,
    end: 5,
    text: 'слово',
    fragmentStarts: [0],
    fragmentEnds: [5],
    code: 'I25.2',
  };
  return {
    treeStamp: cypher.treeStamp(),
    allCodes: cypher.allCodes(),
    getNames: cypher.getNames(['I25'], ['ICD_TITLE']),
    searchNames: cypher.searchNames('ишемическ*', 200, null),
    nameIndexStamp: cypher.nameIndexStamp(),
    allNames: cypher.allNames(),
    listCorpora: cypher.listCorpora(),
    listDocuments: cypher.listDocuments('ruccod', 'train', null, 11),
    countDocuments: cypher.countDocuments('ruccod', null),
    getDocuments: cypher.getDocuments(['ruccod\u001f1']),
    listDocumentIds: cypher.listDocumentIds('ruccod', 'dev'),
    listLayers: cypher.listLayers('ruccod'),
    corpusLayers: cypher.corpusLayers(),
    corpusExists: cypher.corpusExists('ruccod'),
    documentTexts: cypher.documentTexts(['ruccod\u001f1']),
    getLayer: cypher.getLayer('gold', ['ruccod\u001f1']),
    mentionsOfCode: cypher.mentionsOfCode('I25', 'gold', null, false, 0, 11),
    mentionsOfCodeWithDescendants: cypher.mentionsOfCode('I20-I25', 'gold', 'ruccod', true, 10, 11),
    countMentionsOfCode: cypher.countMentionsOfCode('I25', 'gold', null, false),
    countMentionsOfCodeWithDescendants: cypher.countMentionsOfCode('I20-I25', 'gold', 'ruccod', true),
    codeFrequencies: cypher.codeFrequencies(['I25.2', 'I11.9'], 'original', 'ehr'),
    missingDocuments: cypher.missingDocuments(['ruccod\u001f1']),
    missingCodes: cypher.missingCodes(['I25.2']),
    mergeCorpora: cypher.mergeCorpora([{ name: 'ruccod' }]),
    mergeDocuments: cypher.mergeDocuments([
      { key: 'ruccod\u001f1', corpus: 'ruccod', id: '1', sortKey: '0000000011\u001f1', split: 'train', text: 'текст', patient: null, date: null, fields: null },
    ]),
    clearLayerMentions: cypher.clearLayerMentions('gold', ['ruccod\u001f1']),
    clearLayerAssignments: cypher.clearLayerAssignments('gold', ['ruccod\u001f1']),
    mergeMentions: cypher.mergeMentions([mention]),
    mergeAssignments: cypher.mergeAssignments([{ documentKey: 'ehr\u001f1', layer: 'original', code: 'I25.2' }]),
    deleteLayerMentions: cypher.deleteLayerMentions('ruccod', 'system:x'),
    deleteLayerAssignments: cypher.deleteLayerAssignments('ruccod', 'system:x'),
    clearDocumentAnnotations: cypher.clearDocumentAnnotations(['ruccod\u001f2']),
    deleteDocuments: cypher.deleteDocuments(['ruccod\u001f2']),
    deleteCorpus: cypher.deleteCorpus('scratch'),
    mergeCodes: cypher.mergeCodes([{ code: 'I25', title: 'Хроническая ишемическая болезнь сердца', kind: 'CATEGORY', depth: 2, number: null, inactive: null }]),
    mergeParents: cypher.mergeParents([{ code: 'I25', parent: 'I20-I25' }]),
    mergeNames: cypher.mergeNames([
      { key: 'h', code: 'I25', text: 'ИБС', normalized: 'ибс', source: 'ABBREVIATION', lang: 'ru', cui: null, sab: null, count: null, ord: 0 },
    ]),
    beginImport: cypher.beginImport('v1'),
    completeImport: cypher.completeImport('v1', '[]', false),
    meta: cypher.meta(),
    counts: cypher.counts(),
    awaitIndexes: cypher.awaitIndexes(300),
  };
}
