interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent lookups into one database round trip per batch.
 *
 * Keys requested while the event loop is busy are collected and, once it
 * turns (setImmediate), sent as one query; while `maxInFlight` batches are
 * out, new keys wait for the next one. Nothing is cached: every lookup is
 * answered by a query that started after it was asked for, so a row changed
 * or deleted before a request arrives is never answered from older state.
 * One round trip per batch instead of one per request is what keeps the
 * per-request cost near the cost of the HTTP exchange itself.
 */
export class BatchedLookup<V> {
  private pending = new Map<string, Waiter<V>[]>();
  private scheduled = false;
  private inFlight = 0;

  constructor(
    /** Answers a batch of distinct keys: the value of each key found (absent keys are `undefined`). */
    private readonly run: (keys: string[]) => Promise<Map<string, V>>,
    private readonly options: {
      maxBatch: number;
      maxInFlight: number;
      /** For values callers may change: the second and later waiters for one key each get a copy. */
      copy?: (value: V) => V;
    },
  ) {}

  load(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /**
   * The next batch: the whole pending map when it fits (the usual case) — handed over, not emptied key by key,
   * so no map is shrunk and rehashed per batch; a rehashed table points at its successor, and once a dead one
   * sits in the old generation it keeps later batches' requests alive through young-generation collections.
   */
  private takeBatch(): Map<string, Waiter<V>[]> {
    if (this.pending.size <= this.options.maxBatch) {
      const batch = this.pending;
      this.pending = new Map();
      return batch;
    }
    const batch = new Map<string, Waiter<V>[]>();
    for (const [key, waiters] of this.pending) {
      if (batch.size >= this.options.maxBatch) break;
      batch.set(key, waiters);
    }
    for (const key of batch.keys()) this.pending.delete(key);
    return batch;
  }

  private flush(): void {
    while (this.pending.size > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.takeBatch();
      this.inFlight++;
      this.run([...batch.keys()])
        .then(
          (found) => {
            const { copy } = this.options;
            for (const [key, waiters] of batch) {
              const value = found.get(key);
              waiters.forEach((waiter, index) => waiter.resolve(index > 0 && copy && value !== undefined ? copy(value) : value));
            }
          },
          (error: unknown) => {
            for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          if (this.pending.size > 0) this.schedule();
        });
    }
  }
}
