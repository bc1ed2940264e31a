import { createHash, randomBytes } from "node:crypto";
import type { AcceptOAuth2ConsentRequest, AcceptOAuth2LoginRequest } from "@ory/client";
import type { TestBrowser } from "./browser";
import { createClient } from "./clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./harness";
import { CONSENT_UI, LOGIN_UI, startsWith } from "./sign-in";

/**
 * Raw OAuth2 calls for fidelity tests: what a client sends, byte for byte,
 * and what Hydra answers, without a client library in between.
 */
export const ERROR_UI = "http://ciam.localhost:3000/error";
export const REDIRECT_URI = "http://rp.localhost:5555/callback";

/** A navigation stop at every page an authorization can end on or wait at: the client, the error UI, the login and consent UIs. */
export const ANYWHERE = startsWith(REDIRECT_URI, ERROR_UI, LOGIN_UI, CONSENT_UI);

export const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");
export const newVerifier = () => randomBytes(32).toString("base64url");

export interface ClientCredentials {
  id: string;
  secret?: string;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown> & {
    access_token?: string;
    refresh_token?: string;
    id_token?: string;
    scope?: string;
    error?: string;
    error_description?: string;
  };
}

/** How the client authenticates at the token endpoint. */
export type AuthStyle = "basic" | "post" | "none";

/** What the verifier tests start from: Postgres, an instance, and a confidential client of the code flow with refresh tokens. */
export interface CodeFlowSuite {
  postgres: TestPostgres;
  hydra: HydraUnderTest;
  clientId: string;
  clientSecret: string;
}

/**
 * Starts a code-flow suite; its client asks for `openid offline_access` and
 * redirects to REDIRECT_URI. What did start is stopped again when a later
 * step fails.
 */
export async function startCodeFlowSuite(): Promise<CodeFlowSuite> {
  const { postgres, hydra } = await startHydraWithPostgres();
  try {
    const client = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      scope: "openid offline_access",
      grant_types: ["authorization_code", "refresh_token"],
    });
    return { postgres, hydra, clientId: client.id, clientSecret: client.secret };
  } catch (error) {
    await stopHydraAndPostgres(hydra, postgres);
    throw error;
  }
}

export async function tokenRequest(
  hydra: HydraUnderTest,
  form: Record<string, string | undefined>,
  client: ClientCredentials,
  style: AuthStyle = "basic",
): Promise<TokenAnswer> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value !== undefined) body.set(key, value);
  if (style === "basic") {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret ?? "")}`).toString("base64")}`;
  } else {
    body.set("client_id", client.id);
    if (style === "post") body.set("client_secret", client.secret ?? "");
  }
  const res = await fetch(new URL("oauth2/token", hydra.publicUrl), { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as TokenAnswer["body"] };
}

export function authorizeUrl(hydra: HydraUnderTest, clientId: string, params: Record<string, string | undefined>): string {
  const url = new URL("oauth2/auth", hydra.publicUrl);
  const all: Record<string, string | undefined> = {
    client_id: clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: "openid",
    state: "state-1234",
    ...params,
  };
  for (const [key, value] of Object.entries(all)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/** Whether the next authorization of `clientId` in this browser would skip the login UI (a remembered login session behind its cookie). */
export async function nextLoginSkips(hydra: HydraUnderTest, browser: TestBrowser, clientId: string, scope: string): Promise<boolean> {
  const at = await browser.navigate(authorizeUrl(hydra, clientId, { scope, state: "probe-state" }), startsWith(LOGIN_UI));
  const { data } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge: at.url.searchParams.get("login_challenge") ?? "" });
  return data.skip;
}

/** The login challenge the browser was sent to the login UI with, or where it went instead. */
export async function toLoginUi(browser: TestBrowser, url: string): Promise<{ challenge?: string; url: URL }> {
  const at = await browser.navigate(url, startsWith(LOGIN_UI, REDIRECT_URI, ERROR_UI, CONSENT_UI));
  return {
    url: at.url,
    ...(at.url.toString().startsWith(LOGIN_UI) ? { challenge: at.url.searchParams.get("login_challenge") ?? "" } : {}),
  };
}

/** Accepts a login challenge and follows the browser to the consent UI (or wherever it ends). */
export async function acceptLogin(
  hydra: HydraUnderTest,
  browser: TestBrowser,
  loginChallenge: string,
  body: AcceptOAuth2LoginRequest,
): Promise<URL> {
  const { data } = await hydra.admin.acceptOAuth2LoginRequest({ loginChallenge, acceptOAuth2LoginRequest: body });
  return (await browser.navigate(data.redirect_to, startsWith(CONSENT_UI, REDIRECT_URI, ERROR_UI))).url;
}

/** Accepts a consent challenge (granting what was requested unless told otherwise) and follows the browser to the client. */
export async function acceptConsent(
  hydra: HydraUnderTest,
  browser: TestBrowser,
  consentUrl: URL,
  body: Partial<AcceptOAuth2ConsentRequest> = {},
): Promise<URL> {
  const consentChallenge = consentUrl.searchParams.get("consent_challenge") ?? "";
  const { data: request } = await hydra.admin.getOAuth2ConsentRequest({ consentChallenge });
  const { data } = await hydra.admin.acceptOAuth2ConsentRequest({
    consentChallenge,
    acceptOAuth2ConsentRequest: {
      grant_scope: request.requested_scope ?? [],
      grant_access_token_audience: request.requested_access_token_audience ?? [],
      ...body,
    },
  });
  return (await browser.navigate(data.redirect_to, startsWith(REDIRECT_URI, ERROR_UI))).url;
}

/** The parameters of an authorization response (query or fragment). */
export function responseParams(url: URL): URLSearchParams {
  return url.hash.length > 1 ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

export function decodeJwtHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}
