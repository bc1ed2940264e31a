import type { IncomingMessage, ServerResponse } from "node:http";
import { goQueryParams } from "@olympus/server-kit/go-url";
import { goTrimSpace } from "@olympus/server-kit/text";
import type { Deps } from "../deps";
import { ROUTES } from "../provider/create-provider";
import { recordRequestUrlQuery, rewriteAuthorizationQuery } from "../provider/request-params";
import { discoveryDocument } from "./discovery";
import { fallbackPage } from "./fallbacks";
import { handleRegistration } from "./registration";
import { completeLogout, startLogout } from "./logout";
import type { Mapping } from "./mapping";
import { CREDENTIALS_PATH, createVerifiableCredential } from "../credentials/verifiable-credentials";
import { providerQuery, resolveRequestObject } from "./request-objects";
import { errorPage } from "./responses";
import { redeemVerifier } from "./verifiers";
import { mapDeviceRequest } from "../device/routes";
import { withRequestLine } from "../provider/replay-body";
import { postedAuthorizationForm } from "./posted-form";
import { fositeDescription } from "../fosite-errors";
import { wellKnownKeys } from "../keys/well-known";
import { answerUserinfo } from "./userinfo";

export const DISCOVERY_PATHS = new Set(["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]);

/**
 * Hydra's browser-facing URLs on top of oidc-provider's:
 * - `/oauth2/auth?…&login_verifier=` / `consent_verifier=` (also in a
 *   POST's form) redeem the UI's decision and, in the browser that started
 *   the authorization only, continue oidc-provider's interaction at its
 *   resume path, or, for a login verifier followed again, run the URL
 *   without it as a new authorization (verifiers.ts);
 * - `/oauth2/sessions/logout` (with or without `logout_verifier`) is Hydra's
 *   logout, answered here (logout.ts);
 * - any other authorization request is rewritten for oidc-provider, the
 *   original query kept for Hydra's decisions and `request_url`
 *   (provider/request-params.ts).
 */
export async function mapHydraRequest(deps: Deps, req: IncomingMessage, res: ServerResponse, routingPath: string): Promise<Mapping> {
  // The path as the mux matched it (mux/mux-path.ts): a segment `%2E%2E` is the route parameter `..`, never a dot
  // segment the WHATWG URL below would resolve.
  const pathname = routingPath;
  const url = new URL(req.url ?? "/", "http://placeholder");
  // r.URL.Query(), and fosite's r.Form of a GET: Go's url.ParseQuery drops a pair with `;` or a bad escape (query.ts).
  const searchParams = goQueryParams(url.search);

  if (pathname === ROUTES.authorization && (req.method === "GET" || req.method === "POST")) {
    if (req.method === "GET") {
      // HandleOAuth2AuthorizationRequest: strings.TrimSpace(form.Get(…)); an empty verifier is none.
      for (const kind of ["login", "consent"] as const) {
        const verifier = goTrimSpace(searchParams.get(`${kind}_verifier`) ?? "");
        if (verifier === "") continue;
        const redeemed = await redeemVerifier(deps, req, kind, verifier);
        if (redeemed.kind !== "continue") return redeemed;
        // A login verifier followed again: the URL without it runs as a new authorization (public/verifiers.ts).
        req.url = withoutParam(req.url ?? "", `${kind}_verifier`);
        return mapHydraRequest(deps, req, res, routingPath);
      }
    }
    // Hydra's request_url carries the raw query of the URL, not a re-encoded one (a POST's form is not in it).
    const rawQuery = (req.url ?? "").split("?").slice(1).join("?");
    const posted = req.method === "POST" ? await postedAuthorizationForm(req, searchParams) : undefined;
    if (posted?.kind === "unparsable") {
      // fosite newAuthorizeRequest: ParseMultipartForm failed, before any client is known (Hydra's error UI).
      return errorPage(deps, {
        error: "invalid_request",
        error_description: fositeDescription(
          "invalid_request",
          "Unable to parse HTTP body, make sure to send a properly formatted form request body.",
        ),
      });
    }
    if (posted && carriesVerifier(posted.form)) {
      // HandleOAuth2AuthorizationRequest reads the verifiers from fosite's r.Form, a POST's body included: the
      // request is redeemed as the GET of that form.
      const asGet = withRequestLine(req, "GET", `${pathname}?${posted.form.toString()}`);
      const mapped = await mapHydraRequest(deps, asGet, res, routingPath);
      return mapped.kind === "pass" && !mapped.req ? { kind: "pass", req: asGet } : mapped;
    }
    const sent = posted?.form ?? searchParams;
    const requestObject = await resolveRequestObject(deps, sent);
    if (requestObject.kind === "refused") return errorPage(deps, requestObject.error);
    // Hydra decides on fosite's form (the object's claims applied); oidc-provider gets it without the object.
    const form = requestObject.kind === "applied" ? requestObject.form : sent;
    const query = providerQuery(form, sent.get("client_id"));
    const decided = requestObject.kind === "applied" || req.method === "POST";
    rewriteAuthorizationQuery(query, decided ? form.toString() : rawQuery);
    if (decided) recordRequestUrlQuery(query, rawQuery);
    const providerUrl = `${pathname}?${query.toString()}`;
    // oidc-provider serves the authorization endpoint by GET only (enableHttpPostMethods needs SameSite=None cookies):
    // a POST reaches it as the GET of the form it was read into.
    if (req.method === "POST") return { kind: "pass", req: withRequestLine(req, "GET", providerUrl) };
    req.url = providerUrl;
    return { kind: "pass" };
  }

  const device = await mapDeviceRequest(deps, req, pathname);
  if (device) return device;

  if (pathname === CREDENTIALS_PATH && req.method === "POST") return createVerifiableCredential(deps, req, url);
  if (pathname === ROUTES.userinfo && (req.method === "GET" || req.method === "POST")) return answerUserinfo(deps, req);

  const registration = await handleRegistration(deps, req, pathname);
  if (registration) return registration;

  if (req.method === "GET") {
    const fallback = fallbackPage(pathname, searchParams);
    if (fallback) return fallback;
    if (DISCOVERY_PATHS.has(pathname)) return { kind: "json", status: 200, body: await discoveryDocument(deps) };
    if (pathname === ROUTES.jwks) return { kind: "json", status: 200, body: await wellKnownKeys(deps.keys) };
  }

  if (pathname === ROUTES.end_session && (req.method === "GET" || req.method === "POST")) {
    // HandleOpenIDConnectLogout: r.URL.Query().Get("logout_verifier"); an empty one starts a logout.
    const verifier = searchParams.get("logout_verifier") ?? "";
    if (verifier !== "") return completeLogout(deps, req, res, verifier);
    // r.URL.String() of a server request: the path and the raw query as sent (a bare `?` kept, as ForceQuery keeps it).
    const at = (req.url ?? "").indexOf("?");
    return startLogout(deps, req, res, `${pathname}${at === -1 ? "" : (req.url ?? "").slice(at)}`);
  }
  return { kind: "pass" };
}

/** Whether a login or consent verifier is there as HandleOAuth2AuthorizationRequest reads it (TrimSpace of Form.Get). */
function carriesVerifier(form: URLSearchParams): boolean {
  return goTrimSpace(form.get("login_verifier") ?? "") !== "" || goTrimSpace(form.get("consent_verifier") ?? "") !== "";
}

/** A URL without one query parameter, the rest of its raw query as sent (Hydra's request_url keeps it raw). */
function withoutParam(url: string, name: string): string {
  const [path = "", ...rest] = url.split("?");
  const kept = rest
    .join("?")
    .split("&")
    .filter((part) => part !== "" && new URLSearchParams(part).keys().next().value !== name);
  return kept.length ? `${path}?${kept.join("&")}` : path;
}
