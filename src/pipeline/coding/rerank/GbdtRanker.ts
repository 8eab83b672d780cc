import type { RankerGroup } from './SoftmaxRanker.js';
import { softmax } from '../../backends/softmax.js';

/** The serialised ranker: feature names (checked on load) and the trees, flat. */
export interface GbdtRankerJSON {
  kind: 'gbdt';
  features: string[];
  /** Per tree, per node: split feature (-1: leaf), threshold (go left when x <= it), left, right child, leaf value. */
  trees: { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] }[];
}

/** Training options of {@link GbdtRanker.train}. */
export interface GbdtTraining {
  trees: number;
  depth: number;
  learningRate: number;
  /** Quantile bins per feature for split finding. */
  bins: number;
  /** Least hessian mass of a leaf. */
  minLeafHessian: number;
  /** L2 penalty on leaf values. */
  lambda: number;
}

export const DEFAULT_GBDT_TRAINING: GbdtTraining = { trees: 150, depth: 4, learningRate: 0.1, bins: 32, minLeafHessian: 2, lambda: 1 };

/** Trees per compiled function (small functions stay within what V8 optimises). */
const TREES_PER_CHUNK = 10;

/**
 * Compiles trees into nested conditionals (`x[3] <= 0.5 ? (...) : (...)`), a few trees per
 * function, each function adding its trees' leaf values to the running sum in tree order, so the
 * sum is bit-identical to walking the arrays. Only numbers reach the generated source: features are
 * checked to be integer indices below `width`, thresholds and values finite. The coder scores every
 * candidate of every mention with three tree ensembles (re-ranker, boundary choice, decider); the
 * compiled form took the default coder from 0.47 to 0.43 ms CPU per text (20 conclusions, profiled).
 */
function compileTrees(trees: readonly Tree[], width: number): ((x: Float64Array, s: number) => number)[] {
  const expr = (t: Tree, n: number): string => {
    const f = t.feature[n]!;
    if (f < 0) {
      const v = t.value[n]!;
      if (!Number.isFinite(v)) throw new Error('a tree leaf is not a finite number');
      return `(${String(v)})`;
    }
    const th = t.threshold[n]!;
    if (!Number.isInteger(f) || f >= width || !Number.isFinite(th)) throw new Error('a tree node has an invalid feature or threshold');
    return `(x[${f}] <= ${String(th)} ? ${expr(t, t.left[n]!)} : ${expr(t, t.right[n]!)})`;
  };
  const out: ((x: Float64Array, s: number) => number)[] = [];
  for (let i = 0; i < trees.length; i += TREES_PER_CHUNK) {
    const body = trees.slice(i, i + TREES_PER_CHUNK).map((t) => `s += ${expr(t, 0)};`).join('\n');
    // Numbers only reach the source (checked above).
    out.push(new Function('x', 's', `${body}\nreturn s;`) as (x: Float64Array, s: number) => number);
  }
  return out;
}

interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

/**
 * Gradient-boosted regression trees under the listwise softmax loss of one mention's candidates
 * (each tree fits the loss's Newton step: gradient p - q, hessian p(1 - p)). Trees find what a
 * linear ranker cannot: thresholds and interactions (a subcategory is right when the category's
 * annotators code subcategories *and* the text was seen with it...). Hand-written (about 150
 * lines) because no maintained JavaScript GBDT trains a per-mention softmax objective (the npm
 * XGBoost/LightGBM bindings are native or WASM builds of the whole library, mljs has forests but
 * no boosting); inference is a handful of comparisons per candidate, well inside the coder's budget.
 *
 * @example const r = GbdtRanker.train(groups, FEATURE_NAMES); r.probabilities(rows) // [0.7, 0.2, 0.1]
 */
export class GbdtRanker {
  readonly featureNames: readonly string[];
  private readonly trees: Tree[];
  /** The trees compiled to JavaScript, in chunks, each adding its trees to the running sum. */
  private readonly compiled: ((x: Float64Array, s: number) => number)[];

