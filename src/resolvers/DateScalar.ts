import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type { ValueNode } from 'graphql';

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a `YYYY-MM-DD` calendar date (month lengths and leap years included). */
function isDate(value: string): boolean {
  const m = SHAPE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function refuse(value: unknown, nodes?: ValueNode): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : `a ${value === null ? 'null' : typeof value}`;
  throw new GraphQLError(`Date cannot represent ${shown}: expected a calendar date YYYY-MM-DD`, { nodes, extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * The `Date` scalar: a calendar date `YYYY-MM-DD`, kept as that string inside (the model stores
 * dates so). Hand-written rather than graphql-scalars' `Date`, which turns values into JS `Date`
 * objects at midnight UTC and back, for no gain here.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date `YYYY-MM-DD`.',
  serialize(value) {
    if (typeof value !== 'string' || !SHAPE.test(value)) throw new GraphQLError(`Date cannot serialise ${typeof value === 'string' ? 'a malformed date' : typeof value}`);
    return value;
  },
  parseValue(value) {
    if (typeof value !== 'string' || !isDate(value)) refuse(value);
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !isDate(ast.value)) refuse(ast.kind === Kind.STRING ? ast.value : ast.kind, ast);
    return ast.value;
  },
});
