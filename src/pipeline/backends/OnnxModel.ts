import type { DeviceChoice } from '../../config.js';
import { createOnnxSession } from './onnx.js';
import type { ExecutionProvider, OnnxSession, TensorOutput } from './onnx.js';
import { ONNX_TASKS } from './onnxTasks.js';
import type { OnnxTask } from './onnxTasks.js';
import { OnnxTokenizer } from './OnnxTokenizer.js';
import type { EncodedSequence } from './OnnxTokenizer.js';
import { readOnnxManifest } from './readOnnxManifest.js';
import type { LoadedManifest } from './readOnnxManifest.js';

/** Options of {@link OnnxModel.load}. */
export interface OnnxModelOptions {
  /** Execution provider choice (`config.device`). */
  device: DeviceChoice;
  /** Operator threads on CPU; onnxruntime's default when absent. */
  intraOpThreads?: number;
}

/** Sequences fed to one session run when the manifest does not say. */
const DEFAULT_BATCH_SIZE = 32;

/**
 * A model folder loaded: manifest, tokenizer and session, with the inputs the session declares
 * (BERT-style `input_ids`, `attention_mask`, optional `token_type_ids`) and the output to read.
 */
export class OnnxModel {
  readonly manifest: LoadedManifest;
  readonly tokenizer: OnnxTokenizer;
  private readonly session: OnnxSession;
  /** The output this model's task reads. */
  readonly output: string;

  private constructor(manifest: LoadedManifest, tokenizer: OnnxTokenizer, session: OnnxSession) {
    this.manifest = manifest;
    this.tokenizer = tokenizer;
    this.session = session;
    if (!session.inputNames.includes('input_ids')) {
      throw new Error(`${manifest.modelPath}: the model has no "input_ids" input (inputs: ${session.inputNames.join(', ')})`);
    }
    const unknown = session.inputNames.filter((n) => !['input_ids', 'attention_mask', 'token_type_ids'].includes(n));
    if (unknown.length > 0) {
      throw new Error(`${manifest.modelPath}: inputs ${unknown.join(', ')} are not supported (only input_ids, attention_mask, token_type_ids)`);
    }
    const wanted = manifest.output !== undefined ? [manifest.output] : ONNX_TASKS[manifest.task].outputs;
    const found = wanted.find((o) => session.outputNames.includes(o));
    if (found === undefined) {
      throw new Error(`${manifest.modelPath}: none of the outputs ${wanted.join(', ')} for task ${manifest.task} (outputs: ${session.outputNames.join(', ')})`);
    }
    this.output = found;
  }

  /**
   * Loads `dir/manifest.json`, its tokenizer and its ONNX graph on the configured provider.
   *
   * @example const m = await OnnxModel.load('models/tiny-ner', { device: 'auto' }, 'token-classification'); m.provider // 'cpu'
   */
  static async load(dir: string, options: OnnxModelOptions, expectedTask?: OnnxTask): Promise<OnnxModel> {
    const manifest = await readOnnxManifest(dir, expectedTask);
    const tokenizer = await OnnxTokenizer.load(manifest.dir);
    const session = await createOnnxSession(manifest.modelPath, options.device, {
      ...(options.intraOpThreads !== undefined ? { intraOpThreads: options.intraOpThreads } : {}),
    });
    return new OnnxModel(manifest, tokenizer, session);
  }

  /** The execution provider the session runs on. */
  get provider(): ExecutionProvider {
    return this.session.provider;
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  /** Runs sequences through the model in batches of the manifest's size; one output tensor per batch. */
  async run(sequences: readonly EncodedSequence[]): Promise<{ sequences: readonly EncodedSequence[]; output: TensorOutput; mask: BigInt64Array }[]> {
    const size = this.manifest.batchSize ?? DEFAULT_BATCH_SIZE;
    const out: { sequences: readonly EncodedSequence[]; output: TensorOutput; mask: BigInt64Array }[] = [];
    for (let i = 0; i < sequences.length; i += size) {
      const chunk = sequences.slice(i, i + size);
      const batch = this.tokenizer.pad(chunk);
      const feeds: Record<string, { data: BigInt64Array; dims: number[] }> = { input_ids: { data: batch.inputIds, dims: batch.dims } };
      if (this.session.inputNames.includes('attention_mask')) feeds.attention_mask = { data: batch.attentionMask, dims: batch.dims };
      if (this.session.inputNames.includes('token_type_ids')) feeds.token_type_ids = { data: batch.tokenTypeIds, dims: batch.dims };
      const result = await this.session.run(feeds, [this.output]);
      out.push({ sequences: chunk, output: result[this.output]!, mask: batch.attentionMask });
    }
    return out;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
