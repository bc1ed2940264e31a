import type { HttpContext } from "../../../http/context";
import { copyKeepingJsonTexts } from "../../../http/json-text";
import { loginChallengeOf } from "../../../hydra/hydra";
import type { Session } from "../../../session/session";
import { createFlow } from "../engine";
import { urlWithFlow, type LoginFlow } from "../flow";
import type { FlowDeps } from "../flow-deps";
import { loginFlow } from "./definition";

/**
 * login.HookExecutor.PostLoginHook's special case for account linking: the
 * first factor proved the account, but the session falls short of
 * `session.whoami.required_aal`, so nothing is linked yet. Instead a new
 * browser login flow is created as login.Handler.NewLoginFlow would for the
 * `aal=aal2` URL the session was pointed at (its request URL, so its
 * `return_to` and `login_challenge` too), carrying a copy of the linking
 * flow's internal context (WithInternalContext) — the waiting credential is
 * linked when that flow's second factor completes. The answer is
 * x.SendFlowCompletedAsRedirectOrJSON: the flow (200) for JSON clients, a
 * 303 to the login UI otherwise.
 */
export async function continueLinkingAtHigherAal(
  deps: FlowDeps,
  ctx: HttpContext,
  linking: LoginFlow,
  stepUpUrl: string,
  session: Session,
): Promise<void> {
  const query = new URL(stepUpUrl).searchParams;
  const challenge = loginChallengeOf(deps.config, query);
  const flow = await createFlow(deps, loginFlow, ctx, "browser", {
    requestUrl: stepUpUrl,
    returnTo: query.get("return_to") ?? undefined,
    strategy: { session },
    prepare: (f) => {
      f.requestedAal = "aal2";
      f.sessionId = session.id;
      f.identityId = session.identityId;
      f.oauth2LoginChallenge = challenge;
      f.internal = copyKeepingJsonTexts(linking.internal);
    },
  });
  const uiUrl = loginFlow.uiUrl(deps.config);
  if (ctx.acceptsJson || !uiUrl) {
    // The flow as NewLoginFlow returns it, without Hydra's login request (only its own endpoints look that up).
    ctx.json(200, await loginFlow.toJson(flow, deps));
    return;
  }
  ctx.redirect(urlWithFlow(uiUrl, flow.id));
}
