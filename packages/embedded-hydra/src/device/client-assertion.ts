import { ClientKeyError, clientKey, familyOf, jwksFetcherOf } from "../clients/client-keys";
import type { StoredClient } from "../clients/model";
import { privateIpPolicyOf } from "../clients/private-ip-policy";
import type { Deps } from "../deps";
import { fositeHydraError } from "../fosite-errors";
import { parseJws, verifyJwsWith } from "../trust/assertion-jws";
import { tokenEndpointUrls } from "../tokens/token-urls";
import { TrustRepository } from "../trust/repository";

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

const invalidClient = (hint: string) => fositeHydraError("invalid_client", hint);
const integrityFailure = () => invalidClient("Unable to verify the integrity of the 'client_assertion' value.");

/** jwt.MapClaims.Valid: exp not passed, iat and nbf not in the future (each only when present). */
function withinTimes(claims: Record<string, unknown>): boolean {
  const now = Math.floor(Date.now() / 1000);
  const number = (name: string) => (typeof claims[name] === "number" ? claims[name] : undefined);
  const exp = number("exp");
  const iat = number("iat");
  const nbf = number("nbf");
  return !(exp !== undefined && now > exp) && !(iat !== undefined && now < iat) && !(nbf !== undefined && now < nbf);
}

/** The client named by `client_id`, else by the assertion's `sub`, that must have registered private_key_jwt. */
async function assertionClient(deps: Deps, form: URLSearchParams, claims: Record<string, unknown>): Promise<StoredClient> {
  let clientId = form.get("client_id") ?? "";
  if (clientId === "") {
    if (typeof claims.sub !== "string") throw invalidClient("The claim 'sub' from the client_assertion JSON Web Token is undefined.");
    clientId = claims.sub;
  }
  const client = await deps.clients.get(clientId);
  if (!client) throw fositeHydraError("invalid_client");
  const method = client.data.token_endpoint_auth_method || "client_secret_basic";
  if (method === "none")
    throw invalidClient(
      "This requested OAuth 2.0 client does not support client authentication, however 'client_assertion' was provided in the request.",
    );
  if (method === "client_secret_post" || method === "client_secret_basic")
    throw invalidClient(
      `This requested OAuth 2.0 client only supports client authentication method '${method}', however 'client_assertion' was provided in the request.`,
    );
  if (method !== "private_key_jwt")
    throw invalidClient(
      `This requested OAuth 2.0 client only supports client authentication method '${method}', however that method is not supported by this server.`,
    );
  return client;
}

/** A client authenticated by its assertion, and the public key that verified it. */
export interface AssertedClient {
  client: StoredClient;
  key: Record<string, unknown>;
}

/**
 * fosite's DefaultClientAuthenticationStrategy for `client_assertion_type`
 * jwt-bearer (client_authentication.go), in its order and words: the client
 * and its method, the signing algorithm the client enforces, its key (`jwks`
 * or `jwks_uri`), the signature, the times, `iss`/`sub` = client id, a `jti`
 * not used before by any assertion (the table JWT-bearer grants share), then
 * the audience naming the token endpoint (also at the revocation endpoint:
 * fosite's GetTokenURLs).
 */
export async function authenticateWithAssertion(deps: Deps, form: URLSearchParams): Promise<AssertedClient> {
  const assertion = form.get("client_assertion") ?? "";
  if (assertion === "")
    throw fositeHydraError(
      "invalid_request",
      `The client_assertion request parameter must be set when using client_assertion_type of '${CLIENT_ASSERTION_TYPE}'.`,
    );
  const jws = parseJws(assertion);
  if (!jws?.claims) throw integrityFailure();
  const claims = jws.claims;
  const client = await assertionClient(deps, form, claims);
  const alg = String(jws.header.alg);
  // Hydra's client defaults token_endpoint_auth_signing_alg to RS256.
  const enforced = client.data.token_endpoint_auth_signing_alg || "RS256";
  if (enforced !== alg)
    throw invalidClient(
      `The 'client_assertion' uses signing algorithm '${alg}' but the requested OAuth 2.0 Client enforces signing algorithm '${enforced}'.`,
    );
  if (/^HS(256|384|512)$/.test(alg))
    throw invalidClient("This authorization server does not support client authentication method 'client_secret_jwt'.");
  const family = familyOf(alg);
  if (!family) throw invalidClient(`The 'client_assertion' request parameter uses unsupported signing algorithm '${alg}'.`);
  const kid = typeof jws.header.kid === "string" && jws.header.kid !== "" ? jws.header.kid : undefined;
  let key: Record<string, unknown>;
  try {
    key = await clientKey(client.data, kid, family, jwksFetcherOf(deps, privateIpPolicyOf(deps.config)));
  } catch (error) {
    if (error instanceof ClientKeyError) throw fositeHydraError(error.errorName, error.hint);
    throw error;
  }
  if (!verifyJwsWith(jws, key)) throw integrityFailure();
  if (!withinTimes(claims))
    throw invalidClient(
      "Unable to verify the request object because its claims could not be validated, check if the expiry time is set correctly.",
    );

  const clientId = client.id;
  if (claims.iss !== clientId)
    throw invalidClient("Claim 'iss' from 'client_assertion' must match the 'client_id' of the OAuth 2.0 Client.");
  if (claims.sub !== clientId)
    throw invalidClient("Claim 'sub' from 'client_assertion' must match the 'client_id' of the OAuth 2.0 Client.");
  const jti = typeof claims.jti === "string" ? claims.jti : "";
  if (jti === "") throw invalidClient("Claim 'jti' from 'client_assertion' must be set but is not.");
  const used = new TrustRepository(deps.db);
  if (await used.isJtiUsed(jti)) throw fositeHydraError("jti_known", "Claim 'jti' from 'client_assertion' MUST only be used once.");
  if (typeof claims.exp !== "number")
    throw invalidClient(
      "Unable to type assert the expiry time from claims. This should not happen as we validate the expiry time already earlier with token.Claims.Valid()",
    );
  if (!(await used.markJtiUsed(jti, new Date(Math.floor(claims.exp) * 1000)))) throw fositeHydraError("jti_known");

  const tokenUrls = tokenEndpointUrls(deps.publicUrl, deps.issuer);
  const audience = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!tokenUrls.some((url) => audience.includes(url)))
    throw invalidClient(
      `Claim 'audience' from 'client_assertion' must match the authorization server's token endpoint '${tokenUrls.join("' or '")}'.`,
    );
  return { client, key };
}
