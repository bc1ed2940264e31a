import type { IncomingMessage } from "node:http";
import { goQueryParams } from "@olympus/server-kit/go-url";
import type { Interaction } from "oidc-provider";
import type { Deps } from "../deps";
import { checkCsrfCookies, flowCsrfCookie } from "../csrf-cookie";
import { ROUTES } from "../provider/create-provider";
import { continueLoginIn, CONTINUED_CONSENT_KEY } from "../provider/continued-login";
import type { Flow } from "../flows/repository";
import {
  acceptConsentSchema,
  acceptedLoginSchema,
  applyLogin,
  type AcceptedLogin,
  applyRejection,
  finishInteraction,
  recordConsent,
  rejectionForClient,
} from "../provider/decisions";
import { fositeDescription } from "../fosite-errors";
import type { Mapping } from "./mapping";
import { authorizationError, errorPage, type OAuthError } from "./responses";
import { matchRedirectUri, refuseVerifierRequest } from "./verifier-request";

type Kind = "login" | "consent";

/** The verifier URL, without the verifier, is to run as a new authorization that takes the flow's login and consent (continued-login.ts). */
export type ContinueAuthorization = { kind: "continue" };

/**
 * `/oauth2/auth?…&login_verifier=` / `consent_verifier=`: Hydra's
 * verifyAuthentication / verifyConsent on top of oidc-provider.
 *
 * Every verifier handed out stays valid until its flow expires, as Hydra's
 * are encrypted flows: a rejection goes to the client from any browser
 * (Hydra checks it before the cookie); an accepted login can be followed
 * again (ConfirmLoginSession upserts), an accepted consent takes effect
 * once per login (CreateConsentSession's unique key). An acceptance reaches
 * oidc-provider only in a request carrying the CSRF cookie that was set
 * when this browser was sent to the login/consent UI: it finishes the
 * pending interaction, whose resume path only the starting browser can use,
 * or, once that was resumed or is gone, the verifier URL runs as a new
 * authorization that takes the accepted login (and, for a consent, its
 * grant). Anywhere else the client gets `request_forbidden` and the
 * flow is spoiled (its interaction destroyed, its CSRF value dropped), so an
 * accepted login or consent can never be picked up by the starting browser
 * after another browser was refused (login CSRF / session fixation). Hydra
 * would still honour the verifier in the starting browser; Olympus keeps
 * the stricter rule.
 */
export async function redeemVerifier(
  deps: Deps,
  req: IncomingMessage,
  kind: Kind,
  verifier: string,
): Promise<Mapping | ContinueAuthorization> {
  // fosite's r.Form of a GET: the URL's query as Go's url.ParseQuery reads it (query.ts).
  const query = goQueryParams(new URL(req.url ?? "/", "http://placeholder").search);
  // fosite's NewAuthorizeRequest reads the verifier's request before Hydra looks at the verifier: without a
  // known client (a POST authorization's request_url carries no parameters) it ends here.
  const clientId = query.get("client_id") ?? "";
  const client = clientId === "" ? undefined : await deps.clients.get(clientId);
  if (!client) {
    return errorPage(deps, {
      error: "invalid_client",
      error_description: fositeDescription("invalid_client", "The requested OAuth 2.0 Client does not exist."),
    });
  }
  // The rest of that request is checked as fosite checks it, also before the verifier is looked at.
  const refused = await refuseVerifierRequest(deps, query, client);
  if (refused) return refused;
  const used = await deps.flows.useVerifier(kind, verifier);
  if (used.outcome === "invalid") {
    // flow/flow_encoding.go decodeVerifier: access_denied, to the client of the authorization request the URL carries.
    return refuseRequest(deps, query, {
      error: "access_denied",
      error_description: fositeDescription(
        "access_denied",
        `The ${kind} verifier has already been used, has not been granted, or is invalid.`,
      ),
    });
  }
  if (used.outcome === "expired") {
    // flow/flow_encoding.go decodeFlow: past ttl.login_consent_request (also once the cleanup deleted the flow).
    return refuseRequest(deps, query, {
      error: "request_unauthorized",
      error_description: fositeDescription("request_unauthorized", `The ${kind} request has expired, please try again.`),
    });
  }
  const { flow } = used;
  if (kind === "consent" && flow.clientId !== query.get("client_id")) {
    // consent/strategy_default.go verifyConsent: the verifier belongs to another client's authorization.
    return refuseRequest(deps, query, {
      error: "invalid_client",
      error_description: fositeDescription("invalid_client", "The flow client id does not match the authorize request client id."),
    });
  }
  const interaction = flow.interactionUid ? await deps.provider().Interaction.find(flow.interactionUid) : undefined;
  const { name, options } = flowCsrfCookie(deps.config, deps.issuer, kind, flow.clientId ?? "");
  const csrf = checkCsrfCookies(req.headers.cookie, name, flow.csrf, options);
  const resume = (pending: Interaction): Mapping => ({
    kind: "redirect",
    location: `${ROUTES.authorization}/${encodeURIComponent(pending.uid)}`,
  });
  // An error for the client: through the pending interaction's request (oidc-provider forgets it), else the URL's.
  const toClient = async (error: OAuthError): Promise<Mapping> => {
    if (!interaction) return refuseRequest(deps, query, error);
    await interaction.destroy();
    return authorizationError(deps, interaction.params, error);
  };

  if (flow.decision === "rejected") {
    const denied = rejectionForClient(flow.handled, deps.config.oauth2.expose_internal_errors);
    if (!csrf.ok || !interaction) return toClient(denied);
    await applyRejection(flow, interaction, denied);
    return resume(interaction);
  }

  if (kind === "consent") {
    // verifyConsent: CreateConsentSession (the first accepted consent of the login), before the cookie is looked at.
    if (!(await deps.flows.claimConsent(flow))) {
      return refuseRequest(deps, query, {
        error: "access_denied",
        error_description: fositeDescription("access_denied", "The consent verifier has already been used."),
      });
    }
    // A device flow's consent has no browser authorization to finish.
    if (!flow.interactionUid) return expiredInteraction(deps, kind);
    const grantId = await recordConsent(deps, flow, acceptConsentSchema.parse(flow.handled));
    if (!csrf.ok) return refuseInBrowser(deps, flow, csrf.hint, toClient);
    if (interaction) {
      await finishInteraction(interaction, { ...interaction.lastSubmission, consent: { grantId } });
      return resume(interaction);
    }
    // The interaction is gone (a rejection was followed first, or it expired): Hydra still issues the code, so the
    // verifier URL runs as a new authorization that takes the flow's login and this consent.
    const login = await consentedLogin(deps, flow);
    if (!login) return expiredInteraction(deps, kind);
    continueLoginIn(req, async (opened) => {
      await applyLogin(deps, login.flow, opened, login.accepted);
      await finishInteraction(opened, { ...opened.result, [CONTINUED_CONSENT_KEY]: { grantId } });
    });
    return { kind: "continue" };
  }

  if (!csrf.ok) return refuseInBrowser(deps, flow, csrf.hint, toClient);
  const login = acceptedLoginSchema.parse(flow.handled);
  if (interaction) {
    await applyLogin(deps, flow, interaction, login);
    return resume(interaction);
  }
  // A device flow's login has no browser authorization to continue.
  if (!flow.interactionUid) return expiredInteraction(deps, kind);
  // The interaction was resumed already (this or another verifier of the flow was followed): start over from the
  // verifier URL with this login, as Hydra continues to requestConsent.
  continueLoginIn(req, (opened) => applyLogin(deps, flow, opened, login));
  return { kind: "continue" };
}

