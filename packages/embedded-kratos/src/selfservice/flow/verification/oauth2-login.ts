import { z } from "zod";
import type { HttpContext } from "../../../http/context";
import { KratosError } from "../../../http/errors";
import type { KratosConfig } from "../../../config/load";
import type { Session } from "../../../session/session";
import type { FlowDeps } from "../flow-deps";
import { readStrategyState, writeStrategyState, type Flow, type VerificationFlow } from "../flow";
import { acceptOAuth2LoginFor } from "../oauth2-login";
import { openSessionToken, sealSessionToken } from "./sealed-session-token";

/**
 * Kratos as Hydra's login provider when a sign-up is followed by
 * verification: hook.Verifier copies the registration flow's login
 * challenge and the new session (its id, identity and AMR) into the
 * verification flow it starts (verification.Flow's OAuth2LoginChallenge,
 * SessionID, IdentityID and AMR — never rendered), and the login request is
 * accepted once that verification passes. The challenge and AMR live in the
 * flow's internal context here; the session and identity ids in the flow's
 * own columns. Kratos then issues the stored session's cookie again; its
 * token is only stored as a digest here, so the flow also keeps the token,
 * sealed (`sealed-session-token.ts`), until that moment.
 */
const KEY = "oauth2_login_challenge";
const stateSchema = z.object({
  challenge: z.string(),
  amr: z.array(z.object({ method: z.string() }).passthrough()),
  session_token_sealed: z.string().optional(),
});

/** ExecutePostRegistrationPostPersistHook's callback: the verification flow takes over the challenge and the session. */
export function carryOAuth2LoginChallenge(
  config: Pick<KratosConfig, "secrets">,
  flow: VerificationFlow,
  challenge: string | undefined,
  session: Session,
  token: string | undefined,
): void {
  if (!challenge) return;
  flow.sessionId = session.id;
  flow.identityId = session.identityId;
  writeStrategyState(flow, KEY, {
    challenge,
    amr: session.authenticationMethods.map((m) => ({ ...m })),
    ...(token ? { session_token_sealed: sealSessionToken(config.secrets, flow.id, token) } : {}),
  });
}

/**
 * IssueCookie with the stored session (GetSession, its identity expanded;
 * gone: 404): the cookie holds the token the flow kept, which is then
 * dropped. A token no current secret opens issues no cookie.
 *
 * Deliberately stricter than Kratos, which writes the cookie into whichever
 * browser passes the verification: a code submission needs no CSRF token,
 * so whoever signed up with someone else's address would sign the address'
 * owner into the sign-up's account when they enter the mailed code (login
 * CSRF). Only the browser holding the flow's CSRF cookie — the one that
 * signed up, which holds the session already — gets it again.
 */
async function reissueSessionCookie(deps: FlowDeps, ctx: HttpContext, flow: Flow, carried: z.infer<typeof stateSchema>, sessionId: string) {
  const session = await deps.sessions.repository.get(sessionId, true);
  if (!session) throw new KratosError(404, { message: "Unable to locate the resource" });
  if (carried.session_token_sealed === undefined) return;
  const token = openSessionToken(deps.config.secrets, flow.id, carried.session_token_sealed);
  const { session_token_sealed: _used, ...rest } = carried;
  writeStrategyState(flow, KEY, rest);
  await deps.flows.save(flow);
  const sameBrowser = deps.csrf.verify(flow.csrfToken, deps.csrf.rawFromRequest(ctx));
  if (token && sameBrowser) await deps.sessions.issueCookie(ctx, deps.csrf, token, session);
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
  await reissueSessionCookie(deps, ctx, flow, carried, flow.sessionId);
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
