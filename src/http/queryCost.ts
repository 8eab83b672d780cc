/**
 * Query cost analysis before execution (issue 13).
 *
 * Hand-written rather than taken from a library, after trying the two maintained ones:
 * - GraphQL Armor's cost limit (`@escape.tech/graphql-armor-cost-limit`) gives every object and
 *   scalar field a fixed cost with a depth factor; it cannot read `first` or `maxDepth`, so it
 *   cannot tell `descendants(maxDepth: 1)` (a dozen codes) from `descendants(maxDepth: 10)` under
 *   `chapters` (the whole tree), which is the shape that stalled the server;
 * - `graphql-query-complexity` has per-field estimators with arguments, but it expands every
 *   fragment spread again (exponential in doubling fragments, the other shape of the issue) and
 *   runs as a validation rule, which cannot see variable values (`first: $n`) and whose results
 *   Apollo caches per document.
 * Here each fragment's cost is computed once per operation (linear in the document), variables
 * are coerced first, and the domain's size bounds come from an estimator the composition root
 * supplies (src/resolvers/queryCost.ts: bounds measured on the loaded tree).
 */
import { GraphQLError, Kind, getArgumentValues, parse, getNamedType, getNullableType, getVariableValues, isListType, isObjectType, isInterfaceType } from 'graphql';
import type {
  ASTVisitor,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';

/** The `extensions.code` of every refusal by the limits of this module. */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

/** What the estimator is asked about one field of a selection. */
export interface FieldCostQuery {
  /** The type the field is selected on (`Code`, `Query`, ...). */
  parentType: string;
  fieldName: string;
  /** The field's argument values, variables substituted and defaults applied; `{}` when they cannot be read. */
  args: Record<string, unknown>;
  /** Whether the field's type is a list. */
  isList: boolean;
}

/** A field's cost: `multiplier × (cost + cost of its selections)`. */
export interface FieldCostEstimate {
  /** The field's own cost (resolver work, output); 1 by default. */
  cost?: number;
  /** How many times its selections run: a list's size bound; 1 for a single value. */
  multiplier?: number;
}

/** Estimates one field; `undefined` means cost 1, multiplier 1 (a list field should say its bound). */
export type FieldCostEstimator = (field: FieldCostQuery) => FieldCostEstimate | undefined;

/**
 * The estimated cost of an operation: the sum over its fields of `multiplier × (cost +
 * selections' cost)`, fragments expanded (each fragment computed once). Introspection fields cost
 * nothing (their size is bounded by the schema). Variables are taken as given; an argument that
 * cannot be read leaves the estimator its worst case.
 *
 * @example operationCost(schema, document, operation, { n: 5 }, ({ isList }) => ({ multiplier: isList ? 10 : 1 }))
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  estimate: FieldCostEstimator,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  let coerced: Record<string, unknown> = {};
  try {
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
    if (result.coerced) coerced = result.coerced;
  } catch {
    // Invalid variables are refused by execution; cost with what could be read.
  }
  const fragmentCost = new Map<string, number>();
  const visiting = new Set<string>();

  const argsOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> => {
    if (!node.arguments?.length && field.args.every((a) => a.defaultValue === undefined)) return {};
    try {
      return getArgumentValues(field, node, coerced);
    } catch {
      return {};
    }
  };

  const costOf = (set: SelectionSetNode, type: GraphQLNamedType | undefined): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        if (!type || !(isObjectType(type) || isInterfaceType(type))) continue;
        const field = type.getFields()[name];
        if (!field) continue;
        const estimate_ = estimate({ parentType: type.name, fieldName: name, args: argsOf(field, selection), isList: isListType(getNullableType(field.type)) });
        const own = estimate_?.cost ?? 1;
        const multiplier = estimate_?.multiplier ?? 1;
        const below = selection.selectionSet ? costOf(selection.selectionSet, getNamedType(field.type)) : 0;
        total += multiplier * (own + below);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type);
      } else {
        const name = selection.name.value;
        let cost = fragmentCost.get(name);
        if (cost === undefined) {
          const fragment = fragments.get(name);
          // Unknown and cyclic fragments are validation errors; do not loop on them here.
          if (!fragment || visiting.has(name)) continue;
          visiting.add(name);
          cost = costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
          visiting.delete(name);
          fragmentCost.set(name, cost);
        }
        total += cost;
      }
    }
    return total;
  };
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return costOf(operation.selectionSet, root ?? undefined);
}

/** A refusal of the limits: `QUERY_TOO_COMPLEX`, HTTP 400, with what was measured and the limit. */
function refusal(message: string, limitName: string, measured: Record<string, number>, limit: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: QUERY_TOO_COMPLEX, limitName, ...measured, limit, http: { status: 400 } } });
}

/**
 * An Apollo plugin refusing, before execution, operations whose estimated cost (see
 * `operationCost`) exceeds `maxCost`, with a `QUERY_TOO_COMPLEX` error carrying `cost` and
 * `limit`. It runs once the operation is resolved, when variable values are known.
 *
 * @example new ApolloServer({ typeDefs, plugins: [queryCostPlugin({ maxCost: 200_000, estimate })] })
 */
