import { compareDocumentIds } from '../../util/compareDocumentIds.js';
import { BadUserInputError } from '../../errors.js';
import { NAME_SOURCES, type Code, type Name, type NameSource } from '../model.js';

/**
 * Orderings and cursors both store adapters share, so that the memory store and Neo4j answer the
 * port's list operations alike (DESIGN §6: same results through the same port).
 */
const SOURCE_RANK = new Map<NameSource, number>(NAME_SOURCES.map((s, i) => [s, i]));

/** Codes by code, by UTF-16 code unit (not locale). */
export function byCode(a: Code, b: Code): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** A code's names: by source in `NAME_SOURCES` order, then by text. */
export function compareNames(a: Name, b: Name): number {
  return (SOURCE_RANK.get(a.source) ?? 99) - (SOURCE_RANK.get(b.source) ?? 99) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
}

/** An opaque page cursor: base64url of `prefix:value`. */
export function encodeCursor(prefix: string, value: string): string {
  return Buffer.from(`${prefix}:${value}`, 'utf8').toString('base64url');
}

/** The value of a cursor made by {@link encodeCursor} with the same prefix; BAD_USER_INPUT otherwise. */
export function decodeCursor(prefix: string, cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(`${prefix}:`) || encodeCursor(prefix, decoded.slice(prefix.length + 1)) !== cursor) {
    throw new BadUserInputError(`after: ${JSON.stringify(cursor.slice(0, 80))} is not a cursor of this list`, { argumentName: 'after' });
  }
  return decoded.slice(prefix.length + 1);
}

/**
 * Where a page of a positional list starts: 0 without a cursor, else one past the position the
 * cursor names (`prefix:<position>`); BAD_USER_INPUT for anything else.
 *
 * @example startAfter('mention', encodeCursor('mention', '9')) // 10
 */
export function startAfter(prefix: string, after: string | null | undefined): number {
  if (!after) return 0;
  const from = Number(decodeCursor(prefix, after)) + 1;
  if (!Number.isSafeInteger(from) || from < 1) throw new BadUserInputError('after: not a cursor of this list', { argumentName: 'after' });
  return from;
}

/** `first` as given, when it is a non-negative integer; BAD_USER_INPUT otherwise. */
export function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 0) throw new BadUserInputError(`first: must be a non-negative integer, got ${String(first)}`, { argumentName: 'first' });
  return first;
}

/**
 * A patient's documents in the order both stores list them: by date (ISO strings compare as
 * dates; undated last), then by document id.
 *
 * @example sortByDate([{ id: '2', date: '2021-02-01' }, { id: '1', date: null }]) // ids 2, 1
 */
export function sortByDate<D extends { id: string; date?: string | null }>(documents: D[]): D[] {
  return documents.sort((a, b) => {
    const x = a.date ?? null;
    const y = b.date ?? null;
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return compareDocumentIds(a.id, b.id);
  });
}
