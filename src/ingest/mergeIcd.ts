import type { Code, Name } from '../graph/model.js';
import { normalizeText } from '../text/normalizeText.js';
import { inferIcdTree } from './inferIcdTree.js';
import type { IcdEntry } from './inferIcdTree.js';
import type { IcdDictionary } from './loadRuccodDictionary.js';
import type { Mkb10Nsi, NsiCode } from './loadMkb10Nsi.js';
import { parseIcdRange } from './parseIcdRange.js';

/** What the merge took from the МКБ-10 reference, and what it left out and why. */
export interface MergeReport {
  /** Codes the reference added (missing from RuCCoD's dictionary). */
  added: string[];
  /** Reference codes not added, with the reason. */
  skipped: Array<{ code: string; reason: string }>;
  /** Codes of the merged tree that the reference marks non-actual (withdrawn). */
  nonActual: string[];
}

/** The merged ICD-10 tree. */
export interface MergedIcd {
  codes: Code[];
  names: Name[];
  report: MergeReport;
}

/**
 * Merges RuCCoD's dictionary (the base: every RuCCoD corpus code is one of its keys) with the
 * МКБ-10 reference into one tree:
 * - chapters get the reference's numerals (`I00-I99` -> `IX`), matched by range;
 * - reference codes missing from RuCCoD are added (`U07.1`, `A97`), except withdrawn codes
 *   (`ACTUAL=0`), which no new record can carry, and ranges that would contain RuCCoD codes: those are the reference's
 *   newer block boundaries (`A92-A99` where RuCCoD has `A90-A99`), and adding them would re-parent
 *   RuCCoD's codes and put the same categories in two blocks;
 * - the tree is then inferred over the union by the same rules as RuCCoD's ({@link inferIcdTree}),
 *   so added codes hang where RuCCoD's ranges put them (`A97` under `A90-A99`) and a new chapter
 *   (`U00-U85`, XXII) brings its blocks;
 * - a reference title that differs from the RuCCoD one (after `normalizeText`) becomes a
 *   DICTIONARY name of the code; added codes get the reference title as ICD_TITLE;
 * - RuCCoD codes the reference marks withdrawn are kept, flagged `inactive` (and listed in the report).
 *
 * @example
 *   const icd = mergeIcd(await loadRuccodDictionary(yamlPath), await loadMkb10Nsi(csvPath));
 *   icd.codes.find((c) => c.code === 'I00-I99')?.number // 'IX'
 */
export function mergeIcd(ruccod: IcdDictionary, nsi: Mkb10Nsi): MergedIcd {
  const base = new Map(ruccod.codes.map((c) => [c.code, c]));
  const report: MergeReport = { added: [], skipped: [], nonActual: [] };
  const numbers = new Map<string, string>();
  const added: NsiCode[] = [];
  const extraNames: Name[] = [];
  const baseTitles = new Map<string, string>();
  for (const name of ruccod.names) if (name.source === 'ICD_TITLE') baseTitles.set(name.code, name.normalized);
  const nsiTitles = new Map<string, string>();
  for (const name of nsi.names) if (name.source === 'ICD_TITLE') nsiTitles.set(name.code, name.normalized);
  const pendingRanges: NsiCode[] = [];

  for (const code of nsi.codes) {
    if (base.has(code.code)) {
      const target = code.code;
      if (code.number) numbers.set(target, code.number);
      if (!code.actual) report.nonActual.push(target);
      const normalized = nsiTitles.get(code.code) ?? normalizeText(code.title);
      if (normalized !== baseTitles.get(target)) {
        extraNames.push({ code: target, text: code.title, normalized, source: 'DICTIONARY', lang: 'ru' });
      }
      continue;
    }
    if (!code.actual) {
      report.skipped.push({ code: code.code, reason: 'withdrawn (ACTUAL=0) and not in RuCCoD' });
    } else if (parseIcdRange(code.code)) {
      pendingRanges.push(code);
    } else {
      added.push(code);
    }
  }
  // A new range is kept only if no RuCCoD code falls inside it (see the doc comment).
  const spans = pendingRanges.length === 0 ? [] : ruccod.codes.map((c) => {
    const r = parseIcdRange(c.code);
    return { code: c.code, first: r ? r.from : c.code.slice(0, 3), last: r ? r.to : c.code.slice(0, 3) };
  });
  for (const range of pendingRanges) {
    const { from, to } = parseIcdRange(range.code)!;
    const inside = spans.find((c) => from <= c.first && c.last <= to);
    if (inside) report.skipped.push({ code: range.code, reason: `a newer block boundary: RuCCoD's ${inside.code} lies inside it` });
    else added.push(range);
  }

  const entries: IcdEntry[] = [
    ...ruccod.codes.map((c) => ({ code: c.code, title: c.title, line: 0 })),
    ...added.map((c) => ({ code: c.code, title: c.title, line: c.line })),
  ];
  for (const code of added) if (code.number) numbers.set(code.code, code.number);
  const withdrawn = new Set(report.nonActual);
  const codes = inferIcdTree(entries, 'merged ICD-10 tree').map((c) => {
    const numbered = c.kind === 'CHAPTER' ? { ...c, number: numbers.get(c.code) ?? null } : c;
    return withdrawn.has(c.code) ? { ...numbered, inactive: true } : numbered;
  });
  report.added = added.map((c) => c.code);
  const names: Name[] = [
    ...ruccod.names,
    ...added.map((c): Name => ({ code: c.code, text: c.title, normalized: nsiTitles.get(c.code) ?? normalizeText(c.title), source: 'ICD_TITLE', lang: 'ru' })),
    ...extraNames,
  ];
  return { codes, names, report };
}
