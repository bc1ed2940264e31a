import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { createCaptchaGate, type CaptchaGate } from "../kratos-edge/captcha-gate";
import { ClientIpResolver } from "../kratos-edge/client-address";
import type { EdgeLimiter } from "../kratos-edge/limiter";
import { peerAddressOf } from "../kratos-edge/peer-address";
import { CaptchaChallenges, deriveCaptchaKeys } from "./challenges";
import { readCaptchaSettings } from "@olympus/athena-store/settings";
import { createCaptchaPolicySource, type CaptchaPolicySource } from "./policy";
import { DatabaseUsedChallenges } from "./used-challenges";

/** Hera's CAPTCHA parts for one instance, built beside its edge (same pool, same counters). */
export interface CaptchaService {
  policy: CaptchaPolicySource;
  challenges: CaptchaChallenges;
  gate: CaptchaGate;
  /** The client address a page request comes from, as the edge resolves it for its limits. */
  clientAddress(headers: Headers): string;
}

export function createCaptchaService(options: {
  pool: pg.Pool;
  domain: Domain;
  /** COOKIE_SECRET: the HMAC keys are derived from it. */
  secret: string;
  limiter: EdgeLimiter;
  log?: (line: Record<string, unknown>) => void;
  policyTtlMs?: number;
}): CaptchaService {
  const policy = createCaptchaPolicySource({
    read: () => readCaptchaSettings(options.pool, options.domain),
    log: options.log,
    ttlMs: options.policyTtlMs,
  });
  const challenges = new CaptchaChallenges(deriveCaptchaKeys(options.secret), new DatabaseUsedChallenges(options.pool, options.domain));
  const gate = createCaptchaGate({
    policy: () => policy.current(),
    challenges,
    passwordFailures: (identifiers, clientAddress) => options.limiter.passwordFailures(identifiers, clientAddress),
  });
  const clientIps = new ClientIpResolver(options.limiter.config.client_ip.trusted_proxies);
  return {
    policy,
    challenges,
    gate,
    clientAddress: (headers) => clientIps.resolve(peerAddressOf(headers), headers.get("x-forwarded-for")),
  };
}
