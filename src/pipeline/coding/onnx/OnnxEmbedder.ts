import { l2Normalize } from './l2Normalize.js';
import type { OnnxModel } from '../../backends/OnnxModel.js';
import { poolHidden } from '../../backends/poolHidden.js';

/**
 * The sentence encoder of a `sentence-embedding` model: texts in, one vector each out, pooled
 * (`mean` over unmasked tokens or `cls`) when the model outputs token states, and L2-normalised
 * unless the manifest says `"normalize": false`.
 *
 * @example const [v] = await embedder.embed(['гипертоническая болезнь']); v.length // hidden size
 */
export class OnnxEmbedder {
  readonly model: OnnxModel;

  constructor(model: OnnxModel) {
    if (model.manifest.task !== 'sentence-embedding') {
      throw new Error(`${model.manifest.manifestPath}: task ${model.manifest.task} is not sentence-embedding`);
    }
    this.model = model;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const { maxLength, pooling = 'mean', normalize = true } = this.model.manifest;
    const sequences = texts.map((t) => this.model.tokenizer.encodeText(t, maxLength));
    const out: Float32Array[] = [];
    for (const batch of await this.model.run(sequences)) {
      const { data, dims } = batch.output;
      let vectors: Float32Array[];
      if (dims.length === 3) {
        vectors = poolHidden(data, dims, batch.mask, pooling);
      } else if (dims.length === 2) {
        const H = dims[1]!;
        vectors = Array.from({ length: dims[0]! }, (_, b) => data.slice(b * H, (b + 1) * H));
      } else {
        throw new Error(`${this.model.manifest.manifestPath}: output ${this.model.output} has dims [${dims.join(', ')}], expected [batch, hidden] or [batch, tokens, hidden]`);
      }
      for (const v of vectors) out.push(normalize ? l2Normalize(v) : v);
    }
    return out;
  }
}
