/**
 * The one module that imports onnxruntime (DESIGN §9): sessions, execution providers and tensors.
 * Everything else in the pipeline sees plain typed arrays through {@link OnnxSession}.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { DeviceChoice } from '../../config.js';

/** The execution provider a session actually runs on. */
export type ExecutionProvider = 'cuda' | 'cpu';

/** An int64 input tensor (token ids, masks), flat row-major. */
export interface TensorInput {
  data: BigInt64Array;
  dims: number[];
}

/** A float output tensor, flat row-major. */
export interface TensorOutput {
  data: Float32Array;
  dims: readonly number[];
}

/** A loaded model: its input and output names, the provider in use, and `run`. */
export interface OnnxSession {
  readonly provider: ExecutionProvider;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, TensorInput>, outputs: readonly string[]): Promise<Record<string, TensorOutput>>;
  release(): Promise<void>;
}

/** `ICDKG_DEVICE=cuda` asked for a provider this installation cannot load. */
export class ExecutionProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecutionProviderError';
  }
}

/** Options of {@link createOnnxSession}. */
export interface SessionOptions {
  /** Threads of one operator on CPU; onnxruntime's default (all cores) when absent. */
  intraOpThreads?: number;
}

/**
 * The providers onnxruntime-node knows on this platform, with whether their binaries ship in the
 * package (`cuda` is listed but not bundled with the CPU build installed here).
 */
export function supportedExecutionProviders(): { name: string; bundled: boolean }[] {
  return ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
}

// onnxruntime prints its own error lines on stderr when a provider fails to load; the fallback
// below is expected behaviour, reported through our logger and `system`, so keep its log quiet.
ort.env.logLevel = 'fatal';

/** Why CUDA cannot be used in this process (set on the first failure; no point retrying every model). */
let cudaFailure: string | null = null;

/**
 * Whether onnxruntime-node's folder holds the CUDA provider library. The CPU build installed by
 * default lacks it; checking the file first avoids onnxruntime's own error spew on every start.
 */
function cudaLibraryInstalled(): boolean {
  try {
    const bin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin');
    const stack = [bin];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) stack.push(join(dir, e.name));
        else if (/onnxruntime_providers_cuda\.(so|dll)$/.test(e.name)) return true;
      }
    }
    return false;
  } catch {
    // Unknown layout: let onnxruntime try.
    return existsSync('/usr/local/cuda');
  }
}

async function open(modelPath: string, provider: ExecutionProvider, options: SessionOptions): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(modelPath, {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 4,
    ...(options.intraOpThreads !== undefined ? { intraOpNumThreads: options.intraOpThreads } : {}),
  });
}

/**
 * Opens a model on the providers `device` allows: `cuda` (fails with {@link ExecutionProviderError}
 * when the CUDA provider cannot be loaded), `cpu`, or `auto` (CUDA when it loads, else CPU). The
 * session reports the provider it got.
 *
 * @example const s = await createOnnxSession('models/tiny-ner/model.onnx', 'auto'); s.provider // 'cpu' here
 */
export async function createOnnxSession(modelPath: string, device: DeviceChoice, options: SessionOptions = {}): Promise<OnnxSession> {
  let session: ort.InferenceSession | null = null;
  let provider: ExecutionProvider = 'cpu';
  if (device === 'cuda' || device === 'auto') {
    const listed = supportedExecutionProviders().some((b) => b.name === 'cuda');
    if (!listed) cudaFailure ??= 'onnxruntime-node lists no CUDA provider on this platform';
    if (cudaFailure === null && !cudaLibraryInstalled()) cudaFailure = 'onnxruntime-node has no CUDA provider library (the CPU-only build is installed)';
    if (cudaFailure === null) {
      try {
        session = await open(modelPath, 'cuda', options);
        provider = 'cuda';
      } catch (err) {
        const message = (err as Error).message;
        // A broken model is not a missing provider: only a provider failure falls back.
        if (!/cuda|provider|shared library|\.so|\.dll/i.test(message)) throw err;
        cudaFailure = message.split('\n')[0]!;
      }
    }
    if (session === null && device === 'cuda') {
      throw new ExecutionProviderError(
        `ICDKG_DEVICE=cuda but the CUDA execution provider is not available (${cudaFailure}); ` +
          'install onnxruntime-node with its CUDA binaries (and CUDA 12 + cuDNN 9 libraries) or set ICDKG_DEVICE=auto or cpu',
      );
    }
  }
  session ??= await open(modelPath, 'cpu', options);
  const s = session;
  return {
    provider,
    inputNames: s.inputNames,
    outputNames: s.outputNames,
    async run(feeds, outputs) {
      const tensors: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) tensors[name] = new ort.Tensor('int64', t.data, t.dims);
      const result = await s.run(tensors, [...outputs]);
      const out: Record<string, TensorOutput> = {};
      for (const name of outputs) {
        const t = result[name]!;
        if (t.type !== 'float32') throw new Error(`output ${name} is ${t.type}; the pipeline reads float32 outputs`);
        out[name] = { data: t.data as Float32Array, dims: t.dims };
      }
      return out;
    },
    release: () => s.release(),
  };
}
