import type { Name } from '../graph/model.js';
import { IngestError } from '../errors.js';
import { normalizeText } from '../text/normalizeText.js';
import { readLines } from './readLines.js';

/** Options of {@link loadMrconso}. */
export interface LoadMrconsoOptions {
  /** Source vocabularies whose rows map CUIs to ICD-10 codes (`ICD10`). */
  icdSabs?: readonly string[];
  /** Languages whose rows become names (`RUS`). */
  languages?: readonly string[];
  displayName?: string;
}

/** UMLS names of the ICD-10 codes, from MRCONSO. */
export interface UmlsNames {
  names: Name[];
  sha256: string;
}

const COLUMNS = 18;
const CUI = /^C\d{7}$/;

/**
 * Reads UMLS `MRCONSO.RRF` (pipe-separated, 18 columns and a trailing `|`:
 * `CUI|LAT|TS|LUI|STT|SUI|ISPREF|AUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|`) in one
 * streamed pass, buffering only the rows that matter: the Russian rows (`LAT=RUS`) become UMLS
 * names (with their CUI and SAB, `lang: 'ru'`) of every ICD-10 code sharing their CUI, found
 * through the `SAB=ICD10` rows. Only codes in `knownCodes` (the tree) get names; a name is given
 * once per code, text and source vocabulary.
 *
 * Errors (`file:line: what`): a line with a column count other than 18, a CUI that is not
 * `C` + 7 digits, an empty CODE in an ICD-10 row or an empty STR in a Russian row. Nothing is
 * returned from a file with an error.
 *
 * @example
 *   const { names } = await loadMrconso('/umls/MRCONSO.RRF', new Set(['I25.2']));
 *   // [{ code: 'I25.2', text: 'Старый инфаркт миокарда', source: 'UMLS', cui: 'C0155668', sab: 'MSHRUS', ... }]
 */
export async function loadMrconso(
  path: string,
  knownCodes: ReadonlySet<string>,
  options: LoadMrconsoOptions = {},
): Promise<UmlsNames> {
  const file = options.displayName ?? path;
  const icdSabs = new Set(options.icdSabs ?? ['ICD10']);
  const languages = new Set(options.languages ?? ['RUS']);
  const codesByCui = new Map<string, Set<string>>();
  const russian: Array<{ cui: string; text: string; sab: string }> = [];
  const { sha256 } = await readLines(path, (line, n) => {
    if (line === '') return;
    const fields = line.split('|');
    // Each row ends with `|`, so splitting gives one empty field more than there are columns.
    if (fields.length !== COLUMNS + 1 || fields[COLUMNS] !== '') {
      throw new IngestError(file, n, `expected ${COLUMNS} |-terminated columns, found ${fields.length - 1}`);
    }
    const cui = fields[0]!;
    if (!CUI.test(cui)) throw new IngestError(file, n, `CUI "${cui}" is not C followed by 7 digits`);
    const sab = fields[11]!;
    if (icdSabs.has(sab)) {
      const code = fields[13]!.trim();
      if (code === '') throw new IngestError(file, n, `${sab} row of ${cui} has no CODE`);
      if (knownCodes.has(code)) {
        let codes = codesByCui.get(cui);
        if (!codes) codesByCui.set(cui, (codes = new Set()));
        codes.add(code);
      }
    }
    if (languages.has(fields[1]!)) {
      const text = fields[14]!.trim();
      if (text === '') throw new IngestError(file, n, `${fields[1]} row of ${cui} has an empty STR`);
      russian.push({ cui, text, sab });
    }
  });
  const names: Name[] = [];
  const seen = new Set<string>();
  for (const row of russian) {
    for (const code of codesByCui.get(row.cui) ?? []) {
      const key = `${code}\u0000${row.text}\u0000${row.sab}`;
      if (seen.has(key)) continue;
      seen.add(key);
      names.push({ code, text: row.text, normalized: normalizeText(row.text), source: 'UMLS', lang: 'ru', cui: row.cui, sab: row.sab });
    }
  }
  return { names, sha256 };
}
