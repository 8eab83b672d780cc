import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import type { Code, Name } from '../graph/model.js';
import { IngestError } from '../errors.js';
import { normalizeText } from '../text/normalizeText.js';
import { CATEGORY, SUBCATEGORY } from './inferIcdTree.js';
import { parseIcdRange } from './parseIcdRange.js';
import { foldWhitespace } from './foldWhitespace.js';
import { parseSimpleCsv } from './parseSimpleCsv.js';

/** A code of the МКБ-10 reference: the tree fields plus the reference's own. */
export interface NsiCode extends Code {
  /**
   * The reference's `ACTUAL` flag. Non-actual (withdrawn) codes are still loaded, flagged, so that
   * old records coded with them resolve; the merge decides what to keep.
   */
  actual: boolean;
  /** The reference's row `ID`. */
  id: number;
  /** The line of the CSV the code came from. */
  line: number;
}

/** The МКБ-10 reference as loaded. */
export interface Mkb10Nsi {
  codes: NsiCode[];
  /** One ICD_TITLE name per code. */
  names: Name[];
  sha256: string;
}

export const NSI_HEADER = ['ID', 'REC_CODE', 'MKB_CODE', 'MKB_NAME', 'ID_PARENT', 'ADDL_CODE', 'ACTUAL', 'DATE'];
const ROMAN = /^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$/;

interface Row {
  id: number;
  code: string;
  title: string;
  parentId: number | null;
  actual: boolean;
  line: number;
}

/**
 * Loads the Ministry of Health МКБ-10 reference (`mkb10-nsi/mkb10_v2.27.csv`: `;`-separated,
 * quoted, header `ID;REC_CODE;MKB_CODE;MKB_NAME;ID_PARENT;ADDL_CODE;ACTUAL;DATE`), read with
 * {@link parseSimpleCsv} when the file is in its plain subset (it is) and streamed through
 * `csv-parse` otherwise: the same records either way. The tree comes from the explicit `ID_PARENT`s.
 *
 * A chapter's `MKB_CODE` is its numeral (`IX`): its code becomes its range as RuCCoD writes it,
 * from the first to the last category of its blocks (`I00-I99`), and the numeral its `number`.
 *
 * Every row is validated before anything is returned; errors are `file:line: what`: a wrong
 * header, a column count other than 8, a non-numeric or duplicate `ID`, an unknown `ID_PARENT`,
 * a code of no ICD-10 shape, a duplicate code, an empty title, an `ACTUAL` other than 0 or 1, a
 * root that is not a numeral (or a numeral that is not a root), a chapter without blocks, a cycle.
 *
 * @example
 *   const nsi = await loadMkb10Nsi('/data/mkb10-nsi/mkb10_v2.27.csv', 'mkb10-nsi/mkb10_v2.27.csv');
 *   nsi.codes.find((c) => c.number === 'IX') // { code: 'I00-I99', kind: 'CHAPTER', depth: 0, ... }
 */
export async function loadMkb10Nsi(path: string, displayName: string = path): Promise<Mkb10Nsi> {
  // One read: the bytes are hashed and parsed from the same buffer.
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const records = parseSimpleCsv(bytes.toString('utf8'), ';');
  const rows = records ? readRecords(records, displayName) : await readWithCsvParse(path, displayName);
  return buildTree(rows, displayName, sha256);
}

/** Validates records in file order into rows; `line` follows the file's lines. */
class RecordReader {
  readonly rows: Row[] = [];
  private first = true;
  private line = 0;

  constructor(private readonly file: string) {}

  accept(fields: string[]): void {
    this.line += 1;
    const startLine = this.line;
    // One line per record plus the line breaks inside its quoted fields.
    for (const field of fields) for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) this.line += 1;
    if (fields.length === 1 && fields[0] === '') return;
    if (this.first) {
      this.first = false;
      if (fields.join(';') !== NSI_HEADER.join(';')) {
        throw new IngestError(this.file, startLine, `expected the header ${NSI_HEADER.join(';')}`);
      }
      return;
    }
    this.rows.push(readRow(fields, startLine, this.file));
  }

  finish(): Row[] {
    if (this.first) throw new IngestError(this.file, 1, 'the file is empty: expected a header');
    return this.rows;
  }
}

function readRecords(records: string[][], file: string): Row[] {
  const reader = new RecordReader(file);
  for (let i = 0; i < records.length; i++) reader.accept(records[i]!);
  return reader.finish();
}

/** Anything outside `parseSimpleCsv`'s subset is streamed through `csv-parse`, which decides. */
async function readWithCsvParse(path: string, file: string): Promise<Row[]> {
  const stream = createReadStream(path);
  // No `info: true`: it costs csv-parse two thirds of its speed; RecordReader counts lines instead.
  const parser = stream.pipe(parse({ delimiter: ';', bom: true, relax_column_count: true }));
  const reader = new RecordReader(file);
  try {
    for await (const fields of parser as AsyncIterable<string[]>) reader.accept(fields);
  } catch (error) {
    stream.destroy();
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : 0;
      throw new IngestError(file, line, `malformed CSV (${error.code})`);
    }
    throw error;
  }
  return reader.finish();
}

