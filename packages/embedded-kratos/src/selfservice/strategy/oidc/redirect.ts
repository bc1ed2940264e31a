import type { JsonObject } from "../../../http/body";
import { errors, KratosError } from "../../../http/errors";
import { CompletedByStrategy } from "../../flow/completed-by-strategy";
import type { LoginFlow, RegistrationFlow, SettingsFlow } from "../../flow/flow";
import type { StrategyContext } from "../strategy";
import { authorizationUrl, pkceVerifier } from "./client";
import { callbackUrl, oidcProvider } from "./config";
import { codeForFlow } from "../../flow/token-exchange";
import { pauseAuthCode } from "./continuity";
import { sealState } from "./state";

/**
 * The end of Login / Register / initLinkProvider: seal the state (flow,
 * provider, PKCE verifier), keep the continuity container (state + submitted
 * traits) for this browser (./continuity.ts), save the flow and send the browser to the
 * provider — a 303, or 422 browser_location_change_required for AJAX.
 */
export async function redirectToProvider(
  flow: LoginFlow | RegistrationFlow | SettingsFlow,
  body: JsonObject,
  providerId: string,
  ctx: StrategyContext,
): Promise<never> {
  const { deps, http } = ctx;
  const provider = oidcProvider(deps.config, providerId);
  // ProcessIDToken: a native app's id_token needs a provider that verifies them (IDTokenVerifier); the generic one does not.
  if (flow.kind !== "settings" && typeof body.id_token === "string" && body.id_token !== "") {
    throw new KratosError(502, {
      id: "upstream_error",
      message: "Upstream error",
      reason: `The provider ${provider.type} does not support id_token verification`,
    });
  }
  const pkce = await pkceVerifier(provider);
  // A native flow with a session token exchange binds the state to its init code (GenerateState).
  const exchange = flow.kind === "settings" ? undefined : await codeForFlow(deps, flow.id);
  const state = sealState(deps.config, { flowId: flow.id, kind: flow.kind, provider: provider.id, pkce, initCode: exchange?.initCode });
  const traits =
    typeof body.traits === "object" && body.traits !== null && !Array.isArray(body.traits)
      ? (body.traits as Record<string, unknown>)
      : undefined;
  const url = await authorizationUrl(provider, {
    redirectUri: callbackUrl(deps.config, provider.id),
    state,
    pkce,
    forceLogin: flow.kind === "login" && flow.refresh,
    upstream: upstreamParameters(body.upstream_parameters),
  });
  await pauseAuthCode(deps, http, { flowId: flow.id, state, traits });
  flow.active = "oidc";
  await deps.flows.save(flow);
  if (http.isJsonRequest) http.error(errors.browserLocationChangeRequired(url));
  else http.redirect(url);
  throw new CompletedByStrategy();
}

/** UpstreamParameters: the few authorization parameters Kratos lets a form pass on to the provider. */
const UPSTREAM = new Set(["login_hint", "hd", "prompt", "auth_type"]);

function upstreamParameters(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (UPSTREAM.has(key) && typeof v === "string") out[key] = v;
  return out;
}
