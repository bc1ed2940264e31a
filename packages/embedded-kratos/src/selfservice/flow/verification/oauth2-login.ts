import { z } from "zod";
import type { HttpContext } from "../../../http/context";
import { KratosError } from "../../../http/errors";
import type { Session } from "../../../session/session";
import type { FlowDeps } from "../flow-deps";
import { readStrategyState, writeStrategyState, type Flow, type VerificationFlow } from "../flow";
import { acceptOAuth2LoginFor } from "../oauth2-login";

/**
 * Kratos as Hydra's login provider when a sign-up is followed by
 * verification: hook.Verifier copies the registration flow's login
 * challenge and the new session (its id, identity and AMR) into the
 * verification flow it starts (verification.Flow's OAuth2LoginChallenge,
 * SessionID, IdentityID and AMR — never rendered), and the login request is
 * accepted once that verification passes. The challenge and AMR live in the
 * flow's internal context here; the session and identity ids in the flow's
 * own columns.
 */
const KEY = "oauth2_login_challenge";
const stateSchema = z.object({
  challenge: z.string(),
  amr: z.array(z.object({ method: z.string() }).passthrough()),
});

/** ExecutePostRegistrationPostPersistHook's callback: the verification flow takes over the challenge and the session. */
export function carryOAuth2LoginChallenge(flow: VerificationFlow, challenge: string | undefined, session: Session): void {
  if (!challenge) return;
  flow.sessionId = session.id;
  flow.identityId = session.identityId;
  writeStrategyState(flow, KEY, { challenge, amr: session.authenticationMethods.map((m) => ({ ...m })) });
}

/**
 * verification.Handler.updateVerificationFlow after a strategy verified the
 * address: a browser request (or AJAX on a browser flow) for a passed flow
 * carrying a challenge accepts Hydra's login request with the session the
 * sign-up created — a 303 to Hydra for browsers (true: answered); for AJAX
 * the flow's "continue" link points there and the caller answers with the
 * flow. Without a session: 400 "No session was found for this flow."
 */
export async function maybeAcceptOAuth2LoginAfterVerification(deps: FlowDeps, ctx: HttpContext, flow: Flow): Promise<boolean> {
  if (flow.kind !== "verification" || flow.state !== "passed_challenge") return false;
  if (!(ctx.isBrowserRequest || (flow.type === "browser" && ctx.isJsonRequest))) return false;
  const carried = readStrategyState(flow, KEY, stateSchema);
  if (!carried) return false;
  if (!flow.identityId || !flow.sessionId)
    throw new KratosError(400, { reason: "No session was found for this flow. Please retry the authentication." });
  const callbackUrl = await acceptOAuth2LoginFor(deps, carried.challenge, {
    identityId: flow.identityId,
    sessionId: flow.sessionId,
    authenticationMethods: carried.amr,
  });
  if (!ctx.isJsonRequest) {
    ctx.redirect(callbackUrl);
    return true;
  }
  // The verification success UI stays, but its "Continue" leads to Hydra with the login verifier.
  const continueNode = flow.ui.nodes.find((n) => n.type === "a" && n.attributes.id === "continue");
  if (continueNode?.type === "a") {
    continueNode.attributes.href = callbackUrl;
    await deps.flows.save(flow);
  }
  return false;
}
