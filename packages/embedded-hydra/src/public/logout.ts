import type { IncomingMessage, ServerResponse } from "node:http";
import type { Client, Session } from "oidc-provider";
import { frontChannelPage, notifyClients } from "./logout-notifications";
import { z } from "zod";
import { clientToJson, type StoredClient } from "../clients/model";
import { withQuery } from "@olympus/server-kit/http";
import type { Deps } from "../deps";
import { providerCookieOptions } from "../provider/create-provider";
import { isStorableText } from "@olympus/server-kit/text";
import type { Mapping } from "./mapping";
import { errorPage } from "./responses";
import { readLogoutForm } from "./logout-form";
import { fositeDescription } from "../fosite-errors";
import type { BrowserLogin } from "../sessions/repository";

/**
 * `/oauth2/sessions/logout` as Hydra answers it (consent/strategy_default.go
 * issueLogoutVerifier and completeLogout), over oidc-provider's sessions.
 *
 * With an id_token_hint the logout request is about the login session the
 * hint's `sid` names (Hydra's login session id, sessions/repository.ts) —
 * its subject, whoever is signed in in the browser that follows the link —
 * so the logout UI can tell that apart from the person in front of it.
 * Without a hint it is about the login session the browser's cookie names.
 * Only remembered login sessions can be logged out (Hydra keeps no browser
 * session for others): a hint naming none is sent straight back.
 */

/** Key under which a logout request keeps what only completion needs (never shown by the admin API). */
export const LOGOUT_PRIVATE_KEY = "_logout";
const logoutPrivateSchema = z.object({ post_logout_redirect: z.string().min(1) });

const INVALID_REQUEST =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";

interface LogoutRequest {
  subject: string;
  /** Hydra's login session id, which the logout ends. */
  sid: string;
  rpInitiated: boolean;
  client?: StoredClient;
  /** Where the browser goes afterwards (post_logout_redirect_uri with state, or Hydra's LogoutRedirectURL). */
  redirectTo: string;
  requestUrl: string;
}

function invalidRequest(deps: Deps, hint: string): Mapping {
  return errorPage(deps, { error: "invalid_request", error_description: `${INVALID_REQUEST} ${hint}` });
}

/** Hydra's LogoutRedirectURL: `urls.post_logout_redirect`, else its fallback page. */
function defaultRedirect(deps: Deps): string {
  return deps.urls.postLogoutRedirect;
}

/** The oidc-provider session behind this browser's session cookie, and a way to clear that cookie. */
async function browserSession(deps: Deps, req: IncomingMessage, res: ServerResponse) {
  const provider = deps.provider();
  const { cookies } = provider.createContext(req, res);
  const name = deps.config.serve.cookies.names.session;
  const options = providerCookieOptions(deps.config);
  const id = cookies.get(name, { signed: options.signed });
  return {
    session: id ? await provider.Session.find(id) : undefined,
    clearCookie: () => cookies.set(name, null, options),
  };
}

/** Hydra's authenticationSession: the remembered login session the browser's cookie names, if any. */
async function remembered(deps: Deps, session: Session | undefined): Promise<BrowserLogin | undefined> {
  if (!session?.accountId) return undefined;
  const login = await deps.sessions.browserLogin(session.uid);
  return login?.subject === session.accountId ? login : undefined;
}

/**
 * issueLogoutVerifier. `requestUrl` is what Hydra keeps as the request's
 * request_url, r.URL.String() of a server request: the path and the raw
 * query as sent, no scheme or host, a posted form not in it.
 */
