import type { Deps } from "../../../deps";
import type { HttpContext } from "../../../http/context";
import { publicIdentityJson, publicSessionJson } from "../../../session/json";
import { runAfterHooks, type HookArgs } from "../../hook/registry";
import type { RegistrationResult } from "../../strategy/strategy";
import type { Flow } from "../flow";
import { startVerificationForIdentity } from "../verification/start";

export function registrationReturnUrl(deps: Deps, method: string | undefined, flow?: Flow): string {
  const after = deps.config.selfservice.flows.registration.after as Record<string, { default_browser_return_url?: string } | string | undefined>;
  const perMethod = method ? after[method] : undefined;
  return (
    flow?.returnTo ??
    (typeof perMethod === "object" ? perMethod.default_browser_return_url : undefined) ??
    deps.config.selfservice.flows.registration.after.default_browser_return_url ??
    deps.config.selfservice.default_browser_return_url
  );
}

/**
 * After the identity is stored: start verification for its addresses, run
 * the configured hooks (session, show_verification_ui, ...) and answer like
 * Kratos for API, SPA (JSON) and browser form clients.
 */
export async function completeRegistration(deps: Deps, ctx: HttpContext, flow: Flow, result: RegistrationResult): Promise<void> {
  const method = flow.active ?? result.method.method;
  const args: HookArgs = { ctx, flow, identity: result.identity, continueWith: [] };
  args.verificationFlow = await startVerificationForIdentity(deps, ctx, result.identity, flow);
  await runAfterHooks(deps, "registration", method, "post", args);

  flow.state = "passed_challenge";
  await deps.flows.save(flow);

  const continueWith = args.continueWith ?? [];
  const issued = args.issued;
  if (flow.type === "api") {
    if (issued) continueWith.unshift({ action: "set_ory_session_token", ory_session_token: issued.token });
    ctx.json(200, {
      identity: publicIdentityJson(deps, result.identity),
      ...(issued ? { session: publicSessionJson(deps, issued.session), session_token: issued.token } : {}),
      ...(continueWith.length > 0 ? { continue_with: continueWith } : {}),
    });
    return;
  }
  if (issued) deps.sessions.setCookie(ctx, issued.token, issued.session);
  const returnTo = registrationReturnUrl(deps, method, flow);
  if (ctx.isJsonRequest) {
    continueWith.push({ action: "redirect_browser_to", redirect_browser_to: returnTo });
    ctx.json(200, {
      identity: publicIdentityJson(deps, result.identity),
      ...(issued ? { session: publicSessionJson(deps, issued.session) } : {}),
      continue_with: continueWith,
    });
    return;
  }
  ctx.redirect(returnTo);
}
