import type { HttpContext } from "../http/context";
import { normalizeIdentifier } from "../identity/extensions";
import { FlowValidationError } from "../selfservice/strategy/strategy";
import type { Database } from "../storage/database";
import { AddressList, ClientIpResolver, rateLimitKeyForAddress } from "./client-ip";
import type { AttemptKind, LimitsConfig } from "./config";
import { RateLimitCounters, type CounterKey } from "./counters";
import { rateLimitMessage } from "./messages";

/**
 * A refusal because a limit is exhausted. It is a flow validation error, so
 * every flow renders it like any other message (400 + flow for API/JSON
 * clients, 303 back to the UI for browsers); the engine adds `Retry-After`.
 * The text and id (4000429) are the same whoever the identifier belongs to:
 * counters exist for unknown identifiers exactly as for known ones.
 */
export class RateLimitedError extends FlowValidationError {
  override name = "RateLimitedError";
  readonly retryAfterSeconds: number;

  constructor(retryAfterMs: number, echo: Record<string, unknown> = {}) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super([{ name: undefined, message: rateLimitMessage(seconds) }], echo);
    this.retryAfterSeconds = seconds;
  }
}

/** A counted guess; the caller reports success so the identifier's failures are forgotten. */
export interface Attempt {
  succeeded(): Promise<void>;
}

/**
 * The abuse limits of olympus-limits.yml, applied by strategies and flows:
 *
 * - `attempt` charges a guess at a secret (password, code, TOTP, lookup
 *   code) against the identifier and the client IP *before* it is checked,
 *   so parallel guesses are all counted; a correct guess clears the
 *   identifier's counter and gives the IP its hit back.
 * - `mailSend` charges a mail to an address (recovery, verification,
 *   login and registration codes) against the address and the client IP.
 * - `registration` charges a registration submission against the client
 *   IP, whatever its outcome.
 */
export class AbuseLimits {
  readonly clientIps: ClientIpResolver;
  readonly counters: RateLimitCounters;
  private readonly exempt: AddressList;

  constructor(
    readonly config: LimitsConfig,
    db: Database,
  ) {
    this.clientIps = new ClientIpResolver(config.client_ip.trusted_proxies);
    this.exempt = new AddressList(config.client_ip.exempt_from_ip_limits);
    this.counters = new RateLimitCounters(db);
  }

  /** The client's address for rate limiting (IPv6 grouped by /64); undefined for exempt addresses. */
  clientKey(http: HttpContext): string | undefined {
    return this.exempt.has(http.clientIp) ? undefined : rateLimitKeyForAddress(http.clientIp);
  }

  async attempt(kind: AttemptKind, identifier: string, http: HttpContext, echo: Record<string, unknown> = {}): Promise<Attempt> {
    const rules = this.config.attempts[kind];
    const who = normalizeIdentifier(identifier);
    const ip = this.clientKey(http);
    const idKey: CounterKey = { bucket: `${kind}:identifier`, key: who, rule: rules.per_identifier };
    const ipKey: CounterKey | undefined = ip === undefined ? undefined : { bucket: `${kind}:ip`, key: ip, rule: rules.per_ip };
    const result = await this.counters.hit(ipKey ? [idKey, ipKey] : [idKey]);
    if (!result.allowed) throw new RateLimitedError(result.retryAfterMs, echo);
    return {
      succeeded: async () => {
        await this.counters.reset(idKey.bucket, idKey.key);
        if (ipKey) await this.counters.refund(ipKey.bucket, ipKey.key);
      },
    };
  }

  /** Charges one mail to each address (and one per address to the IP); throws when any limit is exhausted. */
  async mailSend(addresses: readonly string[], http: HttpContext, echo: Record<string, unknown> = {}): Promise<void> {
    const result = await this.counters.hit(this.mailKeys(addresses, http));
    if (!result.allowed) throw new RateLimitedError(result.retryAfterMs, echo);
  }

  /** For mails the system starts on its own (verification after sign-up): false means "do not send". */
  async mailSendAllowed(addresses: readonly string[], http: HttpContext): Promise<boolean> {
    return (await this.counters.hit(this.mailKeys(addresses, http))).allowed;
  }

  /**
   * Every submission counts, refused and duplicate ones too, never given
   * back: "an account with the same identifier exists already" answers
   * whether an address has an account, so only as many addresses can be
   * tried per IP as accounts could be created.
   */
  async registration(http: HttpContext): Promise<void> {
    const key = this.clientKey(http);
    if (key === undefined) return;
    const result = await this.counters.hit([{ bucket: "registration:ip", key, rule: this.config.registrations.per_ip }]);
    if (!result.allowed) throw new RateLimitedError(result.retryAfterMs);
  }

  private mailKeys(addresses: readonly string[], http: HttpContext): CounterKey[] {
    const unique = [...new Set(addresses.map(normalizeIdentifier))];
    const ip = this.clientKey(http);
    return [
      ...unique.map((address) => ({ bucket: "mail:address", key: address, rule: this.config.sends.per_address })),
      // The IP pays once per request, whatever the number of addresses.
      ...(ip === undefined ? [] : [{ bucket: "mail:ip", key: ip, rule: this.config.sends.per_ip }]),
    ];
  }
}
