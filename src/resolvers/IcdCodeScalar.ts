import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type { ValueNode } from 'graphql';

/**
 * Every key shape of the RuCCoD dictionary and the МКБ-10 reference:
 * - `A00-B99`, `A00-A09` (chapter, block ranges) and `H49-52` (a range that omits the letter);
 * - `A00` (category); `00` (the dictionary's "no diagnosis" pseudo-code);
 * - `A00.0`, `F00.00`, `F02.800`, `F20.8041`, `S02.0.0`, `T08.+.0`, `F20.80*1`, `F20.8**1`
 *   (subcategories and national extensions: a digit or `+`, then digits, dots or stars, ending
 *   in a digit), optionally followed by one letter, Н or Т (Cyrillic or Latin: `F13.201Н`, `F13.50H`).
 */
const SHAPE = /^(?:[A-Z]\d{2}-[A-Z]?\d{2}|\d{2}|[A-Z]\d{2}(?:\.[0-9+](?:[0-9.*]{0,2}[0-9])?[HTНТ]?)?)$/;

/** Longest accepted input; anything longer is not a code and is not echoed whole. */
const MAX_LENGTH = 16;

/** Names the kind and length of a refused value, never the value (errors do not echo client text). */
function describe(value: unknown): string {
  if (typeof value !== 'string') return `a ${value === null ? 'null' : typeof value}`;
  return `a string of ${value.length} characters`;
}

/** Trims, upper-cases and checks a code; throws BAD_USER_INPUT naming the value's length. */
function parseIcdCode(value: unknown, nodes?: ValueNode): string {
  if (typeof value === 'string' && value.length <= MAX_LENGTH * 2) {
    const code = value.trim().toUpperCase();
    if (code.length <= MAX_LENGTH && SHAPE.test(code)) return code;
  }
  throw new GraphQLError(
    `IcdCode cannot represent ${describe(value)}: expected an ICD-10 code such as I25, I25.2, F13.201Н or a range such as I20-I25`,
    { nodes, extensions: { code: 'BAD_USER_INPUT' } },
  );
}

/**
 * The `IcdCode` scalar: validates code shapes in literals and variables alike (existence is the
 * store's business). Output is serialised as stored.
 */
export const IcdCodeScalar = new GraphQLScalarType<string, string>({
  name: 'IcdCode',
  description: 'An ICD-10 code (chapter/block range, category, subcategory or national extension).',
  serialize(value) {
    if (typeof value !== 'string') throw new GraphQLError(`IcdCode cannot serialise ${describe(value)}`);
    return value;
  },
  parseValue(value) {
    return parseIcdCode(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError(`IcdCode must be a string literal, got ${ast.kind}`, { nodes: ast, extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parseIcdCode(ast.value, ast);
  },
});
