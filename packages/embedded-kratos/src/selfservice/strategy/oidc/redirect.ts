import type { JsonObject } from "../../../http/body";
import { errors } from "../../../http/errors";
import { CompletedByStrategy } from "../../flow/completed-by-strategy";
import type { LoginFlow, RegistrationFlow, SettingsFlow } from "../../flow/flow";
import type { StrategyContext } from "../strategy";
import { authorizationUrl, pkceVerifier } from "./client";
import { callbackUrl, oidcProvider } from "./config";
import { pauseContinuity } from "./state";
import { sealState } from "./state";

/**
 * The end of Login / Register / initLinkProvider: seal the state (flow,
 * provider, PKCE verifier), keep the continuity container (state + submitted
 * traits) for this browser, save the flow and send the browser to the
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
  const pkce = await pkceVerifier(provider);
  const state = sealState(deps.config, { flow: flow.id, kind: flow.kind, provider: provider.id, pkce });
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
  pauseContinuity(http, deps.config, flow, state, traits);
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
