/** How a `StampedCache` reads the database and when it must not answer from memory. */
export interface StampedCacheOptions<T> {
  /** Reads the stamp of what the value was built from (one small read); equal stamps, same value. */
  readStamp: () => Promise<string>;
  /** Builds the value for a stamp (the large read). */
  load: (stamp: string) => Promise<T>;
  /** How long a value is trusted after its stamp was last found unchanged (ms). */
  ttlMs: number;
  /**
   * Past this age (ms, below `ttlMs`; default half of it) a get still answers from memory but
   * starts the stamp check in the background, so that under steady traffic no caller waits for it.
   */
  refreshAfterMs?: number;
  /** True while the database is known to be unreachable: every get goes to the database then. */
  unavailable: () => boolean;
  /** Monotonic clock (ms). */
  now: () => number;
}

/**
 * A value read from Neo4j once and kept in process while a cheap stamp says it is current. A
 * value is answered from memory only while its stamp was confirmed less than `ttlMs` ago; past
 * `refreshAfterMs` the stamp is checked again in the background (one read shared by concurrent
 * callers), so that under steady traffic nobody waits for it; the value is rebuilt only when the
 * stamp changed; nothing is answered from memory while the database is known to be unreachable
 * (callers then get the database's error, fast, from the circuit breaker); a failed read is not
 * cached. Used for the ICD-10 tree and the name index, which only imports write.
 *
 * Hand-written: a TTL cache library would not know the stamp or the breaker, which are the point.
 *
 * @example
 * const tree = new StampedCache({ readStamp, load: () => readTree(), ttlMs: 1000, unavailable: () => breaker.isOpen, now: () => performance.now() });
 * const codes = (await tree.get()).getCodes(['I25.2']);
 */
export class StampedCache<T> {
  private readonly options: StampedCacheOptions<T>;
  private entry: { stamp: string; checkedAt: number; value: T } | null = null;
  private checking: Promise<T> | null = null;
  /** Bumped by `invalidate()`, so that a check started before it is not cached. */
  private generation = 0;

  constructor(options: StampedCacheOptions<T>) {
    this.options = options;
  }

  /**
   * The current value: from memory while its stamp was confirmed less than `ttlMs` ago (checking
   * it again in the background past `refreshAfterMs`), otherwise after a stamp check (and a
   * reload if it changed).
   */
  get(): Promise<T> {
    const { entry, options } = this;
    if (entry && !options.unavailable()) {
      const age = options.now() - entry.checkedAt;
      if (age < options.ttlMs) {
        // A failed background check changes nothing here: the value still ages out at `ttlMs`,
        // and an unreachable database has opened the breaker for every caller meanwhile.
        if (age >= (options.refreshAfterMs ?? options.ttlMs / 2)) this.startCheck().catch(() => undefined);
        return Promise.resolve(entry.value);
      }
    }
    return this.startCheck();
  }

  /** The stamp check under way, or a new one. */
  private startCheck(): Promise<T> {
    if (!this.checking) {
      const check = this.check().finally(() => {
        if (this.checking === check) this.checking = null;
      });
      this.checking = check;
    }
    return this.checking;
  }

  /** Forgets the value (after a write of this process's own): the next get reads the stamp and the value again. */
  invalidate(): void {
    this.generation += 1;
    this.entry = null;
    this.checking = null;
  }

  private async check(): Promise<T> {
    const generation = this.generation;
    const checkedAt = this.options.now();
    const stamp = await this.options.readStamp();
    const entry = this.entry;
    if (entry && entry.stamp === stamp) {
      if (generation === this.generation) entry.checkedAt = checkedAt;
      return entry.value;
    }
    const value = await this.options.load(stamp);
    if (generation === this.generation) this.entry = { stamp, checkedAt, value };
    return value;
  }
}
