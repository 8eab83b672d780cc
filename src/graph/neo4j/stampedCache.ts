/** How a `StampedCache` reads the database and when it must not answer from memory. */
export interface StampedCacheOptions<T> {
  /** Reads the stamp of what the value was built from (one small read); equal stamps, same value. */
  readStamp: () => Promise<string>;
  /** Builds the value for a stamp (the large read). */
  load: (stamp: string) => Promise<T>;
  /** How long a value is trusted after its stamp was last found unchanged (ms). */
  ttlMs: number;
  /** True while the database is known to be unreachable: every get goes to the database then. */
  unavailable: () => boolean;
  /** Monotonic clock (ms). */
  now: () => number;
}

/**
 * A value read from Neo4j once and kept in process while a cheap stamp says it is current: the
 * stamp is read again at most every `ttlMs` (one read shared by concurrent callers), the value
 * rebuilt only when the stamp changed, and nothing is answered from memory while the database is
 * unreachable (callers then get the database's error, fast, from the circuit breaker). A failed
 * read is not cached. Used for the ICD-10 tree and the name index, which only imports write.
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

  /** The current value: from memory within the TTL, otherwise after a stamp check (and a reload if it changed). */
  get(): Promise<T> {
    const { entry, options } = this;
    if (entry && !options.unavailable() && options.now() - entry.checkedAt < options.ttlMs) return Promise.resolve(entry.value);
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
