import type { Fragment, Mention } from '../graph/model.js';
import { IngestError } from '../errors.js';

const T_LINE = /^(T\d+)\t(\S+) (-?\d+ -?\d+(?:;-?\d+ -?\d+)*)\t(.*)$/;
const N_LINE = /^(N\d+)\tReference (T\d+) ([^\s:]+):(\S+)\t(.*)$/;

interface TextBound {
  id: string;
  fragments: Fragment[];
  text: string;
  line: number;
  codes: string[];
}

/** Options of {@link parseAnn}. */
export interface ParseAnnOptions {
  /** Collects each code's concept id from the references (`N88.8` -> `9033`), for `formatAnn`. */
  conceptIds?: Map<string, string>;
  /**
   * Repair the known offset faults of the RuCCoD release instead of rejecting them (default
   * true; see {@link parseAnn}). With false, any mismatch is an error.
   */
  repair?: boolean;
  /** Counts the repairs made, by kind (`crlf-offsets`, `whitespace`, `escaped-newline`, `shifted`). */
  repairs?: Map<string, number>;
}

/** How far (in characters) a span may be shifted to find its text (`shifted` repair). */
const MAX_SHIFT = 2;

/**
 * Parses one brat standoff `.ann` text of a RuCCoD-style corpus into mentions:
 * - `T1<TAB>icd_code 0 12<TAB>text`: a text-bound annotation; discontinuous ones list fragments
 *   `0 5;7 10`, and their text is the fragments' texts joined by one space, as brat writes it;
 *   a mention spanning a line break continues on the next lines of the `.ann` file (brat writes
 *   the text raw), and those lines are read as its text;
 * - `N1<TAB>Reference T1 ICD_codes:9033<TAB>N88.8`: links the latest `T1` defined before it
 *   (RuCCoD reuses T ids within a file) to a code. A T with several references gives one mention
 *   per code (same id and span); a T with none gives a mention with code null.
 * Blank lines and `#` note lines are ignored.
 *
 * Repairs (on by default, counted by kind in `options.repairs`), for the faults of the RuCCoD
 * training release (8,763 T lines): 1,264 spans were counted on the text with `\r\n` line breaks
 * while the `.txt` files have `\n` (`crlf-offsets`: converted); 35 include surrounding whitespace
 * the text omits or fold a double space (`whitespace`: narrowed to the text, or the text taken
 * from the document); 2 write a line break as the two characters `\n` (`escaped-newline`); 1 is a
 * character off (`shifted`: the exact text within 2 characters, tried last); 1 has the end `-36`
 * (`end-offset`: the text stands at the start). A repaired mention's spans point into the `.txt`
 * and its text is the document's text there: `text === fragments' texts joined by a space`
 * always holds. Anything else is an error, repairs or not.
 *
 * Errors (`file:line: what`, never quoting the text): a malformed line, an empty, reversed or
 * overlapping fragment, offsets past the document's end, a mention text that differs from the
 * document text at its offsets (after repairs), a reference to a T that is not defined before it,
 * a code not in `knownCodes` (when given).
 *
 * @example
 *   parseAnn('T1\ticd_code 0 7\tКольпит\nN1\tReference T1 ICD_codes:8949\tN76\n', 'Кольпит.', '0.ann')
 *   // [{ id: 'T1', fragments: [{ start: 0, end: 7 }], start: 0, end: 7, text: 'Кольпит', code: 'N76' }]
 */
