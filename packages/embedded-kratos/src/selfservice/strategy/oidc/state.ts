import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { KratosConfig } from "../../../config/load";
import { serializeCookie } from "../../../http/cookies";
import type { HttpContext } from "../../../http/context";
import { readStrategyState, writeStrategyState, type Flow, type FlowKind } from "../../flow/flow";
import { decrypt, encrypt } from "./cipher";

/**
 * The OAuth `state` parameter (Kratos' oidcv1.State, sealed with the cipher):
 * which flow and provider the callback belongs to and the PKCE verifier.
 */
const stateSchema = z.object({
  flow: z.string(),
  kind: z.enum(["login", "registration", "settings"]),
  provider: z.string(),
  pkce: z.string(),
});
export type OidcState = z.infer<typeof stateSchema>;

export function sealState(config: KratosConfig, state: OidcState): string {
  // A random part makes two redirects of the same flow carry different states.
  return encrypt(config, JSON.stringify({ ...state, n: randomBytes(8).toString("hex") }));
}

export function openState(config: KratosConfig, param: string): OidcState | undefined {
  const plain = decrypt(config, param);
  if (!plain) return undefined;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(plain));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Kratos' continuity container `ory_kratos_oidc_auth_code_session`: the
 * browser that started the redirect gets a cookie naming it, the flow keeps
 * its hash with the state sent and the traits submitted with the button. The
 * callback only goes on in that browser and with that state (30 minutes).
 */
export const CONTINUITY_COOKIE = "ory_kratos_continuity";
const CONTINUITY_LIFESPAN_MS = 30 * 60_000;

const containerSchema = z.object({
  continuity: z.string(),
  state: z.string(),
  traits: z.record(z.string(), z.unknown()).optional(),
  expiresAt: z.number(),
});
type Container = z.infer<typeof containerSchema>;

export function pauseContinuity(
  ctx: HttpContext,
  config: KratosConfig,
  flow: Flow,
  state: string,
  traits: Record<string, unknown> | undefined,
): void {
  const id = randomBytes(32).toString("base64url");
  const container: Container = {
    continuity: hash(id),
    state,
    expiresAt: Date.now() + CONTINUITY_LIFESPAN_MS,
    ...(traits ? { traits } : {}),
  };
  writeStrategyState(flow, "oidc", container);
  ctx.setCookie(
    serializeCookie(CONTINUITY_COOKIE, id, {
      path: config.cookies.path,
      domain: config.cookies.domain,
      maxAgeSeconds: CONTINUITY_LIFESPAN_MS / 1000,
      secure: config.secureCookies,
      sameSite: config.cookies.same_site,
    }),
  );
}

export type ContinuityResult = { ok: true; traits: Record<string, unknown> | undefined } | { ok: false; reason: "missing" | "mismatch" };

/** continuity.Manager.Continue and the state comparison of ValidateCallback; the container is used up either way. */
export function resumeContinuity(ctx: HttpContext, flow: Flow, stateParam: string): ContinuityResult {
  const container = readStrategyState(flow, "oidc", containerSchema);
  const cookie = ctx.cookie(CONTINUITY_COOKIE);
  if (!container || !cookie || container.expiresAt < Date.now() || !sameHash(container.continuity, hash(cookie)))
    return { ok: false, reason: "missing" };
  writeStrategyState(flow, "oidc", undefined);
  if (container.state !== stateParam) return { ok: false, reason: "mismatch" };
  return { ok: true, traits: container.traits };
}

const hash = (value: string) => createHash("sha256").update(value).digest("hex");
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const STATE_FLOW_KINDS: readonly FlowKind[] = ["login", "registration", "settings"];
