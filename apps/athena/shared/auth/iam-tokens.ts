import "server-only";
import type { LookupFunction } from "node:net";
import { custom, errors, Issuer, type Client, type CustomHttpOptionsProvider } from "openid-client";

/**
 * Athena's two calls to IAM Hydra's public OAuth2 endpoints after sign-in:
 * the refresh that re-validates a session, and the revocation at sign-out.
 * Only the issuer's public URL is needed (discovery gives the token,
 * revocation and JWKS endpoints), so Athena CIAM still knows no IAM admin URL.
 * The protocol work — client authentication, the refreshed ID token's
 * signature, issuer, audience and lifetime — is openid-client's (the library
 * next-auth signs in with), so this works unchanged against the real Hydra
 * and the embedded one.
 */
export interface IamTokenClient {
  /** Uses `refreshToken` once; the outcome says whether IAM still stands behind the session. */
  refresh(refreshToken: string, subject: string): Promise<RefreshOutcome>;
  /** RFC 7009 revocation of a refresh token (Hydra revokes its access tokens with it). */
  revoke(refreshToken: string): Promise<RevokeOutcome>;
}

export type RefreshOutcome =
  /** IAM issued new tokens; `claims` are the new ID token's, already verified. */
  | { kind: "refreshed"; refreshToken: string | undefined; idToken: string | undefined; claims: Record<string, unknown> }
  /** IAM refused: revoked consent or tokens, expired grant, deleted client, wrong subject. The session is over. */
  | { kind: "rejected"; reason: string }
  /** No answer IAM stands behind (down, timeout, 5xx): nothing is known about the session. */
  | { kind: "unreachable"; reason: string };

export type RevokeOutcome = { kind: "revoked" } | { kind: "rejected"; reason: string } | { kind: "unreachable"; reason: string };

export interface IamTokenClientOptions {
  /** IAM Hydra's public issuer URL (AUTH_ISSUER_URL). */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** A resolver for the issuer's host (development: `*.localhost`). */
  lookup?: LookupFunction | undefined;
  /** Per HTTP request; a hanging IAM must not hold a page (or a locked session row) for long. */
  timeoutMs?: number;
}

/** Seconds of clock skew accepted on the refreshed ID token (as next-auth's sign-in). */
const CLOCK_TOLERANCE_SECONDS = 10;

export function createIamTokenClient(options: IamTokenClientOptions): IamTokenClient {
  const httpOptions: CustomHttpOptionsProvider = (_url, defaults) => ({
    ...defaults,
    timeout: options.timeoutMs ?? 5_000,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  // Discovery runs with `this` = the Issuer class, so the options go on a
  // class of our own rather than on openid-client's shared defaults.
  class IamIssuer extends Issuer {}
  IamIssuer[custom.http_options] = httpOptions;

  let client: Promise<Client> | undefined;
  const discovered = (): Promise<Client> => {
    client ??= IamIssuer.discover(`${options.issuerUrl.replace(/\/$/, "")}/.well-known/openid-configuration`).then((issuer) => {
      issuer[custom.http_options] = httpOptions; // JWKS
      const created = new issuer.Client({
        client_id: options.clientId,
        client_secret: options.clientSecret,
        token_endpoint_auth_method: "client_secret_basic",
        id_token_signed_response_alg: "RS256",
      });
      created[custom.http_options] = httpOptions;
      created[custom.clock_tolerance] = CLOCK_TOLERANCE_SECONDS;
      return created;
    });
    // A failed discovery (IAM down at start) is retried by the next call.
    client.catch(() => (client = undefined));
    return client;
  };

  return {
    async refresh(refreshToken, subject) {
      try {
        const tokens = await (await discovered()).refresh(refreshToken);
        if (!tokens.id_token) return { kind: "rejected", reason: "the refresh returned no ID token" };
        const claims = tokens.claims();
        if (claims.sub !== subject) return { kind: "rejected", reason: "the refreshed ID token names another subject" };
        return { kind: "refreshed", refreshToken: tokens.refresh_token, idToken: tokens.id_token, claims: { ...claims } };
      } catch (error) {
        return classify(error);
      }
    },

    async revoke(refreshToken) {
      try {
        await (await discovered()).revoke(refreshToken, "refresh_token");
        return { kind: "revoked" };
      } catch (error) {
        return classify(error);
      }
    },
  };
}

/**
 * An OAuth2 error answer (4xx with `error`) is IAM's verdict; a 5xx, a 429, a
 * timeout or a connection failure is no verdict at all. A refreshed ID token
 * that fails verification is treated as a verdict against the session.
 */
function classify(error: unknown): { kind: "rejected" | "unreachable"; reason: string } {
  if (error instanceof errors.OPError) {
    const status = error.response?.statusCode ?? 0;
    const reason = `${error.error ?? "error"} (${status || "no status"})`;
    return status >= 400 && status < 500 && status !== 429 ? { kind: "rejected", reason } : { kind: "unreachable", reason };
  }
  if (error instanceof errors.RPError) {
    return /timed out/.test(error.message) ? { kind: "unreachable", reason: "timeout" } : { kind: "rejected", reason: error.message };
  }
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
  return { kind: "unreachable", reason: code ?? (error instanceof Error ? error.message : String(error)) };
}