export async function startLogout(deps: Deps, req: IncomingMessage, res: ServerResponse, requestUrl: string): Promise<Mapping> {
  const parsed = await readLogoutForm(req, requestUrl.split("?").slice(1).join("?"));
  if (parsed.kind === "unparsable") return invalidRequest(deps, `Logout failed because the '${req.method}' request could not be parsed.`);
  const params = parsed.form;
  const hint = params.get("id_token_hint") ?? "";
  const state = params.get("state") ?? "";
  const requested = params.get("post_logout_redirect_uri") ?? "";

  if (!hint) {
    if (state) return invalidRequest(deps, "Logout failed because query parameter state is set but id_token_hint is missing.");
    if (requested)
      return invalidRequest(deps, "Logout failed because query parameter post_logout_redirect_uri is set but id_token_hint is missing.");
    const { session } = await browserSession(deps, req, res);
    const own = await remembered(deps, session);
    if (!own) return { kind: "redirect", location: defaultRedirect(deps) };
    return logoutChallenge(deps, req, res, {
      subject: own.subject,
      sid: own.id,
      rpInitiated: false,
      redirectTo: defaultRedirect(deps),
      requestUrl,
    });
  }

  const verified = await verifyHint(deps, hint);
  if ("kind" in verified) return verified;
  const { sid, client } = verified;
  let redirectTo = defaultRedirect(deps);
  if (requested) {
    if (!client.data.post_logout_redirect_uris.includes(requested)) {
      return invalidRequest(
        deps,
        "Logout failed because query parameter post_logout_redirect_uri is not a whitelisted as a post_logout_redirect_uri for the client.",
      );
    }
    redirectTo = state ? withQuery(requested, { state }) : requested;
  }
  // GetRememberedLoginSession(hint sid): already ended (or never remembered): nothing to ask, back to the client.
  const hinted = await deps.sessions.rememberedLogin(sid);
  if (!hinted) return { kind: "redirect", location: redirectTo };
  return logoutChallenge(deps, req, res, {
    subject: hinted.subject,
    sid,
    rpInitiated: true,
    client,
    redirectTo,
    requestUrl,
  });
}

/** Hydra's checks of an id_token_hint (signed by us, expiry ignored), with its error hints. */
async function verifyHint(deps: Deps, hint: string): Promise<{ sid: string; client: StoredClient } | Mapping> {
  let claims: Record<string, unknown>;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(hint.split(".")[1] ?? "", "base64url").toString("utf8"));
    if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) throw new Error("not an object");
    claims = decoded as Record<string, unknown>;
  } catch {
    return invalidRequest(deps, "Logout failed because query parameter id_token_hint could not be decoded.");
  }
  const text = (name: string) => (typeof claims[name] === "string" ? claims[name] : "");
  if (text("iss") !== deps.issuer) {
    return invalidRequest(
      deps,
      `Logout failed because issuer claim value '${text("iss")}' from query parameter id_token_hint does not match with issuer value from configuration '${deps.issuer}'.`,
    );
  }
  const now = Math.round(Date.now() / 1000);
  const iat = typeof claims.iat === "number" ? claims.iat : 0;
  if (typeof claims.iat !== "number" || iat > now) {
    return invalidRequest(
      deps,
      `Logout failed because iat claim value '${iat.toFixed(0)}' from query parameter id_token_hint is before now ('${now}').`,
    );
  }
  if (!text("sid")) return invalidRequest(deps, "Logout failed because query parameter id_token_hint is missing sid claim.");
  if (!text("sub")) return invalidRequest(deps, "Logout failed because query parameter id_token_hint is missing sub claim.");

  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter(
    (aud): aud is string => typeof aud === "string" && aud !== "" && isStorableText(aud),
  );
  for (const aud of audiences) {
    const client = await deps.clients.get(aud);
    const providerClient: Client | undefined = client
      ? await deps
          .provider()
          .Client.find(aud)
          .catch(() => undefined)
      : undefined;
    if (!client || !providerClient) continue;
    try {
      await deps.provider().IdToken.validate(hint, providerClient);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return invalidRequest(deps, `Logout failed because query parameter id_token_hint could not be verified: ${reason}.`);
    }
    return { sid: text("sid"), client };
  }
  return invalidRequest(deps, "Logout failed because none of the listed audiences is a registered OAuth 2.0 Client.");
}

async function logoutChallenge(deps: Deps, req: IncomingMessage, res: ServerResponse, request: LogoutRequest): Promise<Mapping> {
  const logoutUi = deps.urls.logout;
  const challenge = await deps.flows.create({
    kind: "logout",
    subject: request.subject,
    ...(request.client ? { clientId: request.client.id } : {}),
    request: {
      subject: request.subject,
      sid: request.sid,
      request_url: request.requestUrl,
      rp_initiated: request.rpInitiated,
      ...(request.client ? { client: clientToJson(request.client) } : {}),
      [LOGOUT_PRIVATE_KEY]: { post_logout_redirect: request.redirectTo },
    },
    ttlSeconds: deps.config.ttl.login_consent_request,
  });
  return { kind: "redirect", location: withQuery(logoutUi, { logout_challenge: challenge }) };
}

