import { createHash, randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { z } from "zod";
import { tokenResponse, type CiamApi } from "./ciam-api";

const redirect = z.object({ redirect_to: z.string() });

/**
 * A customer grants a consent to a client the way Hera CIAM would let them,
 * without Hera: a cookie-keeping HTTP client follows CIAM Hydra's
 * authorization code flow hop by hop, and the login and consent challenges
 * are accepted through Hydra's admin API (the path Hera itself takes).
 * Returns the tokens the client gets for the code.
 *
 * Hydra announces itself as ciam.localhost but listens on 127.0.0.1 only, and
 * Node cannot resolve *.localhost: every hop to Hydra goes to the loopback
 * address, so its cookies stay on one host.
 */
export async function grantConsent(
  http: APIRequestContext,
  api: CiamApi,
  options: { client: { id: string; secret: string }; redirectUri: string; subject: string; scopes: string[] },
): Promise<z.infer<typeof tokenResponse>> {
  const discovery = await (await fetch(`${api.hydraPublic}/.well-known/openid-configuration`)).json();
  const { authorization_endpoint } = z.object({ authorization_endpoint: z.string() }).parse(discovery);
  const hydraOrigin = new URL(authorization_endpoint).origin;
  const loopback = (url: URL) => new URL(`${api.hydraPublic}${url.pathname}${url.search}`);

  /** Follows Hydra's redirects until one leaves Hydra (for Hera's pages or the client's callback). */
  async function follow(start: string): Promise<URL> {
    let current = new URL(start);
    for (let hop = 0; current.origin === hydraOrigin || current.origin === api.hydraPublic; hop++) {
      if (hop === 10) throw new Error(`Hydra kept redirecting: ${current.href}`);
      const response = await http.get(loopback(current).href, { maxRedirects: 0 });
      const location = response.headers().location;
      if (!location) throw new Error(`Hydra answered ${response.status()} without a redirect: ${(await response.text()).slice(0, 300)}`);
      current = new URL(location, current);
    }
    return current;
  }

  function challenge(url: URL, name: "login_challenge" | "consent_challenge"): string {
    const value = url.searchParams.get(name);
    if (!value) throw new Error(`Hydra did not ask for ${name}: ${url.searchParams.get("error_description") ?? url.href}`);
    return value;
  }

  async function accept(kind: "login" | "consent", value: string, body: Record<string, unknown>): Promise<string> {
    const response = await api.hydraAdmin(`/admin/oauth2/auth/requests/${kind}/accept?${kind}_challenge=${encodeURIComponent(value)}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`accepting the ${kind} failed: ${response.status} ${await response.text()}`);
    return redirect.parse(await response.json()).redirect_to;
  }

  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL(authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: options.client.id,
    response_type: "code",
    redirect_uri: options.redirectUri,
    scope: options.scopes.join(" "),
    state: randomBytes(16).toString("base64url"),
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();

  const loginPage = await follow(authorize.href);
  const afterLogin = await accept("login", challenge(loginPage, "login_challenge"), { subject: options.subject, remember: false });
  const consentPage = await follow(afterLogin);
  const afterConsent = await accept("consent", challenge(consentPage, "consent_challenge"), {
    grant_scope: options.scopes,
    remember: true,
    remember_for: 0,
  });
  const callback = await follow(afterConsent);
  const code = callback.searchParams.get("code");
  if (!code || !callback.href.startsWith(options.redirectUri)) throw new Error(`no code at the callback: ${callback.href}`);

  const tokens = await api.token(options.client.id, options.client.secret, {
    grant_type: "authorization_code",
    code,
    redirect_uri: options.redirectUri,
    code_verifier: verifier,
  });
  if (tokens.status !== 200) throw new Error(`redeeming the code failed: ${tokens.status} ${await tokens.text()}`);
  return tokenResponse.parse(await tokens.json());
}
