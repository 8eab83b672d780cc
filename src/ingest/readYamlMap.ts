import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { IngestError } from '../errors.js';
import { readLines } from './readLines.js';

/** One `key: value` pair of a YAML map, with the line its key is on. */
export interface YamlEntry {
  key: string;
  value: string;
  line: number;
}

/** A YAML map read by {@link readYamlMap}, in file order. */
export interface YamlMap {
  entries: YamlEntry[];
  sha256: string;
}

/** The fast path met something outside its subset; the `yaml` package takes over. */
class OutsideSubset extends Error {}

// Characters that may not start a plain scalar in YAML (c-indicator); we leave those to `yaml`.
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);
const QUOTED_KEY = /^'((?:[^']|'')*)'[ \t]*:(?=[ \t]|$)/;

/**
 * Reads a flat YAML map of strings (`code: title`, `abbreviation: expansion`), such as RuCCoD's
 * `mkb2descr.yaml` and `abbr2term.yaml`, as strings only (YAML's failsafe schema: `00` stays
 * `'00'`, `.NaN` stays `'.NaN'`: these files hold text, never numbers).
 *
 * Why not just `yaml.parse`: on the 2.2 MB dictionary it takes ~2 s, more than the whole start-up
 * budget. So the file is streamed line by line through a fast reader of the subset these files
 * use: top-level `key: value` lines (keys plain or single-quoted; values plain or single-quoted),
 * values folded over indented continuation lines (joined by one space, as YAML folds them),
 * comments and blank lines between entries. The first line outside that subset (block scalars, flow collections,
 * double quotes, anchors, ...) hands the whole text to the `yaml` package, which then decides:
 * the result is the same either way (a full-data test compares both on the real files).
 *
 * Errors are {@link IngestError}s `file:line: what`; duplicate keys are errors.
 *
 * @example
 *   const { entries } = await readYamlMap('ruccod/mkb2descr.yaml');
 *   // entries[0] -> { key: '00', value: 'Коды для использования ...', line: 1 }
 */
export async function readYamlMap(path: string, displayName: string = path): Promise<YamlMap> {
  const lines: string[] = [];
  const { sha256 } = await readLines(path, (line) => lines.push(line));
  let entries: YamlEntry[];
  try {
    entries = readSubset(lines);
  } catch (error) {
    if (!(error instanceof OutsideSubset)) throw error;
    entries = readWithYamlPackage(lines.join('\n'), displayName);
  }
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const first = seen.get(entry.key);
    if (first !== undefined) {
      throw new IngestError(displayName, entry.line, `duplicate key "${entry.key}" (first at line ${first})`);
    }
    seen.set(entry.key, entry.line);
  }
  return { entries, sha256 };
}

