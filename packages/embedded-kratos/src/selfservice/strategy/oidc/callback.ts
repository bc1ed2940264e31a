import { goParseQuery, goValuesGet } from "@olympus/server-kit/go-url";
import type { Deps } from "../../../deps";
import type { HttpContext } from "../../../http/context";
import { KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import type { Identity } from "../../../identity/identity";
import type { Session } from "../../../session/session";
import { forwardFlowError, handleExpired, respondWithValidationError, writeFlowError } from "../../flow/engine";
import type { FlowDeps } from "../../flow/flow-deps";
import { isExpired, type Flow } from "../../flow/flow";
import { loginFlow } from "../../flow/login/definition";
import { registrationFlow } from "../../flow/registration/definition";
import { settingsFlow } from "../../flow/settings/definition";
import { FlowValidationError } from "../../flow/validation-error";
import type { StrategyContext } from "../strategy";
import { claimsFrom, type Claims } from "./claims";
import { exchangeCode, userInfo, type ProviderTokens } from "./client";
import { callbackUrl, oidcProvider, type OidcProvider } from "./config";
import { processLogin, processRegistration } from "./process";
import { linkInSettings } from "./settings-link";
import { codeForFlow, maybeRedirectApiCodeFlow } from "../../flow/token-exchange";
import { continueAuthCode } from "./continuity";
import { codeMatches, openState, type StateFlowKind } from "./state";
import { redirectToGet, goRawQuery } from "./form-post";

const DISABLED =
  "This endpoint was disabled by system administrator. Please check your url or contact the system administrator to enable it.";

/** RegisterPublicRoutes: the callback (GET, with or without the provider in the path) and form_post answers (POST → 302 to GET). */
export function registerCallbackRoutes(router: Router, deps: Deps): void {
  const handler = (ctx: HttpContext) => handleCallback(flowDepsOf(deps), ctx);
  router.get("/self-service/methods/oidc/callback/:provider", handler);
  router.get("/self-service/methods/oidc/callback", handler);
  router.post("/self-service/methods/oidc/callback/:provider", (ctx) => redirectToGet(deps.config.publicBaseUrl, ctx));
}

/**
 * The callback finishes login, registration and settings flows itself, as
 * Kratos' strategy calls the flows' hook executors, so it needs what the
 * flow layer works with. The server hands every strategy the same object.
 */
function flowDepsOf(deps: Deps): FlowDeps {
  if (!("strategies" in deps)) throw new Error("the oidc callback needs the flow dependencies");
  return deps as FlowDeps;
}

const badRequest = (reason: string) => new KratosError(400, { reason });

/** Strategy.HandleCallback with ValidateCallback. */
async function handleCallback(deps: FlowDeps, ctx: HttpContext): Promise<void> {
  if (deps.config.selfservice.methods.oidc?.enabled !== true) throw new KratosError(404, { reason: DISABLED });
  // r.URL.Query(): Go's url.ParseQuery, the pairs it cannot parse left out (a `;`, a bad `%` escape).
  const values = goParseQuery(goRawQuery(ctx)).values;
  const param = (key: string) => goValuesGet(values, key);
  const stateParam = param("state");
  if (stateParam === "") {
    return deps.errors.forward(
      ctx,
      badRequest("Unable to complete OpenID Connect flow because the OpenID Provider did not return the state query parameter."),
    );
  }
  const state = openState(deps.config, stateParam);
  if (!state) return deps.errors.forward(ctx, badRequest("Unable to complete OpenID Connect flow because the state parameter is invalid."));
  const providerFromUrl = ctx.params.provider ?? "";
  // A state without a provider (older Kratos versions) takes the one in the URL.
  if (state.provider === "") state.provider = providerFromUrl;
  else if (providerFromUrl !== "" && providerFromUrl !== state.provider) {
    return deps.errors.forward(
      ctx,
      badRequest("Unable to complete OpenID Connect flow: provider mismatch between internal state and URL."),
    );
  }
  if (state.provider === "")
    return deps.errors.forward(
      ctx,
      badRequest("Unable to complete OpenID Connect flow: provider could not be retrieved from state nor URL."),
    );

  // validateFlow (a state of unspecified kind tries login, registration, then settings).
  if (state.flowId === NIL_UUID)
    return deps.errors.forward(
      ctx,
      badRequest("The session cookie contains invalid values and the flow could not be executed. Please try again."),
    );
  const flow = await findFlow(deps, state.flowId, state.kind);
  if (!flow) return deps.errors.forward(ctx, new KratosError(404, { message: "Unable to locate the resource" }));
  const session = await deps.sessions.fromRequest(ctx);
  const identity =
    flow.kind === "settings" && session ? await deps.identityRepository.get(session.identityId, { withCredentials: true }) : undefined;
  const sctx: StrategyContext = { deps, http: ctx, session, identity };
  if (flow.kind === "settings") {
    if (!session || !identity)
      return forwardFlowError(
        deps,
        ctx,
        flow,
        new KratosError(401, { id: "session_inactive", reason: "No active session was found in this request." }),
      );
    if (flow.identityId !== session.identityId) {
      return forwardFlowError(
        deps,
        ctx,
        flow,
        new KratosError(403, {
          id: "security_identity_mismatch",
          reason: "The request was initiated by someone else and has been blocked for security reasons. Please go back and try again.",
        }),
      );
    }
  }
  if (isExpired(flow)) return handleExpired(deps, definitionOf(flow), ctx, flow, sctx);

  try {
    // A native flow with a session token exchange finishes in another browser: the state's code hash stands in for the cookie.
    const exchange = flow.kind === "settings" ? undefined : await codeForFlow(deps, flow.id);
    let traits: Record<string, unknown> | undefined;
    if (flow.type === "browser" || !exchange) {
      const container = await continueAuthCode(deps, ctx);
      if (container.state !== stateParam) {
        throw badRequest(
          "Unable to complete OpenID Connect flow because the query state parameter does not match the state parameter from the session cookie.",
        );
      }
      traits = container.traits ?? undefined;
    } else if (!codeMatches(state, exchange.initCode)) {
      throw badRequest(
        "Unable to complete OpenID Connect flow because the query state parameter does not match the state parameter from the code.",
      );
    }
    const errorParam = param("error");
    if (errorParam !== "") {
      throw badRequest(
        `Unable to complete OpenID Connect flow because the OpenID Provider returned error "${errorParam}": ${param("error_description")}`,
      );
    }
    const code = param("code") || param("authCode");
    if (code === "")
      throw badRequest("Unable to complete OpenID Connect flow because the OpenID Provider did not return the code query parameter.");

    // alreadyAuthenticated: a signed-in browser finishing a login (not a refresh) or a sign-up is just sent on.
    if (session && (flow.kind === "registration" || (flow.kind === "login" && !flow.refresh))) {
      // A native flow with an exchange hands the browser's session to the app.
      if (await maybeRedirectApiCodeFlow(deps, ctx, flow, { id: session.id, token: deps.sessions.tokenFrom(ctx) }, "oidc")) return;
      ctx.redirect(deps.returnTo.target(flow.returnTo) ?? deps.config.selfservice.default_browser_return_url);
      return;
    }

    const provider = oidcProvider(deps.config, state.provider);
    // openid-client reads the code from a callback URL: it gets only what Kratos hands x/oauth2 (cmp.Or(code, authCode); the state Kratos checked).
    const callback = new URL(callbackUrl(deps.config, provider.id));
    callback.search = new URLSearchParams({ code, state: stateParam }).toString();
    const { tokens, claims } = await claimsOf(provider, callback, { state: stateParam, pkce: state.pkce });
    flow.active = "oidc";
    switch (flow.kind) {
      case "login":
        return await processLogin(deps, ctx, flow, session, { provider, claims, tokens, traits });
      case "registration":
        return await processRegistration(deps, ctx, flow, { provider, claims, tokens, traits });
      case "settings":
        return await linkInSettings(
          deps,
          ctx,
          flow,
          { session: session as Session, identity: identity as Identity },
          { provider, claims, tokens },
        );
    }
  } catch (error) {
    if (error instanceof FlowValidationError) return respondWithValidationError(deps, definitionOf(flow), ctx, flow, {}, error, sctx);
    if (error instanceof KratosError) return writeFlowError(deps, definitionOf(flow), ctx, flow, error, {}, sctx);
    throw error;
  }
}

/** The provider's claims (id_token or userinfo, per `claims_source`) as the mapper sees them. */
async function claimsOf(
  provider: OidcProvider,
  callback: URL,
  checks: { state: string; pkce: string },
): Promise<{ tokens: ProviderTokens; claims: Claims }> {
  const exchanged = await exchangeCode(provider, callback, checks);
  const subject = typeof exchanged.idTokenClaims.sub === "string" ? exchanged.idTokenClaims.sub : "";
  if (provider.claimsSource === "userinfo") {
    const info = await userInfo(provider, exchanged.tokens.accessToken, subject);
    // claimsFromUserInfo: the issuer comes from the ID token when userinfo leaves it out.
    return { tokens: exchanged.tokens, claims: claimsFrom({ iss: exchanged.idTokenClaims.iss, ...info }) };
  }
  return { tokens: exchanged.tokens, claims: claimsFrom(exchanged.idTokenClaims) };
}

const NIL_UUID = "00000000-0000-0000-0000-000000000000";
const STATE_KINDS: readonly StateFlowKind[] = ["login", "registration", "settings"];

async function findFlow(deps: FlowDeps, id: string, kind: StateFlowKind | undefined): Promise<Flow | undefined> {
  for (const k of kind ? [kind] : STATE_KINDS) {
    const flow = await deps.flows.get(k, id);
    if (flow && flow.kind === k) return flow;
  }
  return undefined;
}

// The definitions are typed per kind; the callback only meets the three kinds its state names.
function definitionOf(flow: Flow): typeof loginFlow | typeof registrationFlow | typeof settingsFlow {
  if (flow.kind === "login") return loginFlow;
  if (flow.kind === "registration") return registrationFlow;
  return settingsFlow;
}
