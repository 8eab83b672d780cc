import type { Code, Name } from '../graph/model.js';
import { IngestError } from '../errors.js';
import { normalizeText } from '../text/normalizeText.js';
import { foldWhitespace } from './foldWhitespace.js';
import { inferIcdTree } from './inferIcdTree.js';
import type { IcdEntry } from './inferIcdTree.js';
import { readYamlMap } from './readYamlMap.js';

/** A dictionary key deliberately not turned into a code, and why. */
export interface SkippedEntry {
  key: string;
  line: number;
  reason: string;
}

/** The ICD-10 tree and titles read from one dictionary file. */
export interface IcdDictionary {
  codes: Code[];
  /** ICD_TITLE names (one per code), plus DICTIONARY names for aliases' differing titles. */
  names: Name[];
  /** How many `key: title` entries the file has (17,762 for RuCCoD's `mkb2descr.yaml`). */
  entries: number;
  skipped: SkippedEntry[];
  sha256: string;
}

/**
 * Keys of `mkb2descr.yaml` that are not ICD-10 codes. `'00'` ("codes for use when there is no
 * diagnosis") is a RuCCoD service entry: it has no place in the tree (no chapter contains it) and
 * no RuCCoD mention is linked to it, so it is skipped rather than invented a parent.
 */
const SERVICE_KEYS = new Set(['00']);

/** `H49-52`: a range whose end lost its letter; read as `H49-H52`. */
const SHORT_RANGE = /^([A-Z])(\d\d)-(\d\d)$/;

/**
 * A chapter's or block's title repeats its range at the end (`КИШЕЧНЫЕ ИНФЕКЦИИ (A00-A09)`,
 * `... (B99)`, even typos such as `(Q10-Q118)`). It is stripped: the code already says it, and the
 * bare title is what people write and what abbreviations expand to (`ИБС` ->
 * `ишемическая болезнь сердца` matches the block `I20-I25`). No name keeps the suffixed text: it
 * would only add the range's letters and digits to every search of the block.
 */
const RANGE_SUFFIX = /\s*\([A-Z]\d\d(?:-[A-Z]?\d{2,3})?\)\s*$/;

/**
 * Loads RuCCoD's ICD-10 dictionary (`ruccod/mkb2descr.yaml`, a YAML map `code: title`) and infers
 * its tree with {@link inferIcdTree}. The whole file is validated before anything is returned.
 *
 * Decisions on the real file's odd keys (each has a test):
 * - `'00'` is skipped (see {@link SERVICE_KEYS}) and reported in `skipped`;
 * - `H49-52` duplicates `H49-H52`: it is read as `H49-H52`; when that key exists too the odd one
 *   is dropped (reported in `skipped`) and its title, if it differs, is kept as a DICTIONARY name;
 * - codes with Latin `H`/`T` suffixes (`F13.50H`) next to the Cyrillic `Н`/`Т` ones
 *   (`F13.201Н`) are kept as written: they are distinct keys with distinct titles, and a code is
 *   an identifier, not text to correct;
 * - `F20.8**1`, `T08.+.0`, `S02.0.0` are subcategories; their parents are found by dropping
 *   characters (`F20.8**1` -> `F20.8`, `T08.+.0` -> `T08`, `S02.0.0` -> `S02.0`);
 * - single-category ranges (`B99-B99`) are blocks; nested ranges (`C00-C14` in `C00-C97`) are
 *   blocks under blocks;
 * - titles: whitespace folded to single spaces and the range suffix stripped (see RANGE_SUFFIX).
 *
 * @example
 *   const dict = await loadRuccodDictionary('/data/ruccod/mkb2descr.yaml', 'ruccod/mkb2descr.yaml');
 *   dict.codes.find((c) => c.code === 'I25.2') // { kind: 'SUBCATEGORY', parent: 'I25', depth: 3, ... }
 */
export async function loadRuccodDictionary(path: string, displayName: string = path): Promise<IcdDictionary> {
  const { entries, sha256 } = await readYamlMap(path, displayName);
  const keys = new Set(entries.map((e) => e.key));
  const skipped: SkippedEntry[] = [];
  const icdEntries: IcdEntry[] = [];
  const aliasTitles: Array<{ code: string; title: string }> = [];
  for (const { key, value, line } of entries) {
    const folded = foldWhitespace(value).trim();
    if (folded === '') throw new IngestError(displayName, line, `code ${key} has an empty title`);
    if (SERVICE_KEYS.has(key)) {
      skipped.push({ key, line, reason: 'service entry, not an ICD-10 code' });
      continue;
    }
    let code = key;
    const short = SHORT_RANGE.exec(key);
    if (short) {
      code = `${short[1]}${short[2]}-${short[1]}${short[3]}`;
      if (keys.has(code)) {
        skipped.push({ key, line, reason: `duplicate of ${code}` });
        aliasTitles.push({ code, title: cleanTitle(folded) });
        continue;
      }
    }
    icdEntries.push({ code, title: code.includes('-') ? cleanTitle(folded) : folded, line });
  }
  const codes = inferIcdTree(icdEntries, displayName);
  const names: Name[] = codes.map((c) => icdName(c.code, c.title, 'ICD_TITLE'));
  if (aliasTitles.length > 0) {
    // names[i] is codes[i]'s title, already normalised.
    const titles = new Map(codes.map((c, i) => [c.code, names[i]!.normalized]));
    for (const alias of aliasTitles) {
      if (titles.get(alias.code) !== normalizeText(alias.title)) names.push(icdName(alias.code, alias.title, 'DICTIONARY'));
    }
  }
  return { codes, names, entries: entries.length, skipped, sha256 };
}

function cleanTitle(title: string): string {
  const stripped = title.replace(RANGE_SUFFIX, '');
  return stripped === '' ? title : stripped;
}

function icdName(code: string, text: string, source: 'ICD_TITLE' | 'DICTIONARY'): Name {
  return { code, text, normalized: normalizeText(text), source, lang: 'ru' };
}