/**
 * `/oauth2/sessions/logout?logout_verifier=`: the logout UI accepted; end what Hydra's completeLogout ends.
 * The verifier is redeemed as VerifyAndInvalidateLogoutRequest does: one of no accepted (and not since rejected)
 * request is x.ErrNotFound; a used one redeems again; an expired OP-initiated one is flow.ErrorLogoutFlowExpired
 * (an RP-initiated request has no expiry). Errors go to the error UI (oauth2/handler.go forwardError).
 */
export async function completeLogout(deps: Deps, req: IncomingMessage, res: ServerResponse, verifier: string): Promise<Mapping> {
  const flow = await deps.flows.useLogoutVerifier(verifier);
  const parsed = logoutPrivateSchema.safeParse(flow?.request[LOGOUT_PRIVATE_KEY]);
  if (!flow || !parsed.success) {
    return errorPage(deps, { error: "Not Found", error_description: "Unable to locate the requested resource" });
  }
  const rpInitiated = flow.request.rp_initiated === true;
  // issueLogoutVerifier sets ExpiresAt only for the OP-initiated request; the column here is NOT NULL, so the
  // RP-initiated request's stored expiry is ignored.
  if (!rpInitiated && flow.expiresAt.getTime() < Date.now()) {
    return errorPage(deps, {
      error: "request_unauthorized",
      error_description: fositeDescription("request_unauthorized", "The logout request has expired, please try the flow again."),
    });
  }
  return finishLogout(deps, req, res, {
    subject: flow.subject ?? "",
    sid: typeof flow.request.sid === "string" ? flow.request.sid : "",
    rpInitiated,
    redirectTo: parsed.data.post_logout_redirect,
    requestUrl: typeof flow.request.request_url === "string" ? flow.request.request_url : "",
  });
}

/**
 * Hydra's completeLogout: the browser's session cookie is revoked, the
 * clients of the logout request's login session hear of it, and that login
 * session ends. An OP-initiated request ends nothing when the browser's
 * remembered login is gone or is another subject's by now.
 */
async function finishLogout(deps: Deps, req: IncomingMessage, res: ServerResponse, request: LogoutRequest): Promise<Mapping> {
  const done: Mapping = { kind: "redirect", location: request.redirectTo };
  const browser = await browserSession(deps, req, res);
  if (!request.rpInitiated) {
    const own = await remembered(deps, browser.session);
    if (!own || own.subject !== request.subject) return done;
  }
  // revokeAuthenticationCookie (best effort): this browser names no login session any more, whoever it belongs to.
  if (browser.session) {
    await forgetBrowser(deps, browser.session).catch((error: unknown) =>
      deps.logger.log("warn", "ending the browser's login session failed", { error: String(error) }),
    );
  }
  browser.clearCookie();
  const frontChannel = await endLoginSession(deps, request.subject, request.sid, { frontChannel: true });
  // Clients with a frontchannel_logout_uri are loaded in iframes before the browser moves on.
  return frontChannel.length ? { kind: "html", status: 200, body: frontChannelPage(frontChannel, request.redirectTo) } : done;
}

/** A browser's session cookie revoked: its oidc-provider session ends, the login session it named stays (as Hydra's row). */
async function forgetBrowser(deps: Deps, session: Session): Promise<void> {
  await deps.sessions.clearBrowserLogin(session.uid);
  await session.destroy();
}

/**
 * Hydra's performBackChannelLogoutAndDeleteSession (with the front-channel
 * URLs of generateFrontChannelLogoutURLs when asked): the clients the
 * subject consented to in login session `sid` hear that it ended, then it
 * is deleted, and with it the oidc-provider session of the browser whose
 * cookie named it. A login session already gone has no clients left
 * (hydra_oauth2_flow.login_session_id is ON DELETE SET NULL), so a replay
 * notifies nobody. Returns the front-channel logout URLs to load.
 */
export async function endLoginSession(deps: Deps, subject: string, sid: string, options: { frontChannel: boolean }): Promise<string[]> {
  const frontChannel = await notifyClients(deps, subject, sid, options);
  for (const deleted of await deps.sessions.deleteLogins({ sessionId: sid })) {
    const session = deleted.browserUid ? await deps.provider().Session.findByUid(deleted.browserUid) : undefined;
    await session?.destroy();
  }
  return frontChannel;
}