export function queryCostPlugin<TContext extends BaseContext>(options: { maxCost: number; estimate: FieldCostEstimator }): ApolloServerPlugin<TContext> {
  const { maxCost, estimate } = options;
  // One listener object for every request: nothing allocated per request.
  const listener: GraphQLRequestListener<TContext> = {
    async didResolveOperation({ schema, document, operation, request }) {
      if (!operation) return;
      const cost = operationCost(schema, document, operation, request.variables, estimate);
      if (cost > maxCost) {
        throw refusal(`The operation's estimated cost ${formatCost(cost)} exceeds the limit of ${maxCost}`, 'cost', { cost: finite(cost) }, maxCost);
      }
    },
  };
  return { requestDidStart: async () => listener };
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

function formatCost(cost: number): string {
  return Number.isFinite(cost) && cost < 1e15 ? String(Math.round(cost)) : 'over 10^15';
}

/** Aliases and directives of one operation, fragments expanded. */
export interface AliasAndDirectiveCounts {
  aliases: number;
  directives: number;
}

/**
 * Counts the aliases and directives of each operation of a document, fragments expanded, each
 * fragment counted once per document and reused at every spread (linear in the document's size;
 * the counts themselves can be exponential, which is what a limit is for).
 *
 * @example countAliasesAndDirectives(parse('{ a: code(code: "I25") { code } }')) // [{ operation, aliases: 1, directives: 0 }]
 */
export function countAliasesAndDirectives(document: DocumentNode): (AliasAndDirectiveCounts & { operation: OperationDefinitionNode })[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const memo = new Map<string, AliasAndDirectiveCounts>();
  const visiting = new Set<string>();
  const countIn = (set: SelectionSetNode, into: AliasAndDirectiveCounts): void => {
    for (const selection of set.selections) {
      into.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) into.aliases += 1;
        if (selection.selectionSet) countIn(selection.selectionSet, into);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        countIn(selection.selectionSet, into);
      } else {
        const name = selection.name.value;
        let counts = memo.get(name);
        if (!counts) {
          const fragment = fragments.get(name);
          // Unknown and cyclic fragments are validation errors; do not loop on them here.
          if (!fragment || visiting.has(name)) continue;
          visiting.add(name);
          counts = { aliases: 0, directives: fragment.directives?.length ?? 0 };
          countIn(fragment.selectionSet, counts);
          visiting.delete(name);
          memo.set(name, counts);
        }
        into.aliases += counts.aliases;
        into.directives += counts.directives;
      }
    }
  };
  const result: (AliasAndDirectiveCounts & { operation: OperationDefinitionNode })[] = [];
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const counts = { aliases: 0, directives: def.directives?.length ?? 0 };
    countIn(def.selectionSet, counts);
    result.push({ operation: def, ...counts });
  }
  return result;
}

/** The refusals of `countAliasesAndDirectives`'s counts against the limits. */
function aliasAndDirectiveRefusals(document: DocumentNode, limits: { maxAliases: number; maxDirectives: number }): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const counts of countAliasesAndDirectives(document)) {
    if (counts.aliases > limits.maxAliases) {
      errors.push(refusal(`The operation has ${formatCost(counts.aliases)} aliases, over the limit of ${limits.maxAliases}`, 'aliases', { aliases: finite(counts.aliases) }, limits.maxAliases));
    }
    if (counts.directives > limits.maxDirectives) {
      errors.push(refusal(`The operation has ${formatCost(counts.directives)} directives, over the limit of ${limits.maxDirectives}`, 'directives', { directives: finite(counts.directives) }, limits.maxDirectives));
    }
  }
  return errors;
}

/**
 * A validation rule refusing operations with more than `maxAliases` aliases or `maxDirectives`
 * directives, fragments expanded (see `countAliasesAndDirectives`). The API applies the same
 * limits to long documents before Apollo (`documentPrecheck`).
 *
 * @example new ApolloServer({ typeDefs, validationRules: [aliasAndDirectiveLimit({ maxAliases: 100, maxDirectives: 50 })] })
 */
export function aliasAndDirectiveLimit(limits: { maxAliases: number; maxDirectives: number }): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    for (const error of aliasAndDirectiveRefusals(context.getDocument(), limits)) context.reportError(error);
    return {};
  };
}

/** Documents shorter than this (and without fragment spreads) are cheap to validate: no pre-check. */
const PRECHECK_MIN_LENGTH = 2000;

/** A refusal as it is answered (what `formatError` makes of the refusals above). */
export interface PrecheckRefusal {
  message: string;
  extensions: Record<string, unknown>;
}

/**
 * The limits on tokens, aliases and directives applied to a query's text before Apollo sees it,
 * for documents long enough (or with fragment spreads) that graphql-js's validation would cost:
 * its rules take about 40 ms on a 250-alias bomb, this parse and walk about 1 ms. Apollo's
 * plugin hooks before validation cannot refuse with a client error (a throw there is a 500), so
 * the HTTP layer calls this (`createHttpServer`'s `precheck`). Shorter documents get the same
 * limits from `aliasAndDirectiveLimit` and `parseOptions.maxTokens` inside Apollo.
 *
 * @example const precheck = documentPrecheck({ maxTokens: 5000, maxAliases: 100, maxDirectives: 50 }); precheck(query)?.extensions.code // 'QUERY_TOO_COMPLEX'
 */
export function documentPrecheck(limits: { maxTokens: number; maxAliases: number; maxDirectives: number }): (query: string) => PrecheckRefusal | null {
  return (query) => {
    if (query.length < PRECHECK_MIN_LENGTH && !query.includes('...')) return null;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (err) {
      if (err instanceof GraphQLError && /contains more (?:than|that) \d+ tokens/.test(err.message)) {
        return { message: `The document has more than ${limits.maxTokens} tokens, the limit`, extensions: { code: QUERY_TOO_COMPLEX, limitName: 'tokens', limit: limits.maxTokens } };
      }
      // Other syntax errors: Apollo reports them as usual.
      return null;
    }
    const refusal_ = aliasAndDirectiveRefusals(document, limits)[0];
    if (!refusal_) return null;
    const { http: _http, ...extensions } = refusal_.extensions as Record<string, unknown>;
    return { message: refusal_.message, extensions };
  };
}
