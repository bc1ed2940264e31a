import type { AuditLog } from "@olympus/athena-store/audit";
import { AddressList, rateLimitKeyForAddress } from "./client-address";
import type { CounterKey, EdgeCounters } from "./counters";
import type { AttemptKind, LimitsConfig } from "./limits-config";

/** A charge with its subject known: second factors carry the person the edge resolved from the session. */
export type ResolvedCharge =
  | { type: "attempt"; attempt: AttemptKind; identifiers: string[] }
  | { type: "mail"; addresses: string[] }
  | { type: "registration" }
  /** A typed user code for one device challenge (Hera's /device page). */
  | { type: "device_user_code"; challenge: string };

/** What Kratos made of the request the edge let through. */
export type Outcome =
  /** A guess that was right (its identifier's failures are forgotten, the IP gets its hit back). */
  | "succeeded"
  /** Kratos answered without checking anything (flow expired, CSRF, not found): every hit is given back. */
  | "not_checked"
  /** Anything else: the hits stay. */
  | "failed";

interface ChargedKey extends CounterKey {
  /** Whether this key counts guesses at a secret (cleared or refunded on success). */
  guess: "identifier" | "ip" | undefined;
}

export interface Admission {
  allowed: true;
  /** Settles the charge once Kratos has answered. */
  settle(outcome: Outcome): Promise<void>;
}

export type AdmissionResult = Admission | { allowed: false; retryAfterMs: number };

/**
 * The abuse limits of limits.yml, applied to one request at Hera's edge:
 *
 * - a guess at a secret (password, code, TOTP, backup code) is charged
 *   against the identifier and the client IP *before* Kratos sees it, so
 *   parallel guesses are all counted; a right guess clears the identifier's
 *   count and gives the IP its hit back;
 * - a mail (recovery, verification, login and registration codes and links)
 *   is charged against each address and, once per request, the client IP;
 * - a registration submission is charged against the client IP whatever it
 *   answers, and never given back (the "exists already" answer would
 *   otherwise test addresses without limit).
 *
 * All of a request's keys are charged in one transaction, all or none. Each
 * key a failed request uses up gets one audit entry (`edge.lockout`).
 */
export class EdgeLimiter {
  private readonly exempt: AddressList;

  constructor(
    readonly config: LimitsConfig,
    private readonly counters: EdgeCounters,
    private readonly audit: AuditLog | undefined,
    private readonly log: (line: Record<string, unknown>) => void = () => {},
  ) {
    this.exempt = new AddressList(config.client_ip.exempt_from_ip_limits);
  }

  /** The client's address as counted (IPv6 by /64); undefined for addresses exempt from per-IP limits. */
  ipKey(clientAddress: string): string | undefined {
    return this.exempt.has(clientAddress) ? undefined : rateLimitKeyForAddress(clientAddress);
  }

  keysFor(charges: readonly ResolvedCharge[], clientAddress: string): ChargedKey[] {
    const ip = this.ipKey(clientAddress);
    const keys: ChargedKey[] = [];
    for (const charge of charges) {
      if (charge.type === "attempt") {
        const rules = this.config.attempts[charge.attempt];
        for (const identifier of charge.identifiers)
          keys.push({ bucket: `${charge.attempt}:identifier`, key: identifier, rule: rules.per_identifier, guess: "identifier" });
        if (ip !== undefined) keys.push({ bucket: `${charge.attempt}:ip`, key: ip, rule: rules.per_ip, guess: "ip" });
      } else if (charge.type === "mail") {
        for (const address of charge.addresses)
          keys.push({ bucket: "mail:address", key: address, rule: this.config.sends.per_address, guess: undefined });
        // The IP pays once per request, whatever the number of addresses.
        if (ip !== undefined) keys.push({ bucket: "mail:ip", key: ip, rule: this.config.sends.per_ip, guess: undefined });
      } else if (charge.type === "device_user_code") {
        const rules = this.config.device_user_codes;
        keys.push({ bucket: "device_user_code:challenge", key: charge.challenge, rule: rules.per_challenge, guess: "identifier" });
        if (ip !== undefined) keys.push({ bucket: "device_user_code:ip", key: ip, rule: rules.per_ip, guess: "ip" });
      } else if (ip !== undefined) {
        keys.push({ bucket: "registration:ip", key: ip, rule: this.config.registrations.per_ip, guess: undefined });
      }
    }
    // One key charged once, even if two charges name it.
    return keys.filter((k, i) => keys.findIndex((o) => o.bucket === k.bucket && o.key === k.key) === i);
  }

  /** Failed password guesses counted now for any of these identifiers, or for the client address (whichever is highest). */
  passwordFailures(identifiers: readonly string[], clientAddress: string): Promise<number> {
    return this.counters.highest(this.keysFor([{ type: "attempt", attempt: "password", identifiers: [...identifiers] }], clientAddress));
  }

  async admit(charges: readonly ResolvedCharge[], clientAddress: string): Promise<AdmissionResult> {
    const keys = this.keysFor(charges, clientAddress);
    if (keys.length === 0) return { allowed: true, settle: async () => {} };
    const result = await this.counters.hit(keys);
    if (!result.allowed) return { allowed: false, retryAfterMs: result.retryAfterMs };
    const exhausted = keys.filter((k) => result.exhausted.some((e) => e.bucket === k.bucket && e.key === k.key));
    return {
      allowed: true,
      settle: async (outcome) => {
        if (outcome === "not_checked") return this.counters.refund(keys);
        if (outcome === "succeeded") {
          await this.counters.settle(
            keys.filter((k) => k.guess === "identifier"),
            keys.filter((k) => k.guess === "ip"),
          );
          await this.recordLockouts(
            exhausted.filter((k) => k.guess === undefined),
            clientAddress,
          );
          return;
        }
        await this.recordLockouts(exhausted, clientAddress);
      },
    };
  }

  /** One audit entry per key a request used up; the audit log failing never fails the request. */
  private async recordLockouts(keys: readonly ChargedKey[], clientAddress: string): Promise<void> {
    for (const key of keys) {
      const [limit = key.bucket, scope = ""] = key.bucket.split(":");
      const seconds = Math.round((key.rule.lockout ?? key.rule.window) / 1000);
      this.log({ level: "warn", msg: "edge limit reached", limit, scope, seconds });
      try {
        await this.audit?.record({
          actor: { id: "hera-edge" },
          action: "edge.lockout",
          target: key.key.slice(0, 320),
          outcome: "denied",
          details: { limit, scope, max: key.rule.max, locked_for_seconds: seconds, client_ip: clientAddress },
        });
      } catch (error) {
        this.log({ level: "error", msg: "edge lockout not audited", error: (error as Error).message });
      }
    }
  }
}
