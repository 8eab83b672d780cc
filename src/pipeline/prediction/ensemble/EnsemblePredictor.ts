import type { PatientHistory, Prediction } from '../Predictor.js';

/** A model giving every label a probability for a batch of complaint texts (e.g. an ONNX classifier). */
export interface BatchProbabilityModel {
  readonly labels: readonly string[];
  /** One probability per label (in `labels` order) for each text. */
  probabilities(texts: readonly string[]): Promise<Float64Array[]>;
}

/** A model giving every label a probability for one history, synchronously (`LinearPredictor`). */
export interface HistoryProbabilityModel {
  readonly labels: readonly string[];
  probabilities(history: PatientHistory): Float64Array;
}

/** How members' probabilities are combined: `log` (weighted product of experts), `mean` (weighted average). */
export type EnsembleMode = 'log' | 'mean';

/** Floor under a probability before its log, so one member's zero cannot veto a label. */
const FLOOR = 1e-9;

/**
 * Combines a linear predictor with a neural member over the same label set: scores are
 * `(1 - w) log p_linear + w log p_neural` (`log`) or `(1 - w) p_linear + w p_neural` (`mean`),
 * then renormalised to probabilities. The neural member sees only the visit's complaints. Async
 * because the neural member runs through onnxruntime; batch the histories for speed.
 *
 * @example const ens = new EnsemblePredictor('rumedtop3', linear, onnxMember, 0.4, 'log');
 * (await ens.predictMany([{ complaints: 'боли в пояснице' }], 3))[0] // [{ code: 'M54', probability: 0.7 }, ...]
 */
export class EnsemblePredictor {
  /** For each linear label index, the neural member's index of the same label. */
  private readonly memberIndex: number[];

  constructor(
    readonly name: string,
    readonly linear: HistoryProbabilityModel,
    readonly member: BatchProbabilityModel,
    readonly weight: number,
    readonly mode: EnsembleMode,
  ) {
    if (!(weight >= 0 && weight <= 1)) throw new Error(`ensemble weight must be in [0, 1], got ${weight}`);
    const at = new Map(member.labels.map((l, i) => [l, i]));
    const missing = linear.labels.filter((l) => !at.has(l));
    if (missing.length > 0 || member.labels.length !== linear.labels.length) {
      throw new Error(`the neural member's ${member.labels.length} labels differ from the linear model's ${linear.labels.length} (${missing.length} missing)`);
    }
    this.memberIndex = linear.labels.map((l) => at.get(l)!);
  }

  get labels(): readonly string[] {
    return this.linear.labels;
  }

  /** Combined probabilities of every label (linear label order), one array per history. */
  async probabilitiesMany(histories: readonly PatientHistory[]): Promise<Float64Array[]> {
    const neural = await this.member.probabilities(histories.map((h) => h.complaints));
    const w = this.weight;
    return histories.map((h, i) => {
      const lin = this.linear.probabilities(h);
      const nn = neural[i]!;
      const out = new Float64Array(lin.length);
      if (this.mode === 'mean') {
        for (let c = 0; c < out.length; c++) out[c] = (1 - w) * lin[c]! + w * nn[this.memberIndex[c]!]!;
      } else {
        let max = -Infinity;
        for (let c = 0; c < out.length; c++) {
          out[c] = (1 - w) * Math.log(Math.max(lin[c]!, FLOOR)) + w * Math.log(Math.max(nn[this.memberIndex[c]!]!, FLOOR));
          max = Math.max(max, out[c]!);
        }
        for (let c = 0; c < out.length; c++) out[c] = Math.exp(out[c]! - max);
      }
      let sum = 0;
      for (const p of out) sum += p;
      for (let c = 0; c < out.length; c++) out[c] = out[c]! / sum;
      return out;
    });
  }

  /** The `k` most probable labels of each history, best first (ties: label order). */
  async predictMany(histories: readonly PatientHistory[], k: number): Promise<Prediction[][]> {
    return (await this.probabilitiesMany(histories)).map((p) =>
      Array.from(p.keys())
        .sort((a, b) => p[b]! - p[a]! || a - b)
        .slice(0, Math.max(0, k))
        .map((i) => ({ code: this.labels[i]!, probability: p[i]! })),
    );
  }
}
