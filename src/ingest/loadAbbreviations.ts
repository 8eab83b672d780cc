import type { Name } from '../graph/model.js';
import { IngestError } from '../errors.js';
import { normalizeText } from '../text/normalizeText.js';
import { foldWhitespace } from './foldWhitespace.js';
import { readYamlMap } from './readYamlMap.js';

/** RuCCoD's abbreviation dictionary as loaded. */
export interface Abbreviations {
  /**
   * Abbreviation (as written, `ИБС`) -> its expansions (`['ишемическая болезнь сердца']`). The file
   * gives one expansion per abbreviation; the list leaves room for sources that give several.
   * The coding pipeline's normaliser expands abbreviations with it.
   */
  expansions: Map<string, string[]>;
  /** ABBREVIATION names: the abbreviation, on every code whose title an expansion matches. */
  names: Name[];
  sha256: string;
}

/**
 * Loads RuCCoD's abbreviations (`ruccod/abbr2term.yaml`, a YAML map `abbreviation: expansion`,
 * 4,506 entries) and links them to codes.
 *
 * An expansion is a term, not a code: it becomes an ABBREVIATION name of every code one of whose
 * ICD_TITLE or DICTIONARY names has exactly the same normalised text (`normalizeText`). Most
 * expansions are inflected (`аневризмами абдоминальной аорты`) or not diagnoses at all
 * (`антибиотикотерапию`) and match no title: they stay in `expansions` only, for the normaliser.
 *
 * Errors (`file:line: what`): anything {@link readYamlMap} rejects, an empty abbreviation or
 * expansion. Nothing is returned from a file with an error.
 *
 * @example
 *   const abbr = await loadAbbreviations('/data/ruccod/abbr2term.yaml', icd.names);
 *   abbr.expansions.get('ИБС') // ['ишемическая болезнь сердца']
 *   abbr.names // [{ code: 'I20-I25', text: 'ИБС', normalized: 'ибс', source: 'ABBREVIATION', lang: 'ru' }, ...]
 */
export async function loadAbbreviations(
  path: string,
  icdNames: readonly Name[],
  displayName: string = path,
): Promise<Abbreviations> {
  const { entries, sha256 } = await readYamlMap(path, displayName);
  const expansions = new Map<string, string[]>();
  for (const { key, value, line } of entries) {
    const abbreviation = key.trim();
    const expansion = foldWhitespace(value).trim();
    if (abbreviation === '') throw new IngestError(displayName, line, 'empty abbreviation');
    if (expansion === '') throw new IngestError(displayName, line, `abbreviation "${abbreviation}" has an empty expansion`);
    const list = expansions.get(abbreviation);
    if (list) list.push(expansion);
    else expansions.set(abbreviation, [expansion]);
  }
  const codesByTitle = new Map<string, Set<string>>();
  for (const name of icdNames) {
    if (name.source !== 'ICD_TITLE' && name.source !== 'DICTIONARY') continue;
    let codes = codesByTitle.get(name.normalized);
    if (!codes) codesByTitle.set(name.normalized, (codes = new Set()));
    codes.add(name.code);
  }
  const names: Name[] = [];
  for (const [abbreviation, list] of expansions) {
    const codes = new Set<string>();
    for (const expansion of list) for (const code of codesByTitle.get(normalizeText(expansion)) ?? []) codes.add(code);
    const normalized = normalizeText(abbreviation);
    for (const code of codes) names.push({ code, text: abbreviation, normalized, source: 'ABBREVIATION', lang: 'ru' });
  }
  return { expansions, names, sha256 };
}