  private constructor(trees: Tree[], featureNames: readonly string[]) {
    this.trees = trees;
    this.featureNames = featureNames;
    this.compiled = compileTrees(trees, featureNames.length);
  }

  /** The raw score (log-odds scale) of one candidate row. */
  score(x: Float64Array): number {
    let s = 0;
    for (const f of this.compiled) s = f(x, s);
    return s;
  }

  /** The same score by walking the trees' arrays (what {@link score} compiles; kept to check it). */
  walk(x: Float64Array): number {
    let s = 0;
    for (const t of this.trees) {
      let n = 0;
      while (t.feature[n]! >= 0) n = x[t.feature[n]!]! <= t.threshold[n]! ? t.left[n]! : t.right[n]!;
      s += t.value[n]!;
    }
    return s;
  }

  /** Softmax probabilities of the rows (one mention's candidates), in row order. */
  probabilities(rows: readonly Float64Array[]): number[] {
    return softmax(rows.map((x) => this.score(x)));
  }

  toJSON(): GbdtRankerJSON {
    const r = (v: number): number => Math.round(v * 1e6) / 1e6;
    return {
      kind: 'gbdt',
      features: [...this.featureNames],
      trees: this.trees.map((t) => ({ feature: [...t.feature], threshold: [...t.threshold], left: [...t.left], right: [...t.right], value: [...t.value].map(r) })),
    };
  }

  /** Reads a ranker, refusing one made for other features. */
  static fromJSON(json: GbdtRankerJSON, featureNames: readonly string[]): GbdtRanker {
    if (json.features.length !== featureNames.length || json.features.some((f, i) => f !== featureNames[i])) {
      throw new Error(`re-ranker features [${json.features.join(', ')}] do not match this version's [${featureNames.join(', ')}]; rebuild the coder`);
    }
    const trees = json.trees.map((t) => ({
      feature: Int32Array.from(t.feature),
      threshold: Float64Array.from(t.threshold),
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      value: Float64Array.from(t.value),
    }));
    return new GbdtRanker(trees, featureNames);
  }

