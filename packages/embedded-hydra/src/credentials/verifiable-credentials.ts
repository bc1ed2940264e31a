import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Deps } from "../deps";
import { HydraError } from "../errors";
import { fositeHydraError } from "../fosite-errors";
import { readAccessTokenFromRequest } from "../fosite-access-token";
import { readDecoderBody } from "../http";
import { decodeGoJson, type GoStruct } from "../admin/go-json";
import { GO_STRING, GO_STRINGS } from "../admin/go-structs";
import { findToken } from "../admin/introspect";
import { expiredAccessTokenDescription, TOKEN_EXPIRED } from "../tokens/expired-access-token";
import { unknownUnderOpaqueStrategy } from "../tokens/jwt-access-tokens";
import { ID_TOKEN_KEY_SET } from "../keys/repository";
import type { Mapping } from "../public/mapping";
import { TokenLookup } from "../storage/token-lookup";
import { signJws } from "../tokens/jws";
import { parseJws, verifyJwsWith } from "../trust/assertion-jws";
import { assertionSubject } from "../trust/assertion-subject";
import { NonceCipher } from "./nonce";
import { VC_NONCE_SECONDS } from "../config/ttl";

/** Hydra's route (oauth2/handler.go VerifiableCredentialsPath). */
export const CREDENTIALS_PATH = "/credentials";

const invalidRequest = (hint: string) => fositeHydraError("invalid_request", hint);

interface Instance {
  lookup: TokenLookup;
  nonces: NonceCipher;
}
const instances = new WeakMap<Deps, Instance>();

function instanceOf(deps: Deps): Instance {
  let instance = instances.get(deps);
  if (!instance) {
    instance = { lookup: new TokenLookup(deps.db), nonces: new NonceCipher(deps.config.secrets.system) };
    instances.set(deps, instance);
  }
  return instance;
}

/** The members go-jose writes for a public JWK, in its order (rawJSONWebKey), for the credential's did:jwk. */
const PUBLIC_MEMBERS = ["use", "kty", "kid", "crv", "alg", "k", "x", "y", "n", "e"] as const;

function goJwkJson(jwk: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const name of PUBLIC_MEMBERS) if (jwk[name] !== undefined && jwk[name] !== "") ordered[name] = jwk[name];
  return JSON.stringify(ordered);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The proof's key (josex.LoadJSONWebKey of the header's `jwk`), or undefined when it does not load. */
function proofKey(proof: string): Record<string, unknown> | undefined {
  const [headerPart] = proof.split(".", 1);
  try {
    const header: unknown = JSON.parse(Buffer.from(headerPart ?? "", "base64url").toString("utf8"));
    const jwk = isObject(header) ? header.jwk : undefined;
    return isObject(jwk) && typeof jwk.kty === "string" ? jwk : undefined;
  } catch {
    return undefined;
  }
}

/** MapClaims.Valid: exp, iat and nbf (when present) hold now. */
function withinTimes(claims: Record<string, unknown>): boolean {
  const now = Math.floor(Date.now() / 1000);
  const at = (name: string) => (typeof claims[name] === "number" ? claims[name] : undefined);
  const exp = at("exp");
  const iat = at("iat");
  const nbf = at("nbf");
  return !(exp !== undefined && now > exp) && !(iat !== undefined && now < iat) && !(nbf !== undefined && now < nbf);
}

/** oauth2.CreateVerifiableCredentialRequestBody (oauth2/verifiable_credentials.go), its proof a *VerifiableCredentialProof. */
const CREATE_VERIFIABLE_CREDENTIAL_REQUEST_BODY: GoStruct = {
  kind: "struct",
  name: "oauth2.CreateVerifiableCredentialRequestBody",
  fields: {
    format: GO_STRING,
    types: GO_STRINGS,
    proof: { kind: "struct", name: "oauth2.VerifiableCredentialProof", pointer: true, fields: { proof_type: GO_STRING, jwt: GO_STRING } },
  },
};

/**
 * POST /credentials (oauth2/handler.go createVerifiableCredential, OpenID
 * for Verifiable Credential Issuance draft 00): an access token, format
 * `jwt_vc_json`; without a proof the answer is the `missing_proof` priming
 * response with a `c_nonce`; with a JWT proof signed by the key in its
 * header and carrying that nonce, a `UserInfoCredential` signed with the
 * ID token key for `did:jwk:<the proof key>`, holding the token's subject
 * and the consent's ID token claims.
 */
