import type { Config } from '../config.js';
import { BadUserInputError } from '../errors.js';
import { pageSize } from './pageSize.js';

/** The paging arguments of a Relay connection field. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** The page size when a client gives neither `first` nor `last`. */
export const DEFAULT_PAGE_SIZE = 20;

/** A connection as the schema's `*Connection` types resolve it. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
  totalCount: number;
}

/**
 * Where a cursor cuts a list: `after` it the page starts at `start`, `before` it the page ends
 * at `end` (exclusive). A list with keyed cursors (document ids) answers from the key, so a
 * cursor stays valid when a write adds or removes other items.
 */
export interface CursorCodec {
  /** The cursor of the item at `index`. */
  encode(index: number): string;
  /** The index where a page `after` the cursor starts; null when the cursor is not one of this list. */
  startAfter(cursor: string): number | null;
  /** The index where a page `before` the cursor ends; null when the cursor is not one of this list. */
  endBefore(cursor: string): number | null;
}

/**
 * The window `[start, end)` of a list of `total` items that a Relay request asks for
 * (Relay Cursor Connections spec, "Pagination algorithm": cut by `after`/`before`, then take the
 * `first` of what is left, then the `last` of that). Hand-written: graphql-relay's
 * `connectionFromArraySlice` wants the whole array (or a slice with its offset) and offset
 * cursors, while our lists come from the store by key.
 *
 * @example relayWindow(100, { last: 10 }, codec, config) // { start: 90, end: 100 }
 */
export function relayWindow(total: number, args: ConnectionArgs, codec: CursorCodec, config: Config): { start: number; end: number } {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first !== null) pageSize(first, config, 'first');
  if (last !== null) pageSize(last, config, 'last');
  let start = 0;
  let end = total;
  if (args.after != null) {
    const s = codec.startAfter(args.after);
    if (s === null) throw new BadUserInputError(`after: ${JSON.stringify(args.after.slice(0, 80))} is not a cursor of this list`, { argumentName: 'after' });
    start = Math.max(start, s);
  }
  if (args.before != null) {
    const e = codec.endBefore(args.before);
    if (e === null) throw new BadUserInputError(`before: ${JSON.stringify(args.before.slice(0, 80))} is not a cursor of this list`, { argumentName: 'before' });
    end = Math.min(end, e);
  }
  end = Math.max(start, end);
  if (first !== null) end = Math.min(end, start + first);
  if (last !== null) start = Math.max(start, end - last);
  if (first === null && last === null) end = Math.min(end, start + DEFAULT_PAGE_SIZE);
  return { start, end };
}

/**
 * Builds the connection of the items at `[start, end)` of a list of `total`.
 *
 * @example toConnection(docs, 0, 20, 120, codec) // { edges, nodes: docs, pageInfo: { hasNextPage: true, ... }, totalCount: 120 }
 */
export function toConnection<T>(items: T[], start: number, end: number, total: number, codec: CursorCodec): Connection<T> {
  const edges = items.map((node, i) => ({ cursor: codec.encode(start + i), node }));
  return {
    edges,
    nodes: items,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
    },
    totalCount: total,
  };
}

function encode(prefix: string, value: string): string {
  return Buffer.from(`${prefix}:${value}`, 'utf8').toString('base64url');
}

function decode(prefix: string, cursor: string): string | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(`${prefix}:`) || encode(prefix, text.slice(prefix.length + 1)) !== cursor) return null;
  return text.slice(prefix.length + 1);
}

/**
 * Cursors that are positions in a list (for lists without a stable key, e.g. a code's mentions
 * across corpora).
 *
 * @example offsetCursors('mention').encode(3) // 'bWVudGlvbjoz'
 */
export function offsetCursors(prefix: string): CursorCodec {
  const index = (cursor: string): number | null => {
    const value = decode(prefix, cursor);
    const n = value === null || !/^\d{1,9}$/.test(value) ? NaN : Number(value);
    return Number.isSafeInteger(n) ? n : null;
  };
  return {
    encode: (i) => encode(prefix, String(i)),
    startAfter: (cursor) => {
      const n = index(cursor);
      return n === null ? null : n + 1;
    },
    endBefore: index,
  };
}

/**
 * Cursors that are the items' keys in a list sorted by `compare` (document ids): a cursor still
 * cuts the list at the same place after other items are added or removed.
 *
 * @example keyCursors('doc', ids, compareDocumentIds).startAfter(keyCursors('doc', ids, compareDocumentIds).encode(0)) // 1
 */
export function keyCursors(prefix: string, keys: readonly string[], compare: (a: string, b: string) => number): CursorCodec {
  // The first index whose key is > (or >=) the cursor's key: binary search over the sorted keys.
  const firstIndex = (key: string, inclusive: boolean): number => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = compare(keys[mid]!, key);
      if (c < 0 || (!inclusive && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    encode: (i) => encode(prefix, keys[i]!),
    startAfter: (cursor) => {
      const key = decode(prefix, cursor);
      return key === null ? null : firstIndex(key, false);
    },
    endBefore: (cursor) => {
      const key = decode(prefix, cursor);
      return key === null ? null : firstIndex(key, true);
    },
  };
}