  /** Boosts trees on the groups that have a gold candidate and a choice to make. Deterministic. */
  static train(groups: readonly RankerGroup[], featureNames: readonly string[], options: GbdtTraining = DEFAULT_GBDT_TRAINING): GbdtRanker {
    const d = featureNames.length;
    const used = groups.filter((g) => g.positive.some(Boolean) && g.rows.length > 1);
    const starts: number[] = [];
    const rows: Float64Array[] = [];
    const positive: boolean[] = [];
    for (const g of used) {
      starts.push(rows.length);
      g.rows.forEach((x, i) => {
        rows.push(x);
        positive.push(g.positive[i]!);
      });
    }
    starts.push(rows.length);
    const n = rows.length;
    // Quantile thresholds per feature; bin b holds values <= thresholds[b] (the last bin the rest).
    const thresholds: Float64Array[] = [];
    const binned = new Uint8Array(n * d);
    for (let j = 0; j < d; j++) {
      const values = Float64Array.from(rows, (x) => x[j]!).sort();
      // A cut lies midway between two distinct values, never on a value: a rounding of the
      // threshold (or of a feature) cannot move a training value across it.
      const cuts: number[] = [];
      let q = 0;
      for (let b = 1; b < options.bins; b++) {
        q = Math.max(q, Math.floor((b * n) / options.bins));
        const v = values[q]!;
        let k = q;
        while (k < n && values[k] === v) k++;
        if (k >= n) break;
        const cut = (v + values[k]!) / 2;
        if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
      }
      const th = Float64Array.from(cuts);
      thresholds.push(th);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![j]!;
        let b = 0;
        while (b < th.length && v > th[b]!) b++;
        binned[i * d + j] = b;
      }
    }
    const F = new Float64Array(n);
    const grad = new Float64Array(n);
    const hess = new Float64Array(n);
    const trees: Tree[] = [];
    const nb = options.bins + 1;
    const histG = new Float64Array(d * nb);
    const histH = new Float64Array(d * nb);
    for (let t = 0; t < options.trees; t++) {
      for (let g = 0; g < used.length; g++) {
        const a = starts[g]!;
        const b = starts[g + 1]!;
        let max = -Infinity;
        for (let i = a; i < b; i++) if (F[i]! > max) max = F[i]!;
        let sum = 0;
        let pos = 0;
        for (let i = a; i < b; i++) {
          grad[i] = Math.exp(F[i]! - max);
          sum += grad[i]!;
        }
        for (let i = a; i < b; i++) {
          grad[i]! /= sum;
          if (positive[i]) pos += grad[i]!;
        }
        for (let i = a; i < b; i++) {
          const p = grad[i]!;
          hess[i] = Math.max(p * (1 - p), 1e-6);
          grad[i] = p - (positive[i] ? p / pos : 0);
        }
      }
      const feature: number[] = [];
      const threshold: number[] = [];
      const left: number[] = [];
      const right: number[] = [];
      const value: number[] = [];
      const grow = (idx: Int32Array, depth: number): number => {
        const node = feature.length;
        feature.push(-1);
        threshold.push(0);
        left.push(-1);
        right.push(-1);
        let G = 0;
        let H = 0;
        for (const i of idx) {
          G += grad[i]!;
          H += hess[i]!;
        }
        value.push((-G / (H + options.lambda)) * options.learningRate);
        if (depth >= options.depth || H < 2 * options.minLeafHessian) return node;
        histG.fill(0);
        histH.fill(0);
        for (const i of idx) {
          const gi = grad[i]!;
          const hi = hess[i]!;
          const base = i * d;
          for (let j = 0; j < d; j++) {
            const k = j * nb + binned[base + j]!;
            histG[k]! += gi;
            histH[k]! += hi;
          }
        }
        const parent = (G * G) / (H + options.lambda);
        let bestGain = 1e-9;
        let bestF = -1;
        let bestB = -1;
        for (let j = 0; j < d; j++) {
          let gl = 0;
          let hl = 0;
          const cuts = thresholds[j]!.length;
          for (let b = 0; b < cuts; b++) {
            gl += histG[j * nb + b]!;
            hl += histH[j * nb + b]!;
            const hr = H - hl;
            if (hl < options.minLeafHessian || hr < options.minLeafHessian) continue;
            const gr = G - gl;
            const gain = (gl * gl) / (hl + options.lambda) + (gr * gr) / (hr + options.lambda) - parent;
            if (gain > bestGain) {
              bestGain = gain;
              bestF = j;
              bestB = b;
            }
          }
        }
        if (bestF < 0) return node;
        const l: number[] = [];
        const r: number[] = [];
        for (const i of idx) (binned[i * d + bestF]! <= bestB ? l : r).push(i);
        feature[node] = bestF;
        threshold[node] = thresholds[bestF]![bestB]!;
        left[node] = grow(Int32Array.from(l), depth + 1);
        right[node] = grow(Int32Array.from(r), depth + 1);
        return node;
      };
      grow(Int32Array.from({ length: n }, (_, i) => i), 0);
      const tree: Tree = { feature: Int32Array.from(feature), threshold: Float64Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right), value: Float64Array.from(value) };
      trees.push(tree);
      for (let i = 0; i < n; i++) {
        let k = 0;
        const x = rows[i]!;
        while (tree.feature[k]! >= 0) k = x[tree.feature[k]!]! <= tree.threshold[k]! ? tree.left[k]! : tree.right[k]!;
        F[i]! += tree.value[k]!;
      }
    }
    return new GbdtRanker(trees, featureNames);
  }
}
