import type { Code } from '../graph/model.js';
import { IngestError } from '../errors.js';
import { parseIcdRange } from './parseIcdRange.js';
import type { IcdRange } from './parseIcdRange.js';
import { lowerBound } from '../util/lowerBound.js';

/** A code and its title as a dictionary lists them, with the line it came from. */
export interface IcdEntry {
  code: string;
  title: string;
  line: number;
}

export const CATEGORY = /^[A-Z]\d\d$/;
/**
 * A subcategory: a category, a dot, then digits, letters (Latin or Cyrillic: national extensions
 * such as `F13.201Н`), `*`, `+` or further dots (`F20.8**1`, `T08.+.0`, `S02.0.0`).
 */
export const SUBCATEGORY = /^[A-Z]\d\d\.[0-9A-Za-zА-ЯЁа-яё*+.]+$/;

/**
 * Infers the ICD-10 tree of a flat list of codes (DESIGN §2), the way RuCCoD's dictionary needs it:
 * - a range contained in no other range is a CHAPTER; any other range is a BLOCK whose parent is
 *   the narrowest range containing it (blocks can nest: `C00-C14` sits in `C00-C97`, which sits in
 *   the chapter `C00-D48`);
 * - a category (`I25`) hangs under the narrowest range containing it;
 * - a subcategory hangs under its nearest existing shorter code, found by dropping characters
 *   from the end (`F13.201Н` -> `F13.201` -> `F13.20` -> `F13.2` -> `F13`); a trailing dot is
 *   skipped on the way (`T08.+.0` -> `T08.+` -> `T08`).
 * Depth counts PARENT hops from the chapter. `number` stays null (RuCCoD has no chapter numerals).
 *
 * Throws an {@link IngestError} at the offending entry's line for a code of no known shape, a
 * range that ends before it starts or overlaps another without nesting, a category in no range,
 * and a subcategory with no category.
 *
 * @example inferIcdTree([{ code: 'I00-I99', ... }, { code: 'I20-I25', ... }, { code: 'I25', ... }], 'x.yaml')
 *   -> I00-I99 CHAPTER depth 0, I20-I25 BLOCK depth 1 parent I00-I99, I25 CATEGORY depth 2 parent I20-I25
 */
export function inferIcdTree(entries: readonly IcdEntry[], file: string): Code[] {
  const ranges: Array<{ code: string; line: number; from: string; to: string }> = [];
  // Each entry's shape, classified once: 'R'ange, 'C'ategory or 'S'ubcategory.
  const shapes = new Map<string, 'R' | 'C' | 'S'>();
  for (const entry of entries) {
    const range = parseIcdRange(entry.code);
    if (range) {
      if (range.from > range.to) throw new IngestError(file, entry.line, `range ${entry.code} ends before it starts`);
      ranges.push({ code: entry.code, line: entry.line, from: range.from, to: range.to });
      shapes.set(entry.code, 'R');
    } else if (entry.code.length === 3 && CATEGORY.test(entry.code)) {
      shapes.set(entry.code, 'C');
    } else if (SUBCATEGORY.test(entry.code)) {
      shapes.set(entry.code, 'S');
    } else {
      throw new IngestError(file, entry.line, `"${entry.code}" is not an ICD-10 chapter, block, category or subcategory code`);
    }
  }
  // Narrowest first, so the first containing range found is the parent.
  // Ties by first category as plain strings: `[A-Z]\d\d` orders the same by code unit as by
  // locale, and `localeCompare` would load a collator at start-up for nothing.
  const byWidth = [...ranges].sort((a, b) => width(a) - width(b) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const parents = new Map<string, string | null>();
  for (const range of ranges) {
    let parent: string | null = null;
    for (const other of byWidth) {
      if (other.code === range.code) continue;
      const overlaps = other.from <= range.to && range.from <= other.to;
      if (!overlaps) continue;
      const contains = other.from <= range.from && range.to <= other.to;
      const contained = range.from <= other.from && other.to <= range.to;
      if (!contains && !contained) {
        throw new IngestError(file, range.line, `range ${range.code} overlaps range ${other.code} (line ${other.line}) without nesting`);
      }
      if (contains && contained) {
        throw new IngestError(file, range.line, `range ${range.code} covers the same categories as ${other.code} (line ${other.line})`);
      }
      if (contains && parent === null) parent = other.code;
    }
    parents.set(range.code, parent);
  }
  const known = shapes;
  // Each category's narrowest range: ranges widest first, each overwriting its categories.
  const categories = entries.filter((e) => shapes.get(e.code) === 'C').map((e) => e.code).sort();
  const blockOf = new Map<string, string>();
  for (let r = byWidth.length - 1; r >= 0; r--) {
    const range = byWidth[r]!;
    for (let i = lowerBound(categories, range.from); i < categories.length && categories[i]! <= range.to; i++) {
      blockOf.set(categories[i]!, range.code);
    }
  }
  for (const entry of entries) {
    if (parents.has(entry.code)) continue;
    if (shapes.get(entry.code) === 'C') {
      const block = blockOf.get(entry.code);
      if (!block) throw new IngestError(file, entry.line, `category ${entry.code} lies in no chapter or block range`);
      parents.set(entry.code, block);
    } else {
      let prefix = entry.code.slice(0, -1);
      while (prefix.length > 3 && (prefix.endsWith('.') || !known.has(prefix))) prefix = prefix.slice(0, -1);
      if (!known.has(prefix)) {
        throw new IngestError(file, entry.line, `subcategory ${entry.code} has no category ${prefix} in the dictionary`);
      }
      parents.set(entry.code, prefix);
    }
  }
  const depths = new Map<string, number>();
  const depthOf = (code: string): number => {
    let depth = depths.get(code);
    if (depth === undefined) {
      const parent = parents.get(code) ?? null;
      depth = parent === null ? 0 : depthOf(parent) + 1;
      depths.set(code, depth);
    }
    return depth;
  };
  return entries.map((entry): Code => {
    const parent = parents.get(entry.code) ?? null;
    const shape = shapes.get(entry.code);
    return {
      code: entry.code,
      title: entry.title,
      kind: shape === 'R' ? (parent === null ? 'CHAPTER' : 'BLOCK') : shape === 'C' ? 'CATEGORY' : 'SUBCATEGORY',
      depth: depthOf(entry.code),
      parent,
      number: null,
    };
  });
}

/** How many category slots a range spans, comparing letters and numbers. */
function width(range: IcdRange): number {
  const ordinal = (category: string): number => (category.charCodeAt(0) - 65) * 100 + Number(category.slice(1));
  return ordinal(range.to) - ordinal(range.from);
}
