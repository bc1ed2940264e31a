import { errors, type KoaContextWithOIDC } from "oidc-provider";
import type Provider from "oidc-provider";
import { goParseForm, utf8Text } from "@olympus/server-kit/go-url";
import type { Deps } from "../deps";
import { authenticateClient, type AuthenticatedClient } from "../device/client-auth";
import { HydraError } from "../errors";
import { fositeDescription, FOSITE_ERRORS, type FositeErrorName } from "../fosite-errors";
import { ROUTES } from "./create-provider";
import { readBodyUpTo, withBody } from "./replay-body";
import { HYDRA_GRANT_TYPES } from "./token-errors";
import { offerVerifiedKeys, recordVerifiedAssertion } from "./verified-assertions";

/**
 * Client assertions at the token and revocation endpoints as fosite checks
 * them (client_authentication.go DefaultClientAuthenticationStrategy, the
 * same code as the device endpoint's: device/client-assertion.ts): its
 * checks, words, audience (the token endpoint URL only), `jti` list and
 * Hydra's `jwks_uri` fetcher (retries, ssrf ranges, private-IP exceptions).
 * oidc-provider would verify the assertion with its own key store and
 * fetcher before any hook runs, so the form is read here, in front of it:
 * a refusal is answered as fosite writes it, an accepted request goes on to
 * oidc-provider with the verified key handed to it
 * (provider/verified-assertions.ts).
 */

type Endpoint = "token" | "revocation";

/** fosite's WriteAccessError / WriteRevocationResponse headers. */
const NO_CACHE = { "cache-control": "no-store", pragma: "no-cache" };
const JSON_TYPE = "application/json;charset=UTF-8";

/** The form's client_id for requests answered here, where oidc-provider parsed no form (the CORS client decision reads it). */
const formClientIds = new WeakMap<object, string>();

export function assertionFormClientId(ctx: object): string | undefined {
  return formClientIds.get(ctx);
}

function endpointOf(path: string): Endpoint | undefined {
  if (path === ROUTES.token) return "token";
  if (path === ROUTES.revocation) return "revocation";
  return undefined;
}

/**
 * r.PostForm of a urlencoded body as fosite reads it (server-kit
 * goParseForm): a pair with a `;` or a bad escape is not there, and the
 * parse error is hidden behind ParseMultipartForm's http.ErrNotMultipart.
 */
function goPostForm(contentType: string, raw: Buffer): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, values] of goParseForm("POST", contentType, raw, "").postForm) {
    for (const value of values) form.append(utf8Text(key), utf8Text(value));
  }
  return form;
}

/** fosite looks at a client assertion when the form names one; otherwise oidc-provider's authentication stays (provider/client-auth.ts). */
function carriesAssertion(form: URLSearchParams): boolean {
  return (form.get("client_assertion_type") ?? "") !== "" || (form.get("client_assertion") ?? "") !== "";
}

function answer(ctx: KoaContextWithOIDC, status: number, body?: { error: string; error_description: string }): void {
  ctx.set(NO_CACHE);
  ctx.status = status;
  if (!body) {
    ctx.body = "";
    return;
  }
  ctx.type = JSON_TYPE;
  ctx.body = JSON.stringify(body);
}

const fositeAnswer = (name: FositeErrorName, hint?: string | null) => ({ error: name, error_description: fositeDescription(name, hint) });

/** fosite's WriteAccessError: the error as thrown. */
function refuseToken(ctx: KoaContextWithOIDC, error: HydraError): void {
  answer(ctx, error.status, { error: error.error, error_description: error.description });
}

/**
 * fosite's WriteRevocationResponse: only invalid_request and invalid_client
 * are errors (the bare ones, without the handler's hint); anything else is
 * answered 200, as a successful revocation.
 */
function refuseRevocation(ctx: KoaContextWithOIDC, error: HydraError): void {
  if (error.error === "invalid_request") return answer(ctx, FOSITE_ERRORS.invalid_request.status, fositeAnswer("invalid_request"));
  if (error.error === "invalid_client") return answer(ctx, FOSITE_ERRORS.invalid_client.status, fositeAnswer("invalid_client", null));
  answer(ctx, 200);
}

async function authenticate(deps: Deps, ctx: KoaContextWithOIDC, form: URLSearchParams): Promise<AuthenticatedClient | HydraError> {
  try {
    return await authenticateClient(deps, ctx.req, form);
  } catch (error) {
    if (error instanceof HydraError) return error;
    throw error;
  }
}

/** oidc-provider reads `body` (and the head without `dropHeaders`) from here on. */
function replaceBody(ctx: KoaContextWithOIDC, body: Buffer, dropHeaders: readonly string[] = []): void {
  const replaced = withBody(ctx.req, body, dropHeaders);
  ctx.req = replaced;
  ctx.request.req = replaced;
}

