/**
 * The ristretto byte cache ory/x fetcher.WithCache is handed: answers of
 * http(s) sources by URL, each kept for the fetcher's TTL, the cache's
 * MaxCost bounding the bytes it holds (Kratos: 50 MB for the session
 * tokenizer, 100 MB for the OIDC mappers and for web hook bodies). When full,
 * the oldest entries go first (ristretto's sampled LFU decides otherwise; it
 * only matters for which URL is fetched again).
 */
export class FetchCache {
  private readonly entries = new Map<string, { bytes: Buffer; until: number }>();
  private held = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.drop(key);
      return undefined;
    }
    return Buffer.from(entry.bytes);
  }

  /** SetWithTTL; a zero TTL keeps the entry until it is evicted (ristretto's "no expiry"). */
  set(key: string, bytes: Buffer, ttlMs: number): void {
    if (bytes.length > this.maxBytes) return;
    this.drop(key);
    while (this.held + bytes.length > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.drop(oldest.value);
    }
    this.entries.set(key, { bytes: Buffer.from(bytes), until: ttlMs > 0 ? this.now() + ttlMs : Number.POSITIVE_INFINITY });
    this.held += bytes.length;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.held -= entry.bytes.length;
  }
}

/**
 * A package-level cache of Kratos (web_hook.go's and strategy_registration.go's
 * jsonnetCache), kept per instance here: Kratos runs one instance per process,
 * while the dev stack and tests run several in one (CIAM and IAM side by
 * side), which must not see each other's fetched sources — each was fetched
 * under its own instance's private-address policy.
 */
export class PerInstanceFetchCache {
  private readonly caches = new WeakMap<object, FetchCache>();

  constructor(private readonly maxBytes: number) {}

  /** The cache of the instance `config` belongs to (each instance holds one config object for its life). */
  of(config: object): FetchCache {
    let cache = this.caches.get(config);
    if (!cache) {
      cache = new FetchCache(this.maxBytes);
      this.caches.set(config, cache);
    }
    return cache;
  }
}

/** The 60-minute TTL every Kratos caller passes with its cache (tokenizer.go, strategy_registration.go, request/builder.go). */
export const JSONNET_CACHE_TTL_MS = 60 * 60 * 1000;
