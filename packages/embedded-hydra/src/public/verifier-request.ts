import { BlockList, isIP } from "node:net";
import type { Deps } from "../deps";
import type { StoredClient } from "../clients/model";
import { audienceHint, requestedAudiences, unwhitelistedAudience } from "../clients/audience";
import { fositeDescription, type FositeErrorName } from "../fosite-errors";
import { MIN_PARAMETER_ENTROPY } from "../provider/create-provider";
import type { Mapping } from "./mapping";
import { resolveRequestObject } from "./request-objects";
import { authorizationError, errorPage } from "./responses";

/**
 * The authorization request a login or consent verifier URL carries, checked
 * as Hydra checks it before it looks at the verifier (oauth2/handler.go
 * oAuth2Authorize runs fosite's NewAuthorizeRequest first,
 * authorize_request_handler.go newAuthorizeRequest): after the client (the
 * caller's), the request object, `response_mode`, the redirect URI, the
 * scope, the audience, `registration`, the response type and the state, in
 * that order. A refusal before the redirect URI is known goes to the error
 * UI, later ones to the client (writeAuthorizeError). Undefined when the
 * request passes; the verifier is then redeemed.
 */
export async function refuseVerifierRequest(deps: Deps, query: URLSearchParams, client: StoredClient): Promise<Mapping | undefined> {
  const object = await resolveRequestObject(deps, query);
  if (object.kind === "refused") return errorPage(deps, object.error);
  const form = object.kind === "applied" ? object.form : query;
  const fail = (name: FositeErrorName, hint: string) => ({ error: name, error_description: fositeDescription(name, hint) });

  const mode = form.get("response_mode") ?? "";
  if (!["", "query", "fragment", "form_post"].includes(mode)) {
    return errorPage(deps, fail("unsupported_response_mode", `Request with unsupported response_mode "${mode}".`));
  }
  const scopes = words(form.get("scope"));
  const redirectUri = matchRedirectUri(form.get("redirect_uri") ?? "", client.data.redirect_uris);
  if ((form.get("redirect_uri") ?? "") === "" && scopes.includes("openid")) {
    return errorPage(deps, fail("invalid_request", "The 'redirect_uri' parameter is required when using OpenID Connect 1.0."));
  }
  if (redirectUri === undefined) {
    return errorPage(
      deps,
      fail("invalid_request", "The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's pre-registered redirect urls."),
    );
  }
  const responseTypes = words(form.get("response_type"));
  const toClient = (name: FositeErrorName, hint: string, validatedTypes = false) => {
    // fosite's default response mode once the response types are known: query for `code` alone, else fragment.
    const fallback = validatedTypes && !(responseTypes.length === 1 && responseTypes[0] === "code") ? "fragment" : "query";
    const params = { redirect_uri: redirectUri, state: form.get("state") ?? "", response_mode: mode || fallback };
    return authorizationError(deps, params, fail(name, hint));
  };

  const registered = new Set(words(client.data.scope));
  const unregistered = scopes.find((scope) => !registered.has(scope));
  if (unregistered !== undefined)
    return toClient("invalid_scope", `The OAuth 2.0 Client is not allowed to request scope '${unregistered}'.`);
  const audience = unwhitelistedAudience(client.data.audience, requestedAudiences(form.getAll("audience")));
  if (audience !== undefined) return toClient("invalid_request", audienceHint(audience));
  if ((form.get("registration") ?? "") !== "") return toClient("registration_not_supported", "");
  if (responseTypes.length === 0) return toClient("unsupported_response_type", "`The request is missing the 'response_type' parameter.");
  const allowed = client.data.response_types.length > 0 ? client.data.response_types : ["code"];
  if (!allowed.some((type) => sameSet(words(type), responseTypes))) {
    return toClient(
      "unsupported_response_type",
      `The client is not allowed to request response_type '${form.get("response_type") ?? ""}'.`,
    );
  }
  if ((form.get("state") ?? "").length < MIN_PARAMETER_ENTROPY) {
    return toClient(
      "invalid_state",
      `Request parameter 'state' must be at least be ${MIN_PARAMETER_ENTROPY} characters long to ensure sufficient entropy.`,
      true,
    );
  }
  return undefined;
}

function words(value: string | null | undefined): string[] {
  return (value ?? "").split(" ").filter(Boolean);
}

/** fosite's Arguments.Matches: the same values, in any order. */
function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/**
 * fosite's MatchRedirectURIWithClientRedirectURIs (authorize_helper.go): the
 * client's only redirect URI when none is sent; else one registered exactly,
 * or, for http on a loopback IP, one with the same host, path and query
 * (any port). A URI with a fragment is never valid (IsValidRedirectURI).
 */
export function matchRedirectUri(sent: string, registered: readonly string[]): string | undefined {
  const valid = (uri: string) => {
    const parsed = parseUrl(uri);
    return parsed !== undefined && parsed.hash === "" && !uri.includes("#") ? uri : undefined;
  };
  if (sent === "") return registered.length === 1 && registered[0] !== undefined ? valid(registered[0]) : undefined;
  const requested = parseUrl(sent);
  if (!requested) return undefined;
  // Go's url.Parse (which fosite compares with) refuses or keeps as they are the bytes the WHATWG parser
  // rewrites (a backslash read as `/`, tabs and line breaks dropped, white space trimmed): the
  // loopback rule matches only a URI both read alike, or `http://127.0.0.1\@evil.example/../cb`
  // would match here and be written out as a redirect to evil.example.
  const readAlikeByGo = /^[\x21-\x7e]*$/.test(sent) && !sent.includes("\\");
  for (const candidate of registered) {
    if (candidate === sent) return valid(candidate);
    const allowed = parseUrl(candidate);
    if (
      allowed &&
      readAlikeByGo &&
      requested.protocol === "http:" &&
      isLoopbackIp(requested.hostname) &&
      allowed.hostname === requested.hostname &&
      allowed.pathname === requested.pathname &&
      allowed.search === requested.search
    ) {
      return valid(sent);
    }
  }
  return undefined;
}

function parseUrl(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** Go's net.ParseIP(host).IsLoopback(): 127.0.0.0/8 (also IPv4-mapped) or ::1; URL keeps IPv6 hosts in brackets. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addSubnet("::ffff:127.0.0.0", 104, "ipv6");
LOOPBACK.addAddress("::1", "ipv6");

function isLoopbackIp(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? "ipv4" : "ipv6");
}
