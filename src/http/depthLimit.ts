import { GraphQLError, Kind } from 'graphql';
import type { ASTVisitor, FragmentDefinitionNode, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql';

/** Introspection roots are exempt: tools' introspection queries are deep but bounded by the schema. */
const INTROSPECTION = new Set(['__schema', '__type']);

/**
 * A validation rule refusing operations whose selections nest deeper than `maxDepth` fields
 * (fragments expanded), so that a client cannot make the server walk, say, `children` ten
 * levels deep in one request. `{ code { parent { code } } }` has depth 3.
 *
 * @example new ApolloServer({ typeDefs, validationRules: [depthLimit(12)] })
 */
export function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const depthOf = (set: SelectionSetNode, visiting: Set<string>): number => {
      let deepest = 0;
      for (const selection of set.selections) {
        let depth = 0;
        if (selection.kind === Kind.FIELD) {
          if (INTROSPECTION.has(selection.name.value)) continue;
          depth = 1 + (selection.selectionSet ? depthOf(selection.selectionSet, visiting) : 0);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = depthOf(selection.selectionSet, visiting);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          // Unknown and cyclic fragments are other rules' errors; do not loop on them here.
          if (!fragment || visiting.has(name)) continue;
          visiting.add(name);
          depth = depthOf(fragment.selectionSet, visiting);
          visiting.delete(name);
        }
        if (depth > deepest) deepest = depth;
        // Stop early: the answer is already "too deep".
        if (deepest > maxDepth) return deepest;
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth) {
          const name = operation.name ? ` "${operation.name.value}"` : '';
          context.reportError(
            new GraphQLError(`Operation${name} is nested deeper than the limit of ${maxDepth} levels`, { nodes: operation }),
          );
        }
        return false;
      },
    };
  };
}
