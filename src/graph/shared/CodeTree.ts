import type { Code, LiftLevel } from '../model.js';
import { LIFT_LEVELS } from '../model.js';
import { BadUserInputError } from '../../errors.js';
import { byCode } from './ordering.js';

const EMPTY: readonly Code[] = Object.freeze([]);
const KIND_RANK: Record<Code['kind'], number> = { CHAPTER: 0, BLOCK: 1, CATEGORY: 2, SUBCATEGORY: 3 };

/**
 * The ICD-10 tree in process memory, and the port's hierarchy reads over it (`getCodes`,
 * `getChildren`, `getAncestors`, `getDescendants`, `lift`, `chapters`), so that both adapters walk
 * the tree with the same code and answer in the same orders: children and chapters by code,
 * ancestors nearest first, descendants in pre-order by code. The memory store holds one built from
 * its data; the Neo4j store holds one read from the database and checked against a stamp.
 *
 * Hand-written (no graph library): the walks are a few loops over two maps, and a library would
 * still need the project's orders and lift rules on top.
 *
 * @example
 * const tree = CodeTree.build(data.codes);
 * tree.getAncestors(['I25.2']); // [[I25, I20-I25, IX]]
 * tree.lift(['I25.2'], 'BLOCK'); // ['I20-I25']
 */
export class CodeTree {
  private readonly codes: Map<string, Code>;
  private readonly children: Map<string, Code[]>;
  private readonly roots: Code[];

  private constructor(codes: Map<string, Code>, children: Map<string, Code[]>, roots: Code[]) {
    this.codes = codes;
    this.children = children;
    this.roots = roots;
  }

  /**
   * Builds the tree from a list of codes, each naming its parent (null for a chapter). Throws on a
   * duplicate code or a parent that is not in the list (`what` names the caller in the message).
   *
   * @example const tree = CodeTree.build([{ code: 'IX', parent: null, ... }, { code: 'I20-I25', parent: 'IX', ... }]);
   */
  static build(list: readonly Code[], what = 'CodeTree'): CodeTree {
    const codes = new Map<string, Code>();
    for (const code of list) {
      if (codes.has(code.code)) throw new Error(`${what}: duplicate code ${code.code} in the data`);
      codes.set(code.code, code);
    }
    const children = new Map<string, Code[]>();
    const roots: Code[] = [];
    for (const code of list) {
      if (code.parent === null) {
        roots.push(code);
        continue;
      }
      if (!codes.has(code.parent)) throw new Error(`${what}: code ${code.code} has unknown parent ${code.parent}`);
      const siblings = children.get(code.parent);
      if (siblings) siblings.push(code);
      else children.set(code.parent, [code]);
    }
    for (const siblings of children.values()) siblings.sort(byCode);
    roots.sort(byCode);
    return new CodeTree(codes, children, roots);
  }

  /** How many codes the tree holds. */
  get size(): number {
    return this.codes.size;
  }

  /** True when `code` is in the tree. */
  has(code: string): boolean {
    return this.codes.has(code);
  }

  /** Each code, or null when unknown. */
  getCodes(codes: readonly string[]): (Code | null)[] {
    return codes.map((c) => this.codes.get(c) ?? null);
  }

  /** Each code's children by code (empty for a leaf or an unknown code). */
  getChildren(codes: readonly string[]): Code[][] {
    return codes.map((c) => (this.children.get(c) ?? EMPTY).slice());
  }

  /** Each code's ancestors, nearest first, up to its chapter (empty for a chapter or an unknown code). */
  getAncestors(codes: readonly string[]): Code[][] {
    return codes.map((c) => this.ancestorsOf(c));
  }

  private ancestorsOf(code: string): Code[] {
    const out: Code[] = [];
    let current = this.codes.get(code);
    while (current && current.parent !== null) {
      const parent = this.codes.get(current.parent);
      if (!parent) break;
      out.push(parent);
      current = parent;
    }
    return out;
  }

  /** Descendants within `maxDepth` levels (Infinity: all), pre-order, children by code. */
  getDescendants(code: string, maxDepth: number): Code[] {
    const out: Code[] = [];
    const walk = (c: string, depth: number) => {
      if (depth > maxDepth) return;
      for (const child of this.children.get(c) ?? EMPTY) {
        out.push(child);
        walk(child.code, depth + 1);
      }
    };
    walk(code, 1);
    return out;
  }

  /**
   * Each code lifted to its ancestor-or-self of kind `level`; null for an unknown code or one above
   * the level. Throws `BadUserInputError` (argument `level`) for a level that is not a lift level.
   */
  lift(codes: readonly string[], level: LiftLevel): (string | null)[] {
    if (!(LIFT_LEVELS as readonly string[]).includes(level)) {
      throw new BadUserInputError(`level: ${JSON.stringify(level)} is not one of CATEGORY, BLOCK, CHAPTER`, { argumentName: 'level' });
    }
    const rank = KIND_RANK[level];
    return codes.map((c) => {
      let current = this.codes.get(c);
      while (current) {
        if (current.kind === level) return current.code;
        // Above the level already: walking further up cannot reach it.
        if (KIND_RANK[current.kind] < rank) return null;
        current = current.parent === null ? undefined : this.codes.get(current.parent);
      }
      return null;
    });
  }

  /** The codes without a parent (the chapters), by code. */
  chapters(): Code[] {
    return this.roots.slice();
  }
}