export function parseAnn(
  text: string,
  docText: string,
  file: string,
  knownCodes?: ReadonlySet<string>,
  options: ParseAnnOptions = {},
): Mention[] {
  const repair = options.repair ?? true;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const bounds: TextBound[] = [];
  const latest = new Map<string, TextBound>();
  let crlfView: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = withoutCr(lines[i]!);
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const t = T_LINE.exec(raw);
    if (t) {
      const fragments = t[3]!.split(';').map((pair) => {
        const [start, end] = pair.split(' ').map(Number) as [number, number];
        return { start, end };
      });
      const given = t[4]!;
      let resolved: Resolved | null = null;
      let previousEnd = 0;
      for (const f of fragments) {
        if (f.start < 0) throw new IngestError(file, line, `${t[1]} has a negative offset`);
        if (f.start >= f.end) {
          // RuCCoD has a span `0 -36`: its start and its text still say where it is.
          crlfView ??= docText.replace(/\n/g, '\r\n');
          resolved = repair && fragments.length === 1 ? repairEnd(given, f.start, docText, crlfView) : null;
          if (!resolved) throw new IngestError(file, line, `${t[1]} has an empty or reversed fragment ${f.start}-${f.end}`);
        }
        if (f.start < previousEnd) throw new IngestError(file, line, `${t[1]} has overlapping or unordered fragments`);
        previousEnd = f.end;
      }
      if (!resolved && fragments.at(-1)!.end <= docText.length) {
        const expected = slices(docText, fragments);
        if (given === expected) resolved = { fragments, text: given, repair: null };
        else if (expected[given.length] === '\n') {
          // A mention over a line break: its text goes on in the next lines of the .ann file.
          let joined = given;
          let j = i;
          while (joined.length < expected.length && expected[joined.length] === '\n' && j + 1 < lines.length && !ANNOTATION.test(lines[j + 1]!)) {
            j += 1;
            joined += `\n${withoutCr(lines[j]!)}`;
          }
          if (joined === expected) {
            resolved = { fragments, text: joined, repair: null };
            i = j;
          }
        }
      }
      if (!resolved && repair) {
        crlfView ??= docText.replace(/\n/g, '\r\n');
        resolved = repairSpan(given, fragments, docText, crlfView);
      }
      if (!resolved) {
        const span = fragments.map((f) => `${f.start}-${f.end}`).join(';');
        if (fragments.at(-1)!.end > docText.length && !repair) {
          throw new IngestError(file, line, `${t[1]} ends at ${fragments.at(-1)!.end}, past the document's ${docText.length} characters`);
        }
        throw new IngestError(file, line, `${t[1]} text does not match the document text at ${span}`);
      }
      if (resolved.repair && options.repairs) options.repairs.set(resolved.repair, (options.repairs.get(resolved.repair) ?? 0) + 1);
      const bound: TextBound = { id: t[1]!, fragments: resolved.fragments, text: resolved.text, line, codes: [] };
      bounds.push(bound);
      latest.set(bound.id, bound);
      continue;
    }
    const n = N_LINE.exec(raw);
    if (n) {
      const code = n[5]!.trim();
      const bound = latest.get(n[2]!);
      if (!bound) throw new IngestError(file, line, `${n[1]} refers to ${n[2]}, which is not defined before it`);
      if (code === '') throw new IngestError(file, line, `${n[1]} has no code`);
      if (knownCodes && !knownCodes.has(code)) throw new IngestError(file, line, `${n[1]} links to unknown ICD-10 code "${code}"`);
      bound.codes.push(code);
      options.conceptIds?.set(code, n[4]!);
      continue;
    }
    throw new IngestError(file, line, 'malformed line: expected a T (text-bound) or N (reference) annotation');
  }
  const mentions: Mention[] = [];
  for (const b of bounds) {
    const base = { id: b.id, fragments: b.fragments, start: b.fragments[0]!.start, end: b.fragments.at(-1)!.end, text: b.text };
    if (b.codes.length === 0) mentions.push({ ...base, code: null });
    for (const code of b.codes) mentions.push({ ...base, code });
  }
  return mentions;
}

const ANNOTATION = /^[TN]\d+\t/;

interface Resolved {
  fragments: Fragment[];
  text: string;
  repair: string | null;
}

function slices(text: string, fragments: readonly Fragment[]): string {
  if (fragments.length === 1) return text.slice(fragments[0]!.start, fragments[0]!.end);
  return fragments.map((f) => text.slice(f.start, f.end)).join(' ');
}

