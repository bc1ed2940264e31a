import type { IncomingMessage } from "node:http";
import type { Deps } from "../deps";
import { checkCsrfCookies, flowCsrfCookie } from "../csrf-cookie";
import { ROUTES } from "../provider/create-provider";
import {
  acceptConsentSchema,
  acceptedLoginSchema,
  applyLogin,
  applyRejection,
  finishInteraction,
  recordConsent,
  rejectionSchema,
} from "../provider/decisions";
import { fositeDescription } from "../fosite-errors";
import type { Mapping } from "./mapping";
import { authorizationError, errorPage, type OAuthError } from "./responses";
import { refuseVerifierRequest } from "./verifier-request";

type Kind = "login" | "consent";

/**
 * `/oauth2/auth?…&login_verifier=` / `consent_verifier=`: Hydra's
 * verifyAuthentication / verifyConsent on top of oidc-provider.
 *
 * The verifier is spent at once. A rejection goes to the client from any
 * browser (Hydra checks it before the cookie). An acceptance reaches
 * oidc-provider's interaction only in a request carrying the CSRF cookie
 * that was set when this browser was sent to the login/consent UI; the
 * browser then continues at oidc-provider's resume path, which only the
 * browser that started the authorization can use. Anywhere else the
 * interaction is destroyed and the client gets `request_forbidden`, so an
 * accepted login or consent can never be picked up by the starting browser
 * after the UI's browser was refused (login CSRF / session fixation).
 */
export async function redeemVerifier(deps: Deps, req: IncomingMessage, kind: Kind, verifier: string): Promise<Mapping> {
  const query = new URL(req.url ?? "/", "http://placeholder").searchParams;
  // fosite's NewAuthorizeRequest reads the verifier's request before Hydra looks at the verifier: without a
  // known client (a POST authorization's request_url carries no parameters) it ends here, the verifier unspent.
  const clientId = query.get("client_id") ?? "";
  const client = clientId === "" ? undefined : await deps.clients.get(clientId);
  if (!client) {
    return errorPage(deps, {
      error: "invalid_client",
      error_description: fositeDescription("invalid_client", "The requested OAuth 2.0 Client does not exist."),
    });
  }
  // The rest of that request is checked as fosite checks it, also before the verifier is spent.
  const refused = await refuseVerifierRequest(deps, query, client);
  if (refused) return refused;
  const flow = await deps.flows.redeem(kind, verifier);
  if (!flow) {
    // flow/flow_encoding.go decodeVerifier: access_denied, to the client of the authorization request the URL carries.
    return refuseRequest(deps, query, {
      error: "access_denied",
      error_description: fositeDescription(
        "access_denied",
        `The ${kind} verifier has already been used, has not been granted, or is invalid.`,
      ),
    });
  }
  if (kind === "consent" && flow.clientId !== query.get("client_id")) {
    // consent/strategy_default.go verifyConsent: the verifier belongs to another client's authorization.
    return refuseRequest(deps, query, {
      error: "invalid_client",
      error_description: fositeDescription("invalid_client", "The flow client id does not match the authorize request client id."),
    });
  }
  const interaction = flow.interactionUid ? await deps.provider().Interaction.find(flow.interactionUid) : undefined;
  if (!interaction) {
    return errorPage(deps, {
      error: "invalid_request",
      error_description: `The authorization request behind this ${kind} verifier has expired or was resumed without it.`,
    });
  }
  const { name, options } = flowCsrfCookie(deps.config, deps.issuer, kind, flow.clientId ?? "");
  const csrf = checkCsrfCookies(req.headers.cookie, name, flow.csrf, options);
  const resume: Mapping = { kind: "redirect", location: `${ROUTES.authorization}/${encodeURIComponent(interaction.uid)}` };

  if (flow.decision === "rejected") {
    const denied = rejectionSchema.parse(flow.handled);
    if (csrf.ok) {
      await applyRejection(flow, interaction, denied);
      return resume;
    }
    await interaction.destroy();
    return authorizationError(deps, interaction.params, denied);
  }

  // Hydra's verifyConsent stores the consent session before it looks at the cookie.
  const grantId = kind === "consent" ? await recordConsent(deps, flow, acceptConsentSchema.parse(flow.handled)) : undefined;
  if (!csrf.ok) {
    await interaction.destroy();
    return authorizationError(deps, interaction.params, {
      error: "request_forbidden",
      error_description: `The request is not allowed. ${csrf.hint}`,
    });
  }
  if (grantId) await finishInteraction(interaction, { ...interaction.lastSubmission, consent: { grantId } });
  else await applyLogin(deps, flow, interaction, acceptedLoginSchema.parse(flow.handled));
  return resume;
}

/**
 * Hydra's writeAuthorizeError for an authorization request parsed from the
 * URL alone: to the client's redirect URI when the client exists and has
 * registered it, to the error UI otherwise.
 */
async function refuseRequest(deps: Deps, query: URLSearchParams, error: OAuthError): Promise<Mapping> {
  const clientId = query.get("client_id") ?? "";
  const redirectUri = query.get("redirect_uri") ?? "";
  const client = clientId ? await deps.clients.get(clientId) : undefined;
  if (!client || !client.data.redirect_uris.includes(redirectUri)) return errorPage(deps, error);
  return authorizationError(deps, Object.fromEntries(query), error);
}
