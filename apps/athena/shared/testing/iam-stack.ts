import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedHydra, silentLogger, type EmbeddedHydra } from "@olympus/embedded-hydra";
import { EMBEDDED_ATHENA_CLIENTS } from "@olympus/devstack/defaults";
import { layOutTestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { freePort, startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { generators, Issuer, type Client } from "openid-client";
import pg from "pg";
import { OIDC_SCOPES } from "@/shared/auth/policy";

/**
 * Real parts for Athena's session tests: a PostgreSQL server with the
 * `olympus` database laid out as init.sql does and migrated (Athena CIAM logs
 * in as olympus_ciam, so row-level security applies as in production) and the
 * embedded IAM Hydra on its own database, configured from
 * platform/dev/iam-hydra/hydra.yml, with Athena CIAM's OAuth2 client
 * registered as the devstack seeds it. `signIn` plays the browser and Hera
 * IAM (login and consent accepted through Hydra's admin API, the role put in
 * the ID token as Hera's consent does) and returns the tokens next-auth gets.
 */
export interface IamTestStack {
  /** The `olympus` database as Athena CIAM's role, olympus_ciam (like production). */
  pool: pg.Pool;
  /** Its connection string (Athena CIAM's OLYMPUS_DATABASE_URL). */
  databaseUrl: string;
  superuser(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  hydra: EmbeddedHydra;
  client: { clientId: string; clientSecret: string; redirectUri: string };
  /**
   * One authorization code flow with PKCE; `claims` are what Hera's consent
   * would put in the ID token, `login` what Hera's login accept would add
   * (the Kratos session's AAL as `acr`, Hera's grace-period `context`).
   */
  signIn(
    subject: string,
    claims: { email?: string; name?: string; iam_admin_role?: string; olympus_mfa_grace_until?: number },
    login?: { acr?: string; amr?: string[]; context?: Record<string, unknown> },
  ): Promise<SignedIn>;
  /** What Athena's role-change, deactivate and delete actions do at IAM Hydra: every consent of `subject` revoked, with its tokens. */
  revokeConsents(subject: string): Promise<void>;
  stop(): Promise<void>;
}

export interface SignedIn {
  refreshToken: string;
  idToken: string;
  accessToken: string;
  /** The verified ID token's claims (next-auth's `profile`). */
  claims: Record<string, unknown>;
}

const IAM_HYDRA_CONFIG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../platform/dev/iam-hydra/hydra.yml");

export async function startIamTestStack(): Promise<IamTestStack> {
  const server = await startTestPostgres();
  let hydra: EmbeddedHydra | undefined;
  let pool: pg.Pool | undefined;
  try {
    const databaseUrl = (await layOutTestOlympusDatabase(server)).ciam;
    pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
    pool.on("error", () => {});
    hydra = await startEmbeddedHydra({
      configPath: IAM_HYDRA_CONFIG,
      dsn: await server.createDatabase("iam_hydra"),
      publicPort: await freePort(),
      adminPort: await freePort(),
      // As the dev stack runs it (Compose: `serve all --dev`), whose config this is.
      dev: true,
      logger: silentLogger,
    });
    return await assemble(server, pool, databaseUrl, hydra);
  } catch (error) {
    await hydra?.close();
    await pool?.end();
    await server.stop();
    throw error;
  }
}

async function assemble(server: TestPostgres, pool: pg.Pool, databaseUrl: string, hydra: EmbeddedHydra): Promise<IamTestStack> {
  const { clientId, clientSecret, redirectUri } = EMBEDDED_ATHENA_CLIENTS.ciam;
  const admin = (method: string, pathAndQuery: string, body?: unknown) =>
    fetch(`${hydra.adminUrl.replace(/\/$/, "")}${pathAndQuery}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const created = await admin("POST", "/admin/clients", {
    client_id: clientId,
    client_secret: clientSecret,
    client_name: "Athena CIAM",
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    scope: "openid offline_access email profile",
    token_endpoint_auth_method: "client_secret_basic",
    skip_consent: true,
  });
  if (created.status !== 201) throw new Error(`creating the Athena client failed: ${created.status} ${await created.text()}`);

  const issuer = await Issuer.discover(hydra.issuer);
  const rp: Client = new issuer.Client({
    client_id: clientId,
    client_secret: clientSecret,
    token_endpoint_auth_method: "client_secret_basic",
  });

  return {
    pool,
    databaseUrl,
    superuser: (sql, params) => server.query(sql, params ?? [], "olympus"),
    hydra,
    client: { clientId, clientSecret, redirectUri },

    async signIn(subject, claims, loginAccept = {}) {
      const browser = new CookieJarBrowser();
      const verifier = generators.codeVerifier();
      const state = generators.state();
      const nonce = generators.nonce();
      const start = rp.authorizationUrl({
        redirect_uri: redirectUri,
        scope: OIDC_SCOPES,
        code_challenge: generators.codeChallenge(verifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      const atLogin = await browser.navigateUntil(start, (url) => url.searchParams.has("login_challenge"));
      const loginChallenge = atLogin.searchParams.get("login_challenge") ?? "";
      const login = await admin("PUT", `/admin/oauth2/auth/requests/login/accept?login_challenge=${encodeURIComponent(loginChallenge)}`, {
        subject,
        ...loginAccept,
      });
      const atConsent = await browser.navigateUntil(await redirectTo(login), (url) => url.searchParams.has("consent_challenge"));
      const consentChallenge = atConsent.searchParams.get("consent_challenge") ?? "";
      const request = (await (
        await admin("GET", `/admin/oauth2/auth/requests/consent?consent_challenge=${encodeURIComponent(consentChallenge)}`)
      ).json()) as {
        requested_scope?: string[];
      };
      const consent = await admin(
        "PUT",
        `/admin/oauth2/auth/requests/consent/accept?consent_challenge=${encodeURIComponent(consentChallenge)}`,
        {
          grant_scope: request.requested_scope ?? [],
          remember: false,
          session: { id_token: claims, access_token: {} },
        },
      );
      const callback = await browser.navigateUntil(await redirectTo(consent), (url) => url.toString().startsWith(redirectUri));
      const tokens = await rp.callback(redirectUri, rp.callbackParams(callback.toString()), { code_verifier: verifier, state, nonce });
      if (!tokens.refresh_token || !tokens.id_token || !tokens.access_token)
        throw new Error("IAM Hydra issued no refresh token or ID token");
      return {
        refreshToken: tokens.refresh_token,
        idToken: tokens.id_token,
        accessToken: tokens.access_token,
        claims: { ...tokens.claims() },
      };
    },

    async revokeConsents(subject) {
      const response = await admin("DELETE", `/admin/oauth2/auth/sessions/consent?subject=${encodeURIComponent(subject)}&all=true`);
      if (response.status !== 204) throw new Error(`revoking consents failed: ${response.status}`);
    },

    async stop() {
      await hydra.close();
      await pool.end();
      await server.stop();
    },
  };
}

async function redirectTo(response: Response): Promise<string> {
  const body = (await response.json()) as { redirect_to?: string };
  if (!response.ok || !body.redirect_to) throw new Error(`Hydra did not accept the challenge: ${response.status}`);
  return body.redirect_to;
}

/** Just enough browser for an authorization: cookies by host and path, redirects followed by hand. */
class CookieJarBrowser {
  private cookies: { host: string; path: string; name: string; value: string }[] = [];

  async navigateUntil(target: string, stop: (url: URL) => boolean): Promise<URL> {
    let url = new URL(target);
    for (let hop = 0; hop < 20; hop++) {
      if (stop(url)) return url;
      const cookie = this.cookies
        .filter((c) => c.host === url.host && url.pathname.startsWith(c.path))
        .map((c) => `${c.name}=${c.value}`)
        .join("; ");
      const response = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
      for (const header of response.headers.getSetCookie()) this.store(url, header);
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (!location) throw new Error(`navigation stopped at ${url.origin}${url.pathname} (${response.status})`);
      url = new URL(location, url);
    }
    throw new Error(`too many redirects from ${target}`);
  }

  private store(url: URL, header: string): void {
    const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
    const index = pair.indexOf("=");
    const name = pair.slice(0, index);
    const value = pair.slice(index + 1);
    const path = attributes.find((a) => a.toLowerCase().startsWith("path="))?.slice(5) || "/";
    const expired = value === "" || attributes.some((a) => /^max-age=0$/i.test(a) || /^expires=thu, 01 jan 1970/i.test(a));
    this.cookies = this.cookies.filter((c) => !(c.host === url.host && c.path === path && c.name === name));
    if (!expired) this.cookies.push({ host: url.host, path, name, value });
  }
}
