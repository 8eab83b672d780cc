import DataLoader from 'dataloader';
import type { CorpusInfo, GraphStore } from '../graph/GraphStore.js';
import type { Code, Document, LayerAnnotations, LiftLevel, Name, NameSource } from '../graph/model.js';

/**
 * The per-request DataLoaders (DESIGN §5, §9): every store read the resolvers make goes through
 * one of these, so that a query touching N codes makes one batched store call per kind of read
 * and level of the result tree, and a code read twice in one request is read once.
 * Built lazily: a request only pays for the loaders it uses.
 */
export interface Loaders {
  /** Code by key (null when unknown). Primed with every code other loaders return. */
  readonly code: DataLoader<string, Code | null>;
  readonly children: DataLoader<string, Code[]>;
  /** Ancestors, nearest first. */
  readonly ancestors: DataLoader<string, Code[]>;
  /** Descendants; key `maxDepth SEP code`. */
  readonly descendants: DataLoader<string, Code[]>;
  /** The lift's target code; key `level SEP code`. */
  readonly lift: DataLoader<string, string | null>;
  /** Names; key `sources SEP code` (sources sorted, `*` for all). */
  readonly names: DataLoader<string, Name[]>;
  /** Document frequency; key `layer SEP corpus SEP code` (corpus empty for all corpora). */
  readonly frequency: DataLoader<string, number>;
  /** Document by `corpus SEP id`. */
  readonly document: DataLoader<string, Document | null>;
  /** One document's annotations in a layer; key `corpus SEP layer SEP documentId`. */
  readonly layer: DataLoader<string, LayerAnnotations>;
  /** Every corpus of the store; key is ignored (always `*`). */
  readonly corpora: DataLoader<'*', CorpusInfo[]>;
}

/** Separates the parts of a composite loader key; cannot occur in codes, layer or corpus names. */
export const SEP = '\u0000';

/** Builds a composite loader key. */
export function key(...parts: (string | number)[]): string {
  return parts.join(SEP);
}

function checkLength(what: string, keys: readonly unknown[], values: readonly unknown[]): void {
  // DataLoader's contract: one value per key, in key order; a store breaking it is a bug there.
  if (values.length !== keys.length) {
    throw new Error(`GraphStore.${what} must return one entry per key in key order: ${keys.length} keys, ${values.length} entries`);
  }
}

/**
 * A loader whose keys are `group SEP item`: one store call per distinct group, answers put back
 * in key order.
 */
function groupedLoader<V>(what: string, call: (group: string, items: string[]) => Promise<readonly V[]>): DataLoader<string, V> {
  return new DataLoader<string, V>(async (keys) => {
    const groups = new Map<string, { items: string[]; positions: number[] }>();
    keys.forEach((k, position) => {
      const cut = k.lastIndexOf(SEP);
      const group = k.slice(0, cut);
      let entry = groups.get(group);
      if (!entry) groups.set(group, (entry = { items: [], positions: [] }));
      entry.items.push(k.slice(cut + 1));
      entry.positions.push(position);
    });
    const out = new Array<V>(keys.length);
    await Promise.all(
      [...groups].map(async ([group, { items, positions }]) => {
        const values = await call(group, items);
        checkLength(what, items, values);
        positions.forEach((position, i) => (out[position] = values[i]!));
      }),
    );
    return out;
  });
}

/**
 * The loaders of one request. A class with lazy getters rather than an object literal of
 * closures: one small allocation per request, the DataLoaders only when a resolver asks.
 */
class RequestLoaders implements Loaders {
  private readonly store: GraphStore;
  private codeLoader?: DataLoader<string, Code | null>;
  private childrenLoader?: DataLoader<string, Code[]>;
  private ancestorsLoader?: DataLoader<string, Code[]>;
  private descendantsLoader?: DataLoader<string, Code[]>;
  private liftLoader?: DataLoader<string, string | null>;
  private namesLoader?: DataLoader<string, Name[]>;
  private frequencyLoader?: DataLoader<string, number>;
  private documentLoader?: DataLoader<string, Document | null>;
  private layerLoader?: DataLoader<string, LayerAnnotations>;
  private corporaLoader?: DataLoader<'*', CorpusInfo[]>;

