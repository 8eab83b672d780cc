import type { Statement } from './cypher.js';
import type { CircuitBreaker } from './circuitBreaker.js';
import { mapNeo4jError, Neo4jDeadlineError } from './mapNeo4jError.js';

/** A row of a result, as plain values (the driver runs with `disableLosslessIntegers`). */
export type Row = Record<string, unknown>;

/** Runs statements inside one transaction. */
export interface QueryRunner {
  run(statement: Statement): Promise<Row[]>;
}

/** The part of a driver transaction the executor uses. */
export interface TransactionLike {
  run(text: string, parameters: Record<string, unknown>): PromiseLike<{ records: { toObject(): Row }[] }>;
}

/** The part of a driver session the executor uses (a fake in the unit tests). */
export interface SessionLike {
  executeRead<T>(work: (tx: TransactionLike) => Promise<T>, config?: { timeout?: number }): Promise<T>;
  executeWrite<T>(work: (tx: TransactionLike) => Promise<T>, config?: { timeout?: number }): Promise<T>;
  close(): Promise<void>;
}

/** Opens a session on the configured database (`driver.session({ database, defaultAccessMode })`). */
export type SessionFactory = (mode: 'READ' | 'WRITE') => SessionLike;

export interface ExecutorOptions {
  /** Server-side transaction timeout (ms), sent with every transaction. */
  transactionTimeoutMs: number;
  /**
   * Client-side deadline of one call (ms): connecting, retries and the transaction together. Past
   * it the call fails with SERVICE_UNAVAILABLE even if the driver is still waiting on a socket.
   */
  deadlineMs: number;
  /** Fails calls fast while the database is unreachable (`createNeo4jStore` always sets one). */
  breaker?: CircuitBreaker;
}

/** Per-call overrides (the importer's large batches get a longer transaction timeout). */
export interface CallOptions {
  transactionTimeoutMs?: number;
  deadlineMs?: number;
}

/**
 * The one place that runs Cypher: every read through `session.executeRead`, every write through
 * `session.executeWrite` (so the driver retries transient failures and routes to the right
 * member), the session closed in `finally`, every call bounded by a deadline, and every error
 * mapped by `mapNeo4jError`.
 *
 * Its only state is the circuit breaker's (open while the database is unreachable, so calls fail
 * in well under a second; see `circuitBreaker.ts`): a call after a failure opens a fresh session,
 * and the driver's pool opens fresh connections, so the store recovers as soon as the database is
 * back.
 *
 * @example
 * const rows = await executor.read((q) => q.run(cypher.getCodes(['I25'])));
 */
export class Neo4jExecutor {
  private readonly openSession: SessionFactory;
  private readonly options: ExecutorOptions;

  constructor(openSession: SessionFactory, options: ExecutorOptions) {
    this.openSession = openSession;
    this.options = options;
  }

  /** True while the circuit breaker fails calls fast (the database was found unreachable). */
  get unavailable(): boolean {
    return this.options.breaker?.isOpen ?? false;
  }

  /** Runs `work` in one read transaction. */
  read<T>(work: (q: QueryRunner) => Promise<T>, call: CallOptions = {}): Promise<T> {
    return this.execute('READ', work, call);
  }

  /** Runs `work` in one write transaction: all of it is committed, or none. */
  write<T>(work: (q: QueryRunner) => Promise<T>, call: CallOptions = {}): Promise<T> {
    return this.execute('WRITE', work, call);
  }

  /** Runs one read statement and returns its rows. */
  readRows(statement: Statement, call: CallOptions = {}): Promise<Row[]> {
    return this.read((q) => q.run(statement), call);
  }

  /** Runs one write statement in its own transaction and returns its rows. */
  writeRows(statement: Statement, call: CallOptions = {}): Promise<Row[]> {
    return this.write((q) => q.run(statement), call);
  }

  private async execute<T>(mode: 'READ' | 'WRITE', work: (q: QueryRunner) => Promise<T>, call: CallOptions): Promise<T> {
    const deadlineMs = call.deadlineMs ?? this.options.deadlineMs;
    const config = { timeout: call.transactionTimeoutMs ?? this.options.transactionTimeoutMs };
    const attempt = async (): Promise<T> => {
      const session = this.openSession(mode);
      try {
        const unit = (tx: TransactionLike) =>
          work({
            async run(statement: Statement): Promise<Row[]> {
              const result = await tx.run(statement.text, statement.parameters);
              return result.records.map((r) => r.toObject());
            },
          });
        return mode === 'READ' ? await session.executeRead(unit, config) : await session.executeWrite(unit, config);
      } finally {
        // Closing a session whose connection died can itself fail; the work's outcome is what counts.
        await session.close().catch(() => undefined);
      }
    };
    const mapped = async (): Promise<T> => {
      try {
        return await withDeadline(attempt(), deadlineMs);
      } catch (err) {
        throw mapNeo4jError(err);
      }
    };
    return this.options.breaker ? this.options.breaker.run(mapped) : mapped();
  }
}

/**
 * Settles with `promise`, or rejects with a `Neo4jDeadlineError` after `ms`. The losing promise
 * keeps running (its session closes when the driver gives up) but can no longer reject unhandled.
 */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Neo4jDeadlineError(ms)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