/** The line without a final `\r` (`\r\n` endings); cheaper than a regex replace on every line. */
function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Finds where a mention's text really is, trying the known faults in order (see parseAnn), on the
 * `.txt` itself and on its `\r\n` view; returns spans in the `.txt`, or null.
 */
function repairSpan(given: string, fragments: Fragment[], doc: string, crlf: string): Resolved | null {
  const fold = (s: string): string => s.replace(/\s+/g, ' ').trim();
  const unescaped = given.replace(/\\n/g, '\n');
  for (const view of ['lf', 'crlf'] as const) {
    const source = view === 'lf' ? doc : crlf;
    // Offsets of the \r\n view map back to the .txt by dropping the \r before them.
    const toDoc = (offset: number): number => (view === 'lf' ? offset : offset - countNewlines(crlf, offset));
    const inDoc = (fs: readonly Fragment[]): Fragment[] => fs.map((f) => ({ start: toDoc(f.start), end: toDoc(f.end) }));
    const crlfRepair = view === 'crlf' ? 'crlf-offsets' : null;
    if (fragments.at(-1)!.end > source.length) continue;
    const expected = slices(source, fragments);
    if (view === 'crlf' && expected === given) return { fragments: inDoc(fragments), text: slices(doc, inDoc(fragments)), repair: crlfRepair };
    for (const [candidate, kind] of [[given, 'whitespace'], [unescaped, 'escaped-newline']] as const) {
      if (kind === 'escaped-newline' && candidate === given) continue;
      if (expected.trim() === candidate.trim() && candidate.trim() !== '') {
        const first = fragments[0]!;
        const last = fragments.at(-1)!;
        const lead = expected.length - expected.trimStart().length;
        const trail = expected.length - expected.trimEnd().length;
        const narrowed = fragments.map((f) => ({
          start: f === first ? f.start + lead : f.start,
          end: f === last ? f.end - trail : f.end,
        }));
        if (narrowed.every((f) => f.start < f.end)) {
          const inText = inDoc(narrowed);
          return { fragments: inText, text: slices(doc, inText), repair: kind === 'whitespace' ? crlfRepair ?? kind : kind };
        }
      }
      if (fold(expected) === fold(candidate) && fold(candidate) !== '') {
        const inText = inDoc(fragments);
        return { fragments: inText, text: slices(doc, inText), repair: kind === 'whitespace' ? crlfRepair ?? kind : kind };
      }
    }
  }
  // Last, and only once neither view explains the span as given: a span a character or two off.
  if (fragments.length !== 1) return null;
  const { start, end } = fragments[0]!;
  for (const view of ['lf', 'crlf'] as const) {
    const source = view === 'lf' ? doc : crlf;
    for (let shift = 1; shift <= MAX_SHIFT; shift++) {
      for (const delta of [-shift, shift]) {
        if (start + delta >= 0 && source.slice(start + delta, end + delta) === given) {
          const offset = (o: number): number => (view === 'lf' ? o : o - countNewlines(crlf, o));
          const inText = [{ start: offset(start + delta), end: offset(end + delta) }];
          return { fragments: inText, text: slices(doc, inText), repair: 'shifted' };
        }
      }
    }
  }
  return null;
}

/** A span whose end is wrong (`0 -36`) but whose text stands at its start (`end-offset`). */
function repairEnd(given: string, start: number, doc: string, crlf: string): Resolved | null {
  if (given === '') return null;
  if (doc.startsWith(given, start)) {
    return { fragments: [{ start, end: start + given.length }], text: given, repair: 'end-offset' };
  }
  if (crlf.startsWith(given, start)) {
    const docStart = start - countNewlines(crlf, start);
    return { fragments: [{ start: docStart, end: docStart + given.length }], text: given, repair: 'end-offset' };
  }
  return null;
}

function countNewlines(text: string, before: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < before; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
