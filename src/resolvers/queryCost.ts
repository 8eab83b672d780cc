import type { Config } from '../config.js';
import type { GraphStore } from '../graph/GraphStore.js';

/**
 * Size bounds of the loaded ICD tree, measured once at start, that turn `children`,
 * `descendants(maxDepth)`, `ancestors`, `chapters` and `names` into list sizes for the query cost.
 */
export interface TreeBounds {
  /** Number of chapters. */
  chapters: number;
  /** Largest depth of a code (chapters are 0): the most ancestors a code has. */
  height: number;
  /** `subtree[d]`: the most descendants any code has within `d` PARENT hops (`subtree[0]` = 0). */
  subtree: number[];
  /** The most names one code has. */
  maxNames: number;
  /** The most layers one corpus has (a document's `layers` list), at least 1. */
  maxLayers: number;
}

/**
 * Bounds used when the store cannot be measured (Neo4j down at start): those measured on the full
 * data (22 chapters, height 6, subtrees 185/298/1598/3731, 58 names) rounded up.
 */
export const FALLBACK_TREE_BOUNDS: TreeBounds = { chapters: 25, height: 6, subtree: [0, 200, 300, 1600, 3800, 3800, 3800], maxNames: 64, maxLayers: 10 };

/**
 * Measures the tree's bounds through the store port (so both stores give them): the chapters,
 * every chapter's descendants (with their parents), and the names of every code.
 *
 * @example const bounds = await measureTreeBounds(store); bounds.subtree[1] // the largest fan-out
 */
export async function measureTreeBounds(store: GraphStore): Promise<TreeBounds> {
  const chapters = await store.chapters();
  const parent = new Map<string, string | null>();
  const depth = new Map<string, number>();
  for (const chapter of chapters) {
    parent.set(chapter.code, null);
    depth.set(chapter.code, 0);
    for (const code of await store.getDescendants(chapter.code, Number.POSITIVE_INFINITY)) {
      parent.set(code.code, code.parent);
      depth.set(code.code, code.depth);
    }
  }
  const height = Math.max(0, ...depth.values());
  // below[code][k]: descendants exactly k hops below the code.
  const below = new Map<string, number[]>();
  for (const code of parent.keys()) {
    let up = parent.get(code) ?? null;
    for (let k = 1; up !== null && k <= height; k++) {
      let counts = below.get(up);
      if (!counts) below.set(up, (counts = new Array<number>(height + 1).fill(0)));
      counts[k]! += 1;
      up = parent.get(up) ?? null;
    }
  }
  const subtree = new Array<number>(height + 1).fill(0);
  for (const counts of below.values()) {
    let within = 0;
    for (let d = 1; d <= height; d++) {
      within += counts[d]!;
      if (within > subtree[d]!) subtree[d] = within;
    }
  }
  let maxNames = 0;
  const codes = [...parent.keys()];
  for (let i = 0; i < codes.length; i += 2000) {
    for (const names of await store.getNames(codes.slice(i, i + 2000))) maxNames = Math.max(maxNames, names.length);
  }
  const maxLayers = Math.max(1, ...(await store.listCorpora()).map((c) => c.layers.length));
  return { chapters: chapters.length, height, subtree, maxNames, maxLayers };
}

/** What `queryCostEstimator` is asked (the shape of src/http/queryCost.ts's `FieldCostQuery`). */
interface FieldQuery {
  parentType: string;
  fieldName: string;
  args: Record<string, unknown>;
  isList: boolean;
}

/** Size bound of a list whose length the data, not the arguments, decides (layers of a corpus, mentions of a document, ...). */
const DEFAULT_LIST = 20;

/**
 * Own costs of the fields that do more than read a node: searches, coding (per text), whole-corpus
 * evaluations. Everything else costs 1 (one resolver call or one value in the answer).
 */
const OWN_COST: Record<string, number> = {
  'Query.searchCodes': 10,
  'Query.linkMention': 10,
  'Query.codeText': 50,
  'Query.codeTexts': 50,
  'Query.predictDiagnoses': 50,
  'Query.evaluateCoding': 1000,
  'Query.compareLayers': 1000,
  'Query.evaluateLinking': 10_000,
  'Query.predictionEvaluation': 100,
  'Query.transitions': 100,
  'Query.codeShift': 100,
};

/**
 * The cost estimator of the API's schema for `queryCostPlugin`: a field's list size is its
 * `first` or `topK` (capped at `limits.maxFirst`, which the resolvers enforce), the number of
 * keys or texts it is given, or for the tree's lists the bounds measured on the loaded tree
 * (`descendants(maxDepth: d)` counts as the largest subtree within d hops); other lists count
 * 20 items.
 *
 * @example queryCostPlugin({ maxCost: config.limits.maxCost, estimate: queryCostEstimator(await measureTreeBounds(store), config) })
 */
export function queryCostEstimator(bounds: TreeBounds, config: Config): (field: FieldQuery) => { cost: number; multiplier: number } {
  const maxFirst = config.limits.maxFirst;
  const size = (n: unknown): number | undefined => (typeof n === 'number' && Number.isFinite(n) ? Math.min(Math.max(Math.floor(n), 0), maxFirst) : undefined);
  const length = (list: unknown): number | undefined => (Array.isArray(list) ? list.length : undefined);
  return ({ parentType, fieldName, args, isList }) => {
    const key = `${parentType}.${fieldName}`;
    const cost = OWN_COST[key] ?? 1;
    switch (key) {
      case 'Query.chapters':
        return { cost, multiplier: bounds.chapters };
      case 'Code.children':
        return { cost, multiplier: bounds.subtree[Math.min(1, bounds.height)] ?? 0 };
      case 'Code.ancestors':
        return { cost, multiplier: bounds.height };
      case 'Code.names':
        return { cost, multiplier: bounds.maxNames };
      case 'Code.descendants': {
        const depth = typeof args.maxDepth === 'number' ? Math.max(0, args.maxDepth) : bounds.height;
        return { cost, multiplier: bounds.subtree[Math.min(depth, bounds.height)] ?? 0 };
      }
      case 'Query.codes':
        return { cost, multiplier: length(args.codes) ?? maxFirst };
      case 'Query.codeText':
        // topK sizes each entity's candidates, not the result.
        return { cost, multiplier: 1 };
      case 'Query.codeTexts':
        return { cost, multiplier: length(args.texts) ?? config.limits.maxBatchSize };
      case 'Document.layers':
        return { cost, multiplier: length(args.names) ?? bounds.maxLayers };
      default: {
        const page = size(args.first) ?? size(args.topK);
        if (page !== undefined) return { cost, multiplier: page };
        return { cost, multiplier: isList ? DEFAULT_LIST : 1 };
      }
    }
  };
}
