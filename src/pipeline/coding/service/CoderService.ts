import type { AsyncCoder } from '../types.js';

/** Where the server's coder stands. */
export type CoderState = 'IDLE' | 'LOADING' | 'READY' | 'FAILED';

/** What the `system` query reports about the coder. */
export interface CoderStatus {
  /** `lexical` or `onnx`. */
  kind: string;
  state: CoderState;
  /** The model folder it came from, or how it was built. */
  source: string | null;
  /** `cpu` / `cuda` for ONNX coders; null for the lexical coder (no model runtime). */
  executionProvider: string | null;
  /** Load (or build) time, once ready. */
  loadMs: number | null;
  /** Why loading failed (paths and reasons only, never clinical text). */
  error: string | null;
}

/** A loaded coder and what to report about it. */
export interface LoadedCoder {
  coder: AsyncCoder;
  source: string;
  executionProvider: string | null;
}

/**
 * Holds the server's coder: loaded once, in the background after start or on first use, shared by
 * all requests. A failed load is reported by `status` and by every coding query, and retried on the
 * next use.
 *
 * @example const service = new CoderService('lexical', load); void service.start(); await service.get()
 */
export class CoderService {
  private readonly load: () => Promise<LoadedCoder>;
  private pending: Promise<AsyncCoder> | null = null;
  private readonly current: CoderStatus;

  constructor(kind: string, load: () => Promise<LoadedCoder>) {
    this.load = load;
    this.current = { kind, state: 'IDLE', source: null, executionProvider: null, loadMs: null, error: null };
  }

  get status(): CoderStatus {
    return { ...this.current };
  }

  /** Starts loading (idempotent) and resolves with the coder. */
  get(): Promise<AsyncCoder> {
    if (this.pending === null) {
      const started = performance.now();
      this.current.state = 'LOADING';
      this.current.error = null;
      this.pending = this.load().then(
        (loaded) => {
          Object.assign(this.current, {
            state: 'READY',
            source: loaded.source,
            executionProvider: loaded.executionProvider,
            loadMs: Math.round(performance.now() - started),
          });
          return loaded.coder;
        },
        (err: unknown) => {
          this.current.state = 'FAILED';
          this.current.error = (err as Error).message;
          this.pending = null;
          throw err;
        },
      );
    }
    return this.pending;
  }

  /** Loads in the background; failures are kept in `status` (and logged by the caller). */
  start(): Promise<void> {
    return this.get().then(
      () => undefined,
      () => undefined,
    );
  }
}