function readRow(fields: string[], line: number, file: string): Row {
  if (fields.length !== NSI_HEADER.length) {
    throw new IngestError(file, line, `expected ${NSI_HEADER.length} columns, found ${fields.length}`);
  }
  const id = fields[0]!.trim();
  const code = fields[2]!.trim();
  const title = fields[3]!.trim();
  const parentId = fields[4]!.trim();
  const actual = fields[6]!.trim();
  if (!/^\d+$/.test(id)) throw new IngestError(file, line, `ID "${id}" is not a number`);
  if (parentId !== '' && !/^\d+$/.test(parentId)) throw new IngestError(file, line, `ID_PARENT "${parentId}" is not a number`);
  if (actual !== '0' && actual !== '1') throw new IngestError(file, line, `ACTUAL must be 0 or 1, found "${actual}"`);
  const isRoman = ROMAN.test(code);
  if (!isRoman && !parseIcdRange(code) && !CATEGORY.test(code) && !SUBCATEGORY.test(code)) {
    throw new IngestError(file, line, `MKB_CODE "${code}" is not an ICD-10 chapter numeral, block, category or subcategory`);
  }
  if (isRoman !== (parentId === '')) {
    throw new IngestError(file, line, isRoman ? `chapter ${code} has a parent` : `code ${code} has no ID_PARENT`);
  }
  if (title === '') throw new IngestError(file, line, `code ${code} has an empty MKB_NAME`);
  return { id: Number(id), code, title: foldWhitespace(title), parentId: parentId === '' ? null : Number(parentId), actual: actual === '1', line };
}

function buildTree(rows: Row[], file: string, sha256: string): Mkb10Nsi {
  const byId = new Map<number, Row>();
  const byCode = new Map<string, Row>();
  for (const row of rows) {
    const dupId = byId.get(row.id);
    if (dupId) throw new IngestError(file, row.line, `duplicate ID ${row.id} (first at line ${dupId.line})`);
    const dupCode = byCode.get(row.code);
    if (dupCode) throw new IngestError(file, row.line, `duplicate MKB_CODE ${row.code} (first at line ${dupCode.line})`);
    byId.set(row.id, row);
    byCode.set(row.code, row);
  }
  // A chapter's range spans its blocks' ranges.
  const chapterRange = new Map<number, { from: string; to: string }>();
  for (const row of rows) {
    if (row.parentId === null) continue;
    const parent = byId.get(row.parentId);
    if (!parent) throw new IngestError(file, row.line, `ID_PARENT ${row.parentId} is not the ID of any row`);
    const range = parseIcdRange(row.code);
    if (parent.parentId === null && range) {
      const seen = chapterRange.get(parent.id);
      chapterRange.set(parent.id, {
        from: seen && seen.from < range.from ? seen.from : range.from,
        to: seen && seen.to > range.to ? seen.to : range.to,
      });
    }
  }
  const codeOf = new Map<number, string>();
  for (const row of rows) {
    if (row.parentId !== null) {
      codeOf.set(row.id, row.code);
      continue;
    }
    const range = chapterRange.get(row.id);
    if (!range) throw new IngestError(file, row.line, `chapter ${row.code} has no blocks to derive its range from`);
    codeOf.set(row.id, `${range.from}-${range.to}`);
  }
  const depths = new Map<number, number>();
  const depthOf = (row: Row): number => {
    const known = depths.get(row.id);
    if (known !== undefined) return known;
    let depth = 0;
    const path: Row[] = [];
    let at: Row = row;
    while (at.parentId !== null) {
      const cached = depths.get(at.id);
      if (cached !== undefined) {
        depth = cached;
        break;
      }
      if (path.includes(at)) throw new IngestError(file, row.line, `code ${row.code} is in a cycle of ID_PARENTs`);
      path.push(at);
      at = byId.get(at.parentId)!;
    }
    for (let i = path.length - 1; i >= 0; i--) depths.set(path[i]!.id, ++depth);
    return depths.get(row.id) ?? 0;
  };
  const codes = rows.map((row): NsiCode => {
    const code = codeOf.get(row.id)!;
    const kind = row.parentId === null ? 'CHAPTER' : parseIcdRange(code) ? 'BLOCK' : CATEGORY.test(code) ? 'CATEGORY' : 'SUBCATEGORY';
    return {
      code,
      title: row.title,
      kind,
      depth: depthOf(row),
      parent: row.parentId === null ? null : codeOf.get(row.parentId)!,
      number: row.parentId === null ? row.code : null,
      actual: row.actual,
      id: row.id,
      line: row.line,
    };
  });
  const chapterCodes = new Map<string, NsiCode>();
  for (const c of codes) {
    if (c.kind !== 'CHAPTER') continue;
    const clash = chapterCodes.get(c.code) ?? (byCode.has(c.code) ? codes.find((x) => x.code === c.code && x !== c) : undefined);
    if (clash) throw new IngestError(file, c.line, `chapter ${c.number}'s range ${c.code} is also the code at line ${clash.line}`);
    chapterCodes.set(c.code, c);
  }
  const names: Name[] = codes.map((c) => ({ code: c.code, text: c.title, normalized: normalizeText(c.title), source: 'ICD_TITLE', lang: 'ru' }));
  return { codes, names, sha256 };
}
