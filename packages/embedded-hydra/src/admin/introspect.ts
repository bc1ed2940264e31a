import type { Deps } from "../deps";
import { sendJson, sendMarshaledJson } from "../errors";
import { FOSITE_JSON_TYPE } from "../provider/fosite-headers";
import { fositeDescription } from "../fosite-errors";
import {
  accessTokenId,
  GRANTED_AUDIENCE_EXTRA,
  JwtUnderOpaqueStrategyError,
  signedByOtherKey,
  TokenSignatureMismatchError,
  validatedAsOpaque,
} from "../tokens/jwt-access-tokens";
import { readMultipartPostForm } from "../http";
import { pairwiseSubject } from "../provider/pairwise";
import { instantiateStored } from "../provider/stored-models";
import { TokenLookup, type TokenRecord } from "../storage/token-lookup";
import { assertionSubject } from "../trust/assertion-subject";
import { reportedExpiresAtOf, unixSeconds } from "../tokens/fosite-expiry";
import type { AdminRouter } from "./router";

export interface FoundToken {
  use: "access_token" | "refresh_token";
  clientId: string;
  subject: string;
  scope: string;
  iat: number;
  exp: number;
  grantId?: string;
  /** The audience a client_credentials token was granted (code-flow tokens: their consent's). */
  audience?: string[];
}

interface TokenLike {
  clientId?: string | undefined;
  accountId?: string | undefined;
  scope?: string | undefined;
  iat?: number | undefined;
  exp?: number | undefined;
  grantId?: string | undefined;
  isExpired: boolean;
}

function describe(use: FoundToken["use"], token: TokenLike, subject?: string): FoundToken {
  const clientId = token.clientId ?? "";
  // Hydra's `exp` is the session's expiry in Unix seconds (introspectOAuth2Token), fosite's instant here.
  const expiresAt = reportedExpiresAtOf(token);
  return {
    use,
    clientId,
    subject: subject ?? token.accountId ?? clientId,
    scope: token.scope ?? "",
    iat: token.iat ?? 0,
    exp: expiresAt !== undefined ? unixSeconds(expiresAt) : (token.exp ?? 0),
    ...(token.grantId ? { grantId: token.grantId } : {}),
  };
}

/**
 * oidc-provider's checkSessionBinding: a token that expires with its login
 * session is valid only while that session lives, for the same account and
 * grant.
 */
async function boundToLiveSession(
  deps: Deps,
  token: {
    expiresWithSession?: boolean | undefined;
    accountId?: string | undefined;
    grantId?: string | undefined;
    clientId?: string | undefined;
  },
  stored: TokenRecord,
): Promise<boolean> {
  if (!token.expiresWithSession) return true;
  const session = stored.session ? await instantiateStored(deps.provider().Session, stored.session) : undefined;
  return session !== undefined && token.accountId === session.accountId && token.grantId === session.grantIdFor(token.clientId ?? "");
}

/** A token row Hydra would still hold: not revoked, its client and its grant's consent not deleted (rows go with them). */
function foundByHydra(stored: TokenRecord): boolean {
  const grantId = stored.payload.grantId;
  return stored.clientExists && !stored.payload.consumed && (typeof grantId !== "string" || grantId === "" || stored.consent !== undefined);
}

function inactiveOnMismatch(error: unknown): undefined {
  if (error instanceof TokenSignatureMismatchError || error instanceof JwtUnderOpaqueStrategyError) return undefined;
  throw error;
}

const isAccessTokenModel = (model: TokenRecord["model"]) => model === "AccessToken" || model === "ClientCredentials";

/**
 * Reads the token (one batched round trip) and lets its oidc-provider model
 * verify it, as `Model.find` would — the stored token a presented value
 * names, as fosite's CoreValidator
 * finds and validates it (handler/oauth2/introspector.go
 * introspectAccessToken): undefined when it is unknown, expired or no
 * longer usable; a JWT access token its signer no longer verifies throws
 * TokenSignatureMismatchError (jwt-access-tokens.ts signedByOtherKey), a
 * live one whose client is now on the opaque strategy
 * JwtUnderOpaqueStrategyError, which the caller answers as its Hydra
 * handler answers that error.
 */
export async function findToken(
  deps: Deps,
  lookup: TokenLookup,
  value: string,
): Promise<{ token: FoundToken; stored: TokenRecord } | undefined> {
  // A JWT access token is stored under its hash (tokens/jwt-access-tokens.ts).
  const stored = await lookup.find(accessTokenId(value));
  if (!stored) return undefined;
  const provider = deps.provider();
  const asOpaque = isAccessTokenModel(stored.model) && foundByHydra(stored) && (await validatedAsOpaque(deps, stored.payload));
  if (isAccessTokenModel(stored.model) && foundByHydra(stored) && !asOpaque && signedByOtherKey(provider, value, stored.payload))
    throw new TokenSignatureMismatchError();
  const found = await liveToken(deps, stored);
  // The HMAC strategy looks at the expiry before the token itself (jwt-access-tokens.ts JwtUnderOpaqueStrategyError).
  if (found && asOpaque) throw new JwtUnderOpaqueStrategyError();
  return found;
}

