/**
 * Global object ids (Relay Global Object Identification): base64url of the JSON array
 * `[type, ...key]`, e.g. `["Mention","ruccod","gold","12","T3"]`. Hand-written rather than
 * graphql-relay's `toGlobalId`: that one joins `type:id` with one colon and leaves composite keys
 * to the caller, while layer names (`system:x`) and document ids may hold colons; a JSON array
 * keeps every part intact, and base64url keeps the id opaque and URL-safe.
 */
export const NODE_TYPES = ['Code', 'Name', 'Corpus', 'Document', 'Layer', 'Mention', 'Patient', 'PredictionEvaluation'] as const;
/** The `__typename`s that implement `Node`. */
export type NodeType = (typeof NODE_TYPES)[number];

/** How many key parts each type's id holds. */
const ARITY: Record<NodeType, number> = {
  Code: 1,
  Name: 5,
  Corpus: 1,
  Document: 2,
  Layer: 3,
  Mention: 4,
  Patient: 2,
  PredictionEvaluation: 2,
};

/**
 * The global id of an object of `type` with key `parts`.
 *
 * @example globalId('Document', 'ruccod', '12') // 'WyJEb2N1bWVudCIsInJ1Y2NvZCIsIjEyIl0'
 */
export function globalId(type: NodeType, ...parts: string[]): string {
  return Buffer.from(JSON.stringify([type, ...parts]), 'utf8').toString('base64url');
}

/**
 * The type and key of a global id; null when it is not an id this API made (never throws: an
 * unknown id answers `null` from `node(id:)`).
 *
 * @example parseGlobalId(globalId('Code', 'I25.2')) // { type: 'Code', parts: ['I25.2'] }
 */
export function parseGlobalId(id: string): { type: NodeType; parts: string[] } | null {
  if (id.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return null;
  const [type, ...parts] = value as string[];
  if (!(NODE_TYPES as readonly string[]).includes(type!)) return null;
  if (parts.length !== ARITY[type as NodeType]) return null;
  // The id must be the canonical encoding (no second spelling of one object).
  if (globalId(type as NodeType, ...parts) !== id) return null;
  return { type: type as NodeType, parts };
}
