import { z } from "zod";
import { continueContinuity, pauseContinuity, type ContinuityDeps } from "../../../continuity/manager";
import type { HttpContext } from "../../../http/context";

/**
 * Kratos' AuthCodeContainer (oidc/strategy.go): what the browser's
 * continuity container `ory_kratos_oidc_auth_code_session` keeps across the
 * round trip to the provider — the flow, the state sent, and the traits posted
 * with the provider button — for 30 minutes. The callback takes it back and
 * leaves it one more minute (WithExpireInsteadOfDelete), so a reloaded
 * callback meets the provider's code-reuse error rather than a lost session.
 */
export const AUTH_CODE_CONTAINER = "ory_kratos_oidc_auth_code_session";
const LIFESPAN_MS = 30 * 60_000;
const EXPIRE_INSTEAD_OF_DELETE_MS = 60_000;

const containerSchema = z.object({
  flow_id: z.string(),
  state: z.string(),
  identity_schema_id: z.string().optional(),
  traits: z.record(z.string(), z.unknown()).nullable().optional(),
  transient_payload: z.unknown().optional(),
});
export type AuthCodeContainer = z.infer<typeof containerSchema>;

export async function pauseAuthCode(
  deps: ContinuityDeps,
  ctx: HttpContext,
  container: { flowId: string; state: string; traits: Record<string, unknown> | undefined },
): Promise<void> {
  const payload: AuthCodeContainer = {
    flow_id: container.flowId,
    state: container.state,
    traits: container.traits ?? null,
    transient_payload: null,
  };
  await pauseContinuity(deps, ctx, AUTH_CODE_CONTAINER, { payload, lifespanMs: LIFESPAN_MS });
}

/** Continue with the container's payload; a payload that does not decode fails as Kratos' json decoder would (500). */
export async function continueAuthCode(deps: ContinuityDeps, ctx: HttpContext): Promise<AuthCodeContainer> {
  const payload = await continueContinuity(deps, ctx, AUTH_CODE_CONTAINER, { expireInsteadOfDeleteMs: EXPIRE_INSTEAD_OF_DELETE_MS });
  return containerSchema.parse(payload ?? { flow_id: "", state: "" });
}