function readSubset(lines: string[]): YamlEntry[] {
  const entries: YamlEntry[] = [];
  let current: YamlEntry | null = null;
  let canContinue = false;
  // An open single-quoted value: its lines so far (YAML folds them with one space).
  let quotedParts: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (quotedParts) {
      // Inside quotes every line is text; an empty one would fold to a newline: left to `yaml`.
      if (!/^[ \t]/.test(line) || line.trim() === '') throw new OutsideSubset();
      const scan = scanQuoted(line.trimStart());
      if (scan.closedAt === -1) {
        quotedParts.push(scan.content.trimEnd());
        continue;
      }
      quotedParts.push(scan.content);
      current!.value = quotedParts.join(' ');
      quotedParts = null;
      if (!isEndOfValue(line.trimStart().slice(scan.closedAt + 1))) throw new OutsideSubset();
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      // A blank or comment line inside a multi-line plain scalar changes its folding; rare, so
      // a continuation after one is left to the full parser.
      canContinue = false;
      continue;
    }
    if (line.startsWith(' ')) {
      if (!current || !canContinue || !isPlainText(trimmed)) throw new OutsideSubset();
      current.value += ` ${trimmed}`;
      continue;
    }
    if (line.startsWith('\t') || line.startsWith('---') || line.startsWith('...')) throw new OutsideSubset();
    let key: string;
    let rest: string;
    const quoted = QUOTED_KEY.exec(line);
    if (quoted) {
      key = quoted[1]!.replace(/''/g, "'");
      rest = line.slice(quoted[0].length);
    } else {
      const colon = mappingColon(line);
      if (colon <= 0) throw new OutsideSubset();
      key = line.slice(0, colon).trimEnd();
      rest = line.slice(colon + 1);
      if (INDICATORS.has(key[0]!) || !isPlainText(key)) throw new OutsideSubset();
    }
    const value = rest.trim();
    if (value.startsWith("'")) {
      const scan = scanQuoted(value.slice(1));
      current = { key, value: scan.content, line: i + 1 };
      entries.push(current);
      canContinue = false;
      if (scan.closedAt === -1) quotedParts = [scan.content.trimEnd()];
      else if (!isEndOfValue(value.slice(scan.closedAt + 2))) throw new OutsideSubset();
      continue;
    }
    if (value === '' || INDICATORS.has(value[0]!) || !isPlainText(value)) throw new OutsideSubset();
    current = { key, value, line: i + 1 };
    entries.push(current);
    canContinue = true;
  }
  if (quotedParts) throw new OutsideSubset();
  return entries;
}

/**
 * Reads single-quoted scalar text up to its closing quote (`''` is one quote). `closedAt` is the
 * closing quote's index in `text`, or -1 when the scalar goes on to the next line.
 */
function scanQuoted(text: string): { content: string; closedAt: number } {
  let content = '';
  let from = 0;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote === -1) return { content: content + text.slice(from), closedAt: -1 };
    content += text.slice(from, quote);
    if (text[quote + 1] !== "'") return { content, closedAt: quote };
    content += "'";
    from = quote + 2;
  }
}

/** What may follow a closed quoted value on its line: nothing, or a comment. */
function isEndOfValue(rest: string): boolean {
  return /^[ \t]*(?:#.*)?$/.test(rest) && !/^#/.test(rest);
}

/** Plain-scalar text with no `: ` (a nested mapping) and no ` #` (a comment) in it. */
function isPlainText(text: string): boolean {
  // Scans with indexOf rather than /:(?:[ \t]|$)|[ \t]#/: it runs on every key and value at start-up.
  if (mappingColon(text) !== -1) return false;
  for (let at = text.indexOf('#'); at !== -1; at = text.indexOf('#', at + 1)) {
    const before = text.charCodeAt(at - 1);
    if (before === 0x20 || before === 0x09) return false;
  }
  return true;
}

/** The first `:` followed by a space, a tab or the end (what `/:(?=[ \t]|$)/` finds), or -1. */
function mappingColon(text: string): number {
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    const after = text.charCodeAt(at + 1);
    if (at + 1 === text.length || after === 0x20 || after === 0x09) return at;
  }
  return -1;
}

function readWithYamlPackage(text: string, file: string): YamlEntry[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: false, prettyErrors: false });
  const lineOf = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  const error = doc.errors[0];
  if (error) throw new IngestError(file, lineOf(error.pos[0]), `invalid YAML (${error.code})`);
  const contents = doc.contents;
  if (contents === null) return [];
  if (!isMap(contents)) throw new IngestError(file, lineOf(contents.range?.[0]), 'expected a map of keys to strings');
  const entries: YamlEntry[] = [];
  for (const pair of contents.items) {
    const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string') {
      throw new IngestError(file, line, 'expected a plain string key');
    }
    const key = pair.key.value;
    if (!isScalar(pair.value) || typeof pair.value.value !== 'string') {
      throw new IngestError(file, line, `value of "${key}" is not a string`);
    }
    entries.push({ key, value: pair.value.value, line });
  }
  return entries;
}
