import { randomBytes } from "node:crypto";

export interface SessionStoreOptions {
  /** How long an entry lives after it was created. */
  ttlMs: number;
  /** Entries kept at most; the oldest go first (a flood of sign-in starts cannot grow memory without bound). */
  maxEntries: number;
  now?: () => number;
}

/**
 * Server-side state keyed by an unguessable random id (the cookie value).
 * The browser holds nothing but the id, so nothing it sends can forge or
 * alter the state; restarting the app signs everyone out, which suits a demo.
 */
export class SessionStore<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Stores a value under a fresh 256-bit id and returns the id. */
  create(value: T): string {
    this.sweep();
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const id = randomBytes(32).toString("base64url");
    this.entries.set(id, { value, expiresAt: this.now() + this.options.ttlMs });
    return id;
  }

  get(id: string | undefined): T | undefined {
    if (!id) return undefined;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.value;
  }

  /** Returns the value and forgets it: single use (an authorization's state, nonce and verifier). */
  take(id: string | undefined): T | undefined {
    const value = this.get(id);
    if (id) this.entries.delete(id);
    return value;
  }

  delete(id: string | undefined): void {
    if (id) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id);
  }
}