/** Hands an authenticated request on: oidc-provider sees only the method fosite used. */
async function forward(provider: Provider, ctx: KoaContextWithOIDC, form: URLSearchParams, authenticated: AuthenticatedClient) {
  const { client, assertionKey } = authenticated;
  if (assertionKey) {
    // fosite ignores a secret or Basic header next to an assertion; oidc-provider would refuse two mechanisms.
    form.delete("client_secret");
    const providerClient = await provider.Client.find(client.id);
    if (providerClient) offerVerifiedKeys(providerClient);
    recordVerifiedAssertion(ctx, { clientId: client.id, key: assertionKey });
    replaceBody(ctx, Buffer.from(form.toString(), "utf8"), ["authorization"]);
    return;
  }
  // A client_assertion without its type: fosite authenticated by secret (or none) and never read it.
  form.delete("client_assertion");
  form.delete("client_assertion_type");
  replaceBody(ctx, Buffer.from(form.toString(), "utf8"));
}

export function installAssertionAuthentication(provider: Provider, deps: Deps): void {
  provider.use(async (koa, next) => {
    const ctx = koa as KoaContextWithOIDC;
    const endpoint = endpointOf(ctx.path);
    if (ctx.method !== "POST" || !endpoint || !ctx.is("application/x-www-form-urlencoded")) {
      await next();
      return;
    }
    let body: { raw: Buffer; overflow: boolean };
    try {
      body = await readBodyUpTo(ctx.req);
    } catch {
      // The read failed (a body later than ReadTimeout): ParseMultipartForm drops ParseForm's read error with
      // ErrNotMultipart, leaving r.PostForm empty.
      body = { raw: Buffer.alloc(0), overflow: false };
    }
    const form = body.overflow ? undefined : goPostForm(ctx.get("content-type"), body.raw);
    // fosite NewAccessRequest refuses an empty r.PostForm before it looks at the grant type or the client.
    if (endpoint === "token" && form && [...form.keys()].length === 0)
      return answer(ctx, 400, fositeAnswer("invalid_request", "The POST body can not be empty."));
    if (!form || !carriesAssertion(form)) {
      // oidc-provider reads (and, past its limit, refuses) the body as it would have, unless its lenient parser
      // would find an assertion in a pair Go drops: then it gets the pairs fosite reads.
      const lenient = form && carriesAssertion(new URLSearchParams(body.raw.toString("utf8")));
      replaceBody(ctx, lenient ? Buffer.from(form.toString(), "utf8") : body.raw);
      await next();
      return;
    }
    formClientIds.set(ctx, form.get("client_id") ?? "");
    let forwarded: boolean;
    try {
      forwarded = await authenticateInFront(provider, deps, ctx, endpoint, form);
    } catch (error) {
      // Storage outages are oidc-provider's temporarily_unavailable (storage/db.ts), answered as its endpoints answer them.
      if (!(error instanceof errors.OIDCProviderError)) throw error;
      answer(ctx, error.statusCode, { error: error.error, error_description: error.error_description ?? "" });
      return;
    }
    if (forwarded) await next();
  });
}

/** Answers a refused request (false) or hands an authenticated one on to oidc-provider (true). */
async function authenticateInFront(
  provider: Provider,
  deps: Deps,
  ctx: KoaContextWithOIDC,
  endpoint: Endpoint,
  form: URLSearchParams,
): Promise<boolean> {
  if (endpoint === "revocation") {
    // fosite NewRevocationRequest: the client is authenticated before the token is looked at.
    const authenticated = await authenticate(deps, ctx, form);
    if (authenticated instanceof HydraError) {
      refuseRevocation(ctx, authenticated);
      return false;
    }
    await forward(provider, ctx, form, authenticated);
    return true;
  }
  // fosite NewAccessRequest: the grant type is required before the client is authenticated,
  // and a grant type no handler takes is invalid_request whatever the authentication's outcome.
  const grantType = form.get("grant_type") ?? "";
  if (grantType.split(" ").every((part) => part === "")) {
    answer(ctx, 400, fositeAnswer("invalid_request", "Request parameter 'grant_type' is missing"));
    return false;
  }
  const authenticated = await authenticate(deps, ctx, form);
  if (!HYDRA_GRANT_TYPES.has(grantType)) {
    answer(ctx, 400, fositeAnswer("invalid_request"));
    return false;
  }
  if (authenticated instanceof HydraError) {
    refuseToken(ctx, authenticated);
    return false;
  }
  await forward(provider, ctx, form, authenticated);
  return true;
}