/** validateCSRFCookie failed: the flow is spoiled for every browser, the client told `request_forbidden`. */
async function refuseInBrowser(deps: Deps, flow: Flow, hint: string, toClient: (error: OAuthError) => Promise<Mapping>): Promise<Mapping> {
  await deps.flows.spoil(flow.challenge);
  return toClient({ error: "request_forbidden", error_description: `The request is not allowed. ${hint}` });
}

/**
 * The accepted login a consent request was opened for (its login
 * challenge's decision), when it is still an acceptance of the consent's
 * subject; a login decided otherwise since cannot carry the consent.
 */
async function consentedLogin(deps: Deps, flow: Flow): Promise<{ flow: Flow; accepted: AcceptedLogin } | undefined> {
  const challenge = flow.request.login_challenge;
  const loginFlow = typeof challenge === "string" && challenge ? await deps.flows.get("login", challenge) : undefined;
  const accepted = acceptedLoginSchema.safeParse(loginFlow?.handled);
  if (!loginFlow || !accepted.success || accepted.data.subject !== flow.subject) return undefined;
  return { flow: loginFlow, accepted: accepted.data };
}

/**
 * An accepted consent whose authorization cannot be finished here: a device
 * flow's, or one whose login was decided otherwise since.
 */
function expiredInteraction(deps: Deps, kind: Kind): Mapping {
  return errorPage(deps, {
    error: "invalid_request",
    error_description: `The authorization request behind this ${kind} verifier has expired or was resumed without it.`,
  });
}

/**
 * Hydra's writeAuthorizeError for an authorization request parsed from the
 * URL alone: to the redirect URI fosite resolved for it
 * (authorize_helper.go MatchRedirectURIWithClientRedirectURIs: the one sent
 * and registered, or the client's only registered one when none was sent)
 * when the client exists, to the error UI otherwise.
 */
async function refuseRequest(deps: Deps, query: URLSearchParams, error: OAuthError): Promise<Mapping> {
  const clientId = query.get("client_id") ?? "";
  const client = clientId ? await deps.clients.get(clientId) : undefined;
  const redirectUri = client ? matchRedirectUri(query.get("redirect_uri") ?? "", client.data.redirect_uris) : undefined;
  if (redirectUri === undefined) return errorPage(deps, error);
  // The request's parameters as Form.Get reads them: a repeated key's first value.
  const params = Object.fromEntries([...query.keys()].map((key) => [key, query.get(key)]));
  return authorizationError(deps, { ...params, redirect_uri: redirectUri }, error);
}