  constructor(store: GraphStore) {
    this.store = store;
  }

  /** Puts codes another read returned into the code cache (a later `parent` costs nothing). */
  private prime(codes: readonly Code[]): void {
    const loader = this.code;
    for (const code of codes) loader.prime(code.code, code);
  }

  get code(): DataLoader<string, Code | null> {
    return (this.codeLoader ??= new DataLoader<string, Code | null>(async (keys) => {
      const values = await this.store.getCodes(keys);
      checkLength('getCodes', keys, values);
      return values;
    }));
  }

  /** A batched loader of code lists that primes the code cache with every code it returns. */
  private codeLists(what: string, read: (keys: readonly string[]) => Promise<Code[][]>): DataLoader<string, Code[]> {
    return new DataLoader<string, Code[]>(async (keys) => {
      const values = await read(keys);
      checkLength(what, keys, values);
      for (const list of values) this.prime(list);
      return values;
    });
  }

  get children(): DataLoader<string, Code[]> {
    return (this.childrenLoader ??= this.codeLists('getChildren', (keys) => this.store.getChildren(keys)));
  }

  get ancestors(): DataLoader<string, Code[]> {
    return (this.ancestorsLoader ??= this.codeLists('getAncestors', (keys) => this.store.getAncestors(keys)));
  }

  get descendants(): DataLoader<string, Code[]> {
    // The port has no batched form (a subtree per call); the loader still dedupes per request.
    return (this.descendantsLoader ??= groupedLoader<Code[]>('getDescendants', async (maxDepth, codes) => {
      const values = await Promise.all(codes.map((code) => this.store.getDescendants(code, Number(maxDepth))));
      for (const list of values) this.prime(list);
      return values;
    }));
  }

  get lift(): DataLoader<string, string | null> {
    return (this.liftLoader ??= groupedLoader<string | null>('lift', (level, codes) => this.store.lift(codes, level as LiftLevel)));
  }

  get names(): DataLoader<string, Name[]> {
    return (this.namesLoader ??= groupedLoader<Name[]>('getNames', (sources, codes) =>
      this.store.getNames(codes, sources === '*' ? undefined : (sources.split(',') as NameSource[])),
    ));
  }

  get frequency(): DataLoader<string, number> {
    return (this.frequencyLoader ??= groupedLoader<number>('codeFrequencies', (group, codes) => {
      const [layer, corpus] = group.split(SEP) as [string, string];
      return this.store.codeFrequencies(codes, layer, corpus === '' ? null : corpus);
    }));
  }

  get document(): DataLoader<string, Document | null> {
    return (this.documentLoader ??= groupedLoader<Document | null>('getDocuments', (corpus, ids) => this.store.getDocuments(corpus, ids)));
  }

  get layer(): DataLoader<string, LayerAnnotations> {
    return (this.layerLoader ??= groupedLoader<LayerAnnotations>('getLayer', (group, ids) => {
      const [corpus, layer] = group.split(SEP) as [string, string];
      return this.store.getLayer(corpus, layer, ids);
    }));
  }

  get corpora(): DataLoader<'*', CorpusInfo[]> {
    return (this.corporaLoader ??= new DataLoader<'*', CorpusInfo[]>(async (keys) => {
      const corpora = await this.store.listCorpora();
      return keys.map(() => corpora);
    }));
  }
}

/**
 * Builds the loaders of one request over a store.
 *
 * @example const loaders = createLoaders(store); const [a, b] = await Promise.all([loaders.code.load('I25'), loaders.code.load('I10')]); // one getCodes call
 */
export function createLoaders(store: GraphStore): Loaders {
  return new RequestLoaders(store);
}
