import { GraphQLError, Kind } from 'graphql';
import type { ASTVisitor, FragmentDefinitionNode, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql';

/** Introspection roots are exempt: tools' introspection queries are deep but bounded by the schema. */
const INTROSPECTION = new Set(['__schema', '__type']);

/**
 * A validation rule refusing operations whose selections nest deeper than `maxDepth` fields
 * (fragments expanded), so that a client cannot make the server walk, say, `children` ten
 * levels deep in one request. `{ code { parent { code } } }` has depth 3.
 *
 * Each fragment's depth is computed once per document and reused at every spread, so the rule
 * is linear in the document's size: re-walking a fragment at each spread is exponential for
 * fragments that spread the previous one twice (30 of them stalled the server for 90 s).
 *
 * @example new ApolloServer({ typeDefs, validationRules: [depthLimit(12)] })
 */
export function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    /** Depth of each fragment's selection set, computed once. */
    const fragmentDepth = new Map<string, number>();
    const visiting = new Set<string>();
    const depthOf = (set: SelectionSetNode): number => {
      let deepest = 0;
      for (const selection of set.selections) {
        let depth = 0;
        if (selection.kind === Kind.FIELD) {
          if (INTROSPECTION.has(selection.name.value)) continue;
          depth = 1 + (selection.selectionSet ? depthOf(selection.selectionSet) : 0);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = depthOf(selection.selectionSet);
        } else {
          const name = selection.name.value;
          const known = fragmentDepth.get(name);
          if (known !== undefined) {
            depth = known;
          } else {
            const fragment = fragments.get(name);
            // Unknown and cyclic fragments are other rules' errors; do not loop on them here.
            if (!fragment || visiting.has(name)) continue;
            visiting.add(name);
            depth = depthOf(fragment.selectionSet);
            visiting.delete(name);
            fragmentDepth.set(name, depth);
          }
        }
        if (depth > deepest) deepest = depth;
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet);
        if (depth > maxDepth) {
          const name = operation.name ? ` "${operation.name.value}"` : '';
          context.reportError(
            new GraphQLError(`Operation${name} is nested deeper than the limit of ${maxDepth} levels`, {
              nodes: operation,
              extensions: { code: 'QUERY_TOO_COMPLEX', limitName: 'depth', depth, limit: maxDepth },
            }),
          );
        }
        return false;
      },
    };
  };
}
