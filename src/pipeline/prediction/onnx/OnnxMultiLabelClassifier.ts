import type { OnnxModel } from '../../backends/OnnxModel.js';
import { sigmoid } from '../../backends/sigmoid.js';

/** One label of a text with its independent probability. */
export interface LabelProbability {
  label: string;
  probability: number;
}

/** Options of one classification call. */
export interface ClassifyOptions {
  /** Keep labels with probability at least this (the manifest's threshold, else 0.5). */
  threshold?: number;
  /** Keep at most this many labels, most probable first (all when absent). */
  topK?: number;
}

/**
 * A `multi-label-classification` model (e.g. an exported Longformer diagnosis predictor):
 * logits `[batch, labels]` -> sigmoid probabilities per label, most probable first.
 *
 * @example (await classifier.classify(['артериальная гипертензия'], { topK: 1 }))[0] // [{ label: 'I10', probability: ... }]
 */
export class OnnxMultiLabelClassifier {
  readonly model: OnnxModel;

  constructor(model: OnnxModel) {
    if (model.manifest.task !== 'multi-label-classification') {
      throw new Error(`${model.manifest.manifestPath}: task ${model.manifest.task} is not multi-label-classification`);
    }
    this.model = model;
  }

  get labels(): readonly string[] {
    return this.model.manifest.labels!;
  }

  async classify(texts: readonly string[], options: ClassifyOptions = {}): Promise<LabelProbability[][]> {
    const { maxLength } = this.model.manifest;
    const threshold = options.threshold ?? this.model.manifest.threshold ?? 0.5;
    const labels = this.labels;
    const out: LabelProbability[][] = [];
    for (const batch of await this.model.run(texts.map((t) => this.model.tokenizer.encodeText(t, maxLength)))) {
      const { data, dims } = batch.output;
      if (dims.length !== 2 || dims[1] !== labels.length) {
        throw new Error(`${this.model.manifest.manifestPath}: output dims [${dims.join(', ')}] do not match ${labels.length} labels`);
      }
      for (let b = 0; b < dims[0]!; b++) {
        const row = labels
          .map((label, j) => ({ label, probability: sigmoid(data[b * labels.length + j]!) }))
          .filter((p) => p.probability >= threshold)
          .sort((x, y) => y.probability - x.probability || (x.label < y.label ? -1 : 1));
        out.push(options.topK === undefined ? row : row.slice(0, options.topK));
      }
    }
    return out;
  }
}
