import type { IncomingMessage } from "node:http";
import { goQueryParams, goUrlSetQuery } from "@olympus/server-kit/go-url";
import { withQuery } from "@olympus/server-kit/http";
import type { Interaction } from "oidc-provider";
import type { Deps } from "../deps";
import { HydraError } from "../errors";
import { fositeHydraError } from "../fosite-errors";
import { readDecoderBody } from "../http";
import { assertStorable } from "../storable";
import type { Flow, FlowKind } from "../flows/repository";
import { decodeGoJson, type GoStruct } from "./go-json";

/**
 * `<kind>_challenge`, or Hydra's generic `challenge` (consent/handler.go:
 * cmp.Or of r.URL.Query().Get of each, so the first value of each, Go's
 * query parsing dropping malformed pairs).
 */
export function challengeParam(url: URL, kind: FlowKind): string {
  const query = goQueryParams(url.search);
  return query.get(`${kind}_challenge`) || query.get("challenge") || "";
}

/**
 * A login or consent challenge as Hydra's flow.DecodeFromLoginChallenge /
 * DecodeFromConsentChallenge answer it: a missing parameter is
 * invalid_request, an unknown challenge x.ErrNotFound (404), an expired one
 * request_unauthorized (401), also once the cleanup deleted its flow.
 */
export async function loadFlow(deps: Deps, kind: "login" | "consent", url: URL): Promise<Flow> {
  const challenge = challengeParam(url, kind);
  if (!challenge) throw fositeHydraError("invalid_request", "Query parameter 'challenge' is not defined but should have been.");
  const flow = await deps.flows.get(kind, challenge);
  if (!flow) {
    const sealedExpiry = deps.flows.issuedChallengeExpiry(kind, challenge);
    if (sealedExpiry && sealedExpiry.getTime() <= Date.now()) throw expiredFlow(kind);
    throw HydraError.notFound();
  }
  if (flow.expiresAt.getTime() <= Date.now()) throw expiredFlow(kind);
  return flow;
}

/** The request as the admin API shows it: without what only the server needs (`_` keys). */
export function publicRequest(flow: Flow): Record<string, unknown> {
  return Object.fromEntries(Object.entries(flow.request).filter(([key]) => !key.startsWith("_")));
}

/**
 * A login/consent accept or reject body, read as Hydra's handler reads it
 * (consent/handler.go): a missing challenge parameter is refused first, then
 * the body is decoded into its struct (Go's JSON decoding), before the
 * challenge is looked up.
 */
export async function readDecisionBody(
  req: IncomingMessage,
  url: URL,
  kind: "login" | "consent",
  type: GoStruct,
  onError: (message: string) => HydraError,
): Promise<Record<string, unknown>> {
  if (!challengeParam(url, kind))
    throw fositeHydraError("invalid_request", "Query parameter 'challenge' is not defined but should have been.");
  const decoded = decodeGoJson(await readDecoderBody(req, onError), type);
  if (!decoded.ok) throw onError(decoded.message);
  assertStorable(decoded.value);
  return decoded.value;
}

/** flow/flow_encoding.go decodeFlow for a challenge past `ttl.login_consent_request`. */
export function expiredFlow(kind: "login" | "consent"): HydraError {
  return fositeHydraError("request_unauthorized", `The ${kind} request has expired, please try again.`);
}

/** The oidc-provider interaction behind a login or consent challenge. */
export async function loadInteraction(deps: Deps, flow: Flow): Promise<Interaction | undefined> {
  return flow.interactionUid ? deps.provider().Interaction.find(flow.interactionUid) : undefined;
}

/**
 * Where a login or consent decision sends the browser: Hydra's
 * urlx.SetQuery(url.Parse(f.RequestURL), params).String() (consent/handler.go),
 * the request URL's query parsed by Go, the parameter set and the whole
 * query written again in key order. A request URL Go cannot parse (none is
 * stored) keeps its query as it is, with the parameter set.
 */
export function decisionRedirect(requestUrl: string, params: Record<string, string>): string {
  return goUrlSetQuery(requestUrl, params) ?? withQuery(requestUrl, params);
}