export async function createVerifiableCredential(deps: Deps, req: IncomingMessage, url: URL): Promise<Mapping> {
  const instance = instanceOf(deps);
  // ParseMultipartForm inside AccessTokenFromRequest reads a urlencoded or multipart body (the JSON decoder then finds it empty).
  const { token: accessToken, bodyRead } = await readAccessTokenFromRequest(req, url.search);
  const found = accessToken ? await findToken(deps, instance.lookup, accessToken).catch(unknownUnderOpaqueStrategy) : undefined;
  const consent = found?.token.grantId ? await deps.sessions.consentByGrant(found.token.grantId) : undefined;
  if (!found && accessToken) {
    const description = await expiredAccessTokenDescription(deps, accessToken);
    if (description !== undefined) throw new HydraError(TOKEN_EXPIRED.status, TOKEN_EXPIRED.error, description);
  }
  if (!found || !found.stored.clientExists || (found.token.grantId && !consent)) {
    // fosite's CoreValidator (handler/oauth2/introspector.go introspectAccessToken): ErrRequestUnauthorized with its default hint.
    throw fositeHydraError("request_unauthorized");
  }
  if (found.token.use !== "access_token") throw invalidRequest("The provided token is not an access token.");

  const undecodable = () => invalidRequest("Unable to decode request body.");
  const decoded = decodeGoJson(
    bodyRead ? new Uint8Array() : await readDecoderBody(req, undecodable),
    CREATE_VERIFIABLE_CREDENTIAL_REQUEST_BODY,
  );
  if (!decoded.ok) throw undecodable();
  const body = decoded.value;
  const format = typeof body.format === "string" ? body.format : "";
  if (format !== "jwt_vc_json") throw invalidRequest(`The format ${JSON.stringify(format)} is not supported.`);
  if (!isObject(body.proof)) {
    const lifespan = VC_NONCE_SECONDS;
    const nonce = instance.nonces.issue(accessToken, Math.floor(Date.now() / 1000) + lifespan);
    return {
      kind: "json",
      status: 400,
      body: {
        format: "jwt_vc",
        c_nonce: nonce,
        c_nonce_expires_in: lifespan,
        error: "missing_proof",
        error_description: "Could not issue a verifiable credential because the proof is missing in the request.",
      },
    };
  }
  const proofType = typeof body.proof.proof_type === "string" ? body.proof.proof_type : "";
  if (proofType !== "jwt") throw invalidRequest(`The proof type ${JSON.stringify(proofType)} is not supported.`);
  const proof = typeof body.proof.jwt === "string" ? body.proof.jwt : "";
  if (!proof.includes(".")) throw invalidRequest("The JWT in the proof is malformed.");
  const headerPart = proof.slice(0, proof.indexOf("."));
  if (!/^[A-Za-z0-9_-]*$/.test(headerPart)) throw invalidRequest("The JWT header in the proof is malformed.");
  const jwk = proofKey(proof);
  if (!jwk) throw invalidRequest("The JWK in the JWT header is malformed.");
  const jws = parseJws(proof);
  if (!jws?.claims || !verifyJwsWith(jws, jwk) || !withinTimes(jws.claims)) {
    throw invalidRequest("The JWT was not signed with the correct key supplied in the JWK header.");
  }
  const nonce = jws.claims.nonce;
  if (typeof nonce !== "string") throw invalidRequest('The JWT did not contain the "nonce" claim.');
  const nonceProblem = instance.nonces.check(accessToken, nonce);
  if (nonceProblem) throw invalidRequest(nonceProblem);

  const signer = (await deps.keys.list(ID_TOKEN_KEY_SET))[0];
  if (!signer) throw new HydraError(500, "server_error", "No ID token signing key is available");
  const vcId = `did:jwk:${Buffer.from(goJwkJson(jwk)).toString("base64url")}`;
  // The token session's ID token claims: a code-flow token's subject and consent claims (with the login's sid);
  // client_credentials tokens have no subject there, JWT-bearer tokens the assertion's.
  const subject = found.token.grantId ? found.token.subject : (assertionSubject(found.stored.payload.extra) ?? "");
  const extra: Record<string, unknown> = consent
    ? { ...consent.session.id_token, ...(consent.loginSessionId ? { sid: consent.loginSessionId } : {}) }
    : {};
  // session.Claims.IssuedAt: for a token from a consent, the second the consent verifier was redeemed (Hydra builds the
  // session's ID token claims there, oauth2/handler.go updateSessionWithRequest, and keeps them through the code
  // exchange and refreshes); the consent session is written at that redemption. Other grants: the token's issuance.
  const issuedAt = consent ? Math.floor(consent.handledAt.getTime() / 1000) : found.token.iat;
  const claims = {
    iss: deps.issuer,
    sub: vcId,
    exp: issuedAt + 3600,
    nbf: issuedAt,
    iat: issuedAt,
    jti: randomUUID(),
    vc: {
      "@context": ["https://www.w3.org/2018/credentials/v1"],
      credentialSubject: { ...extra, id: vcId, sub: subject },
      type: ["VerifiableCredential", "UserInfoCredential"],
    },
  };
  const credential = signJws({ alg: signer.alg, kid: signer.kid, typ: "JWT" }, claims, signer);
  return { kind: "json", status: 200, body: { format: "jwt_vc_json", credential_draft_00: credential } };
}