/** The stored token as its oidc-provider model reads it: undefined when expired or no longer usable. */
async function liveToken(deps: Deps, stored: TokenRecord): Promise<{ token: FoundToken; stored: TokenRecord } | undefined> {
  const provider = deps.provider();
  switch (stored.model) {
    case "AccessToken": {
      const access = await instantiateStored(provider.AccessToken, stored.payload);
      return access && (await boundToLiveSession(deps, access, stored)) && !access.isExpired
        ? { token: describe("access_token", access), stored }
        : undefined;
    }
    case "ClientCredentials": {
      const credentials = await instantiateStored(provider.ClientCredentials, stored.payload);
      if (!credentials || credentials.isExpired) return undefined;
      const granted: unknown = credentials.extra?.[GRANTED_AUDIENCE_EXTRA];
      const audience = Array.isArray(granted) ? granted.filter((item): item is string => typeof item === "string") : [];
      // A JWT-bearer token's subject is the assertion's (trust/assertion-subject.ts), a client_credentials token's its client.
      const subject = assertionSubject(credentials.extra) ?? credentials.clientId;
      return { token: { ...describe("access_token", credentials, subject), audience }, stored };
    }
    case "RefreshToken": {
      const refresh = await instantiateStored(provider.RefreshToken, stored.payload);
      return refresh && (await boundToLiveSession(deps, refresh, stored)) && !refresh.isExpired && !refresh.consumed
        ? { token: describe("refresh_token", refresh), stored }
        : undefined;
    }
  }
}

/**
 * oauth2/handler.go introspectOAuth2Token: `obfuscated_subject` is the ID
 * token's subject when it differs from the session's — the pairwise subject
 * of a pairwise client (consent's ObfuscateSubjectIdentifier); tokens
 * without a login (client_credentials, JWT-bearer) have none.
 */
export async function obfuscatedSubject(deps: Deps, token: FoundToken): Promise<string | undefined> {
  const client = await deps.clients.get(token.clientId);
  if (client?.data.subject_type !== "pairwise") return undefined;
  try {
    const sub = pairwiseSubject(deps.config.oidc.subject_identifiers.pairwise.salt ?? "", token.subject, {
      clientId: client.id,
      sectorIdentifierUri: client.data.sector_identifier_uri,
      redirectUris: client.data.redirect_uris,
    });
    return sub !== token.subject ? sub : undefined;
  } catch {
    // A client whose sector cannot be told issued no pairwise ID token either.
    return undefined;
  }
}

/**
 * fosite's WriteIntrospectionError headers, on its errors (writeJsonError)
 * and on the inactive answer alike (introspection_response_writer.go).
 */
const INACTIVE_HEADERS = { "content-type": FOSITE_JSON_TYPE, "cache-control": "no-store", pragma: "no-cache" };

const UNPARSABLE_BODY = "Unable to parse HTTP body, make sure to send a properly formatted form request body.";

/** POST /admin/oauth2/introspect: RFC 7662 with Hydra's fields; callers are trusted (admin port). */
export function registerIntrospectionRoutes(router: AdminRouter, deps: Deps): void {
  const lookup = new TokenLookup(deps.db);
  router.add("POST", "/admin/oauth2/introspect", async ({ req, res }) => {
    // introspectOAuth2Token reads r.PostForm after r.ParseMultipartForm: a JSON body is no form, the query is not read.
    const { postForm: form, error } = await readMultipartPostForm(req);
    // A form that does not parse or is empty is fosite's invalid_request, written by WriteIntrospectionError → writeJsonError (json.Marshal, no newline).
    const refusal = error !== undefined ? UNPARSABLE_BODY : [...form.keys()].length === 0 ? "The POST body can not be empty." : undefined;
    if (refusal !== undefined) {
      const body = { error: "invalid_request", error_description: fositeDescription("invalid_request", refusal) };
      sendMarshaledJson(res, 400, body, INACTIVE_HEADERS);
      return;
    }
    // An empty token names no token: IntrospectToken fails, which is answered as inactive.
    const value = form.get("token") ?? "";
    // Any failure of IntrospectToken, a signature mismatch too, is ErrInactiveToken: `{active: false}` (fosite introspect.go).
    const found = value === "" ? undefined : await findToken(deps, lookup, value).catch(inactiveOnMismatch);
    const token = found?.token;
    const required = (form.get("scope") ?? "").split(" ").filter(Boolean);
    const granted = new Set(token?.scope.split(" ").filter(Boolean));
    if (!token || !found.stored.clientExists || !required.every((scope) => granted.has(scope))) {
      sendJson(res, 200, { active: false }, INACTIVE_HEADERS);
      return;
    }
    // The consent row of the token's grant, read in the same round trip as the token.
    const consent = token.grantId ? found.stored.consent : undefined;
    if (token.grantId && !consent) {
      sendJson(res, 200, { active: false }, INACTIVE_HEADERS);
      return;
    }
    const obfuscated = token.grantId ? await obfuscatedSubject(deps, token) : undefined;
    sendJson(
      res,
      200,
      {
        active: true,
        sub: token.subject,
        client_id: token.clientId,
        scope: token.scope,
        exp: token.exp,
        iat: token.iat,
        nbf: token.iat,
        aud: token.audience ?? consent?.grantAudience ?? [],
        iss: deps.issuer,
        token_type: "Bearer",
        token_use: token.use,
        ...(obfuscated !== undefined ? { obfuscated_subject: obfuscated } : {}),
        ext: consent?.accessTokenSession ?? {},
      },
      // introspectOAuth2Token sets only the Content-Type: an active answer carries no Cache-Control, as Hydra's does not.
      { "content-type": FOSITE_JSON_TYPE },
    );
  });
}
