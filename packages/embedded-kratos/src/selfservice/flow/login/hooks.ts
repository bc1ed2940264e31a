import type { Deps } from "../../../deps";
import type { HttpContext } from "../../../http/context";
import { messages } from "../../../ui/messages";
import { sessionAal } from "../../../session/aal";
import { publicSessionJson } from "../../../session/json";
import type { Session } from "../../../session/session";
import { runAfterHooks } from "../../hook/registry";
import { FlowValidationError, type LoginResult } from "../../strategy/strategy";
import type { Flow } from "../flow";

/** Where a browser goes after logging in with `method`: flow return_to, per-method, flow-wide, then global default. */
export function loginReturnUrl(deps: Deps, method: string | undefined, flow?: Flow): string {
  const after = deps.config.selfservice.flows.login.after as Record<string, { default_browser_return_url?: string } | string | undefined>;
  const perMethod = method ? after[method] : undefined;
  return (
    flow?.returnTo ??
    (typeof perMethod === "object" ? perMethod.default_browser_return_url : undefined) ??
    deps.config.selfservice.flows.login.after.default_browser_return_url ??
    deps.config.selfservice.default_browser_return_url
  );
}

/**
 * Finishes a successful login: identity must be active; refresh/aal2 flows
 * upgrade the current session, others get a new one; configured hooks run;
 * then the response Kratos gives for the flow type.
 */
export async function completeLogin(deps: Deps, ctx: HttpContext, flow: Flow, result: LoginResult, current: Session | undefined): Promise<void> {
  const { identity, method } = result;
  if (identity.state !== "active") throw FlowValidationError.flow(messages.identityDisabled());

  await runAfterHooks(deps, "login", flow.active ?? method.method, "pre", { ctx, flow, identity });

  let session: Session;
  let token: string | undefined;
  if (current && current.identityId === identity.id && (flow.refresh || flow.requestedAal === "aal2")) {
    current.authenticationMethods = [...current.authenticationMethods, method];
    current.aal = sessionAal(current.authenticationMethods);
    current.authenticatedAt = new Date();
    await deps.sessions.repository.updateAuthentication(current);
    session = { ...current, identity };
    token = deps.sessions.tokenFrom(ctx);
  } else {
    const issued = await deps.sessions.issue(ctx, identity, [method]);
    session = issued.session;
    token = issued.token;
  }

  await runAfterHooks(deps, "login", flow.active ?? method.method, "post", { ctx, flow, identity, session });
  flow.state = "passed_challenge";
  await deps.flows.save(flow);

  const sessionJson = publicSessionJson(deps, session);
  if (flow.type === "api") {
    ctx.json(200, { session: sessionJson, ...(token ? { session_token: token } : {}) });
    return;
  }
  if (token) deps.sessions.setCookie(ctx, token, session);
  const returnTo = loginReturnUrl(deps, method.method, flow);
  if (ctx.isJsonRequest) {
    ctx.json(200, { session: sessionJson, continue_with: [{ action: "redirect_browser_to", redirect_browser_to: returnTo }] });
    return;
  }
  ctx.redirect(returnTo);
}
