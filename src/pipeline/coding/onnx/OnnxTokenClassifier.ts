import { groupBioSpans } from './groupBioSpans.js';
import type { WordPrediction } from './groupBioSpans.js';
import type { OnnxModel } from '../../backends/OnnxModel.js';
import { softmax } from '../../backends/softmax.js';
import type { WordSpan } from '../../backends/splitWords.js';
import type { EncodedSequence } from '../../backends/OnnxTokenizer.js';

/** A recognised entity: span in the caller's text, type and mean label probability. */
export interface RecognizedEntity {
  start: number;
  end: number;
  text: string;
  type: string;
  score: number;
}

/**
 * The ONNX recogniser (DESIGN §5): a BIO token classifier. Each word gets the label of its first
 * sub-word (softmax over the logits), words are grouped into entities by BIO, entities below the
 * manifest's threshold are dropped; spans are in the caller's characters.
 *
 * @example (await tagger.recognize(['Стенокардия напряжения.']))[0] // [{ start: 0, end: 22, type: 'DISEASE', ... }]
 */
export class OnnxTokenClassifier {
  readonly model: OnnxModel;
  private readonly labels: readonly string[];

  constructor(model: OnnxModel) {
    if (model.manifest.task !== 'token-classification') {
      throw new Error(`${model.manifest.manifestPath}: task ${model.manifest.task} is not token-classification`);
    }
    this.model = model;
    this.labels = model.manifest.labels!;
  }

  async recognize(texts: readonly string[]): Promise<RecognizedEntity[][]> {
    const { maxLength, threshold = 0 } = this.model.manifest;
    const docs = texts.map((t) => this.model.tokenizer.encodeWords(t, maxLength));
    const all: { doc: number; seq: EncodedSequence }[] = [];
    docs.forEach((d, doc) => d.sequences.forEach((seq) => all.push({ doc, seq })));
    const predictions: (WordPrediction | undefined)[][] = docs.map((d) => new Array<WordPrediction | undefined>(d.words.length));
    const L = this.labels.length;
    let next = 0;
    for (const batch of await this.model.run(all.map((a) => a.seq))) {
      const [, T, labels] = batch.output.dims as [number, number, number];
      if (labels !== L) throw new Error(`${this.model.manifest.manifestPath}: the model outputs ${labels} labels, the manifest lists ${L}`);
      batch.sequences.forEach((seq, b) => {
        const doc = all[next++]!.doc;
        seq.wordIndex.forEach((w, t) => {
          // First sub-word of each word decides the word's label (word-level alignment).
          if (w < 0 || predictions[doc]![w] !== undefined) return;
          const probs = softmax(batch.output.data, (b * T + t) * L, L);
          let best = 0;
          for (let j = 1; j < L; j++) if (probs[j]! > probs[best]!) best = j;
          predictions[doc]![w] = { label: best, score: probs[best]! };
        });
      });
    }
    const outside = Math.max(0, this.labels.indexOf('O'));
    return docs.map((d, i) => {
      const preds = predictions[i]!.map((p) => p ?? { label: outside, score: 1 });
      return groupBioSpans(d.words as WordSpan[], preds, this.labels, threshold).map((e) => ({
        start: e.start,
        end: e.end,
        text: texts[i]!.slice(e.start, e.end),
        type: e.type,
        score: e.score,
      }));
    });
  }
}
