import { connect } from 'node:net';
import { ServiceUnavailableError } from '../../errors.js';

/** Says whether the database's address accepts connections (true) or not (false); never throws. */
export type ReachabilityProbe = () => Promise<boolean>;

export interface BreakerOptions {
  /** A call still pending after this long makes the breaker probe the database (ms). */
  suspectAfterMs: number;
  /** While open, at most one probe per this interval; calls in between fail at once (ms). */
  retryIntervalMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = { suspectAfterMs: 250, retryIntervalMs: 500 };

/** The error every call gets while the breaker is open (a fixed sentence: no host, no port). */
export function unreachableError(): ServiceUnavailableError {
  return new ServiceUnavailableError('The Neo4j database cannot be reached; check that it runs and that NEO4J_URI points at it, then try again.', {
    store: 'neo4j',
    reason: 'UNREACHABLE',
  });
}

/**
 * A short circuit breaker in front of the driver, so that an outage costs callers well under a
 * second instead of the driver's retry budget (connection timeout plus retries: 6-8 s a call):
 *
 * - closed (normal): calls run; one still pending after `suspectAfterMs` triggers a probe (one at
 *   a time, shared); if the probe finds the address unreachable, the breaker opens and every
 *   pending call fails with SERVICE_UNAVAILABLE at once;
 * - open: calls fail at once; the first call at least `retryIntervalMs` after the last probe
 *   probes again (bounded by the probe's own timeout) and, when the address answers, closes the
 *   breaker and runs: recovery needs no restart and no timer.
 *
 * A call that fails with SERVICE_UNAVAILABLE (reason UNREACHABLE) opens it as well. Slow but live
 * databases are not affected: a probe that connects leaves the call running to its own deadline.
 * Hand-written (no library): the state is two fields, and the probe is what decides.
 *
 * @example
 * const breaker = new CircuitBreaker(tcpProbe('bolt://127.0.0.1:7687', 300));
 * const rows = await breaker.run(() => session.executeRead(work));
 */
export class CircuitBreaker {
  private open = false;
  private lastProbeAt = 0;
  private probing: Promise<boolean> | null = null;
  private readonly probe: ReachabilityProbe;
  private readonly options: BreakerOptions;
  private readonly now: () => number;

  constructor(probe: ReachabilityProbe, options: Partial<BreakerOptions> = {}, now: () => number = Date.now) {
    this.probe = probe;
    this.options = { ...DEFAULT_BREAKER_OPTIONS, ...options };
    this.now = now;
  }

  /** True while calls fail fast. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Runs the probe, one at a time; a probe that finds the address reachable closes the breaker. */
  private check(): Promise<boolean> {
    if (!this.probing) {
      this.lastProbeAt = this.now();
      this.probing = this.probe()
        .catch(() => false)
        .then((up) => {
          this.open = !up;
          this.lastProbeAt = this.now();
          return up;
        })
        .finally(() => {
          this.probing = null;
        });
    }
    return this.probing;
  }

  /** Opens the breaker after a call saw the database unreachable. */
  trip(): void {
    this.open = true;
    this.lastProbeAt = this.now();
  }

  /** Runs `call` unless the breaker is open; fails it early when a probe finds the database gone. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.open) {
      if (this.probing || this.now() - this.lastProbeAt < this.options.retryIntervalMs) throw unreachableError();
      if (!(await this.check())) throw unreachableError();
    }
    const running = call();
    running.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const suspect = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.check().then((up) => {
          if (!up) reject(unreachableError());
        });
      }, this.options.suspectAfterMs);
      timer.unref?.();
    });
    suspect.catch(() => undefined);
    try {
      return await Promise.race([running, suspect]);
    } catch (err) {
      if (err instanceof ServiceUnavailableError && err.extensions.reason === 'UNREACHABLE') this.trip();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * A reachability probe by TCP connect to the URI's host and port (default 7687), within
 * `timeoutMs`. It bypasses the driver's pool, so a busy pool never looks like an outage.
 *
 * @example const up = await tcpProbe('bolt://127.0.0.1:7687', 300)();
 */
export function tcpProbe(uri: string, timeoutMs: number): ReachabilityProbe {
  const url = new URL(uri);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 7687);
  return () =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      const done = (up: boolean) => {
        socket.destroy();
        resolve(up);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
}
