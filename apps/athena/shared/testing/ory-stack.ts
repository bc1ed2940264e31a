import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedHydra, silentLogger, type EmbeddedHydra } from "@olympus/embedded-hydra";
import { startEmbeddedKratos, type EmbeddedKratos } from "@olympus/embedded-kratos";
import { HydraAdminClient, KratosAdminClient } from "@olympus/ory-client/admin";
import type { Domain } from "@olympus/runtime-config/config";
import { freePort, type TestPostgres } from "@olympus/test-postgres";
import { z } from "zod";

/**
 * One domain's real Ory parts for Athena's action tests: the embedded Kratos
 * and Hydra, configured from platform/dev/<domain>-*, each on its own
 * database of a shared PostgreSQL server, plus the SDK admin clients Athena
 * uses (what shared/server/ory.ts would hand out). `person` and the relying
 * party play a customer or employee signed in at an OAuth2 client, holding
 * a refresh token, with Hydra remembering the login.
 */
export interface DomainStack {
  domain: Domain;
  kratos: EmbeddedKratos;
  hydra: EmbeddedHydra;
  kratosAdmin: KratosAdminClient;
  hydraAdmin: HydraAdminClient;
  /** A person with a password: IAM employee (schema `admin`) or CIAM customer (schema `default`). */
  person(email: string, metadataAdmin?: Record<string, unknown>): Promise<Person>;
  /** A Kratos session token of the person (native login). */
  kratosSession(person: Person): Promise<string>;
  /** 200 while the Kratos session is valid. */
  whoami(sessionToken: string): Promise<number>;
  /** Signs the person in at a fresh OAuth2 client (login remembered, offline_access granted). */
  signInAtClient(person: Person): Promise<SignedInAtClient>;
  close(): Promise<void>;
}

export interface Person {
  id: string;
  email: string;
  password: string;
}

export interface SignedInAtClient {
  accessToken: string;
  refreshToken: string;
  /** Status of a refresh_token grant with the refresh token issued at sign-in (200 while it works). */
  refresh(): Promise<number>;
  /** Whether Hydra's introspection still calls the token active. */
  isActive(token: string): Promise<boolean>;
  /** Whether a new authorization in the same browser would skip the login (Hydra still remembers it). */
  loginRemembered(): Promise<boolean>;
}

const PLATFORM_DEV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../platform/dev");
const PASSWORD = "a-long-test-password-2026";
const REDIRECT_URI = "http://127.0.0.1:9/callback";

/** `kratosConfig` is merged over the domain's platform/dev kratos.yml (e.g. a session setting a test needs). */
export async function startDomainStack(
  pg: TestPostgres,
  domain: Domain,
  options: { kratosConfig?: Record<string, unknown> } = {},
): Promise<DomainStack> {
  const kratos = await startEmbeddedKratos({
    configPath: path.join(PLATFORM_DEV, `${domain}-kratos`, "kratos.yml"),
    dsn: await pg.createDatabase(`${domain}_kratos_actions`),
    publicPort: 0,
    adminPort: 0,
    configOverrides: { hashers: { algorithm: "bcrypt", bcrypt: { cost: 4 } }, ...options.kratosConfig },
    log: () => {},
  });
  const hydra = await startEmbeddedHydra({
    configPath: path.join(PLATFORM_DEV, `${domain}-hydra`, "hydra.yml"),
    dsn: await pg.createDatabase(`${domain}_hydra_actions`),
    publicPort: await freePort(),
    adminPort: await freePort(),
    // As the dev stack runs it (Compose: `serve all --dev`), whose config this is.
    dev: true,
    logger: silentLogger,
  });
  const kratosPublic = kratos.publicUrl.replace(/\/$/, "");
  const kratosAdminUrl = kratos.adminUrl.replace(/\/$/, "");
  const hydraAdminUrl = hydra.adminUrl.replace(/\/$/, "");
  const hydraPublic = hydra.publicUrl.replace(/\/$/, "");
  let clients = 0;

  const json = async (response: Response, expected: number, what: string): Promise<unknown> => {
    if (response.status !== expected) throw new Error(`${what}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const send = (url: string, method: string, body?: unknown) =>
    fetch(url, {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  return {
    domain,
    kratos,
    hydra,
    kratosAdmin: new KratosAdminClient({ adminUrl: kratosAdminUrl, publicUrl: kratosPublic }),
    hydraAdmin: new HydraAdminClient(hydraAdminUrl),

    async person(email, metadataAdmin) {
      const created = await send(`${kratosAdminUrl}/admin/identities`, "POST", {
        schema_id: domain === "iam" ? "admin" : "default",
        traits: { email, name: { first: "Test", last: "Person" } },
        ...(metadataAdmin ? { metadata_admin: metadataAdmin } : {}),
        credentials: { password: { config: { password: PASSWORD } } },
        verifiable_addresses: [{ value: email, via: "email", verified: true, status: "completed" }],
      });
      const { id } = z.object({ id: z.string() }).parse(await json(created, 201, "create identity"));
      return { id, email, password: PASSWORD };
    },

    async kratosSession(person) {
      const { id: flow } = z
        .object({ id: z.string() })
        .parse(await json(await fetch(`${kratosPublic}/self-service/login/api`), 200, "login flow"));
      const login = await send(`${kratosPublic}/self-service/login?flow=${flow}`, "POST", {
        method: "password",
        identifier: person.email,
        password: person.password,
      });
      return z.object({ session_token: z.string() }).parse(await json(login, 200, "login")).session_token;
    },

    async whoami(sessionToken) {
      const response = await fetch(`${kratosPublic}/sessions/whoami`, { headers: { "X-Session-Token": sessionToken } });
      await response.body?.cancel();
      return response.status;
    },

    async signInAtClient(person) {
      const client = { id: `${domain}-actions-test-${++clients}`, secret: randomBytes(16).toString("hex") };
      await json(
        await send(`${hydraAdminUrl}/admin/clients`, "POST", {
          client_id: client.id,
          client_secret: client.secret,
          redirect_uris: [REDIRECT_URI],
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
          scope: "openid offline_access email",
          token_endpoint_auth_method: "client_secret_basic",
        }),
        201,
        "create client",
      );
      const basic = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString("base64")}`;
      const token = (form: Record<string, string>) =>
        fetch(`${hydraPublic}/oauth2/token`, {
          method: "POST",
          headers: { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(form),
        });
      const browser = new Browser();
      const authorize = () => {
        const verifier = randomBytes(32).toString("base64url");
        const url = new URL(`${hydraPublic}/oauth2/auth`);
        url.search = new URLSearchParams({
          client_id: client.id,
          response_type: "code",
          scope: "openid offline_access email",
          redirect_uri: REDIRECT_URI,
          state: randomBytes(12).toString("hex"),
          code_challenge: createHash("sha256").update(verifier).digest("base64url"),
          code_challenge_method: "S256",
        }).toString();
        return { url: url.toString(), verifier };
      };
      const challenge = async (url: URL, name: string) => {
        const value = url.searchParams.get(name);
        if (!value) throw new Error(`expected a ${name} at ${url.origin}${url.pathname}`);
        return value;
      };
      const accept = async (kind: "login" | "consent", value: string, body: unknown) =>
        z
          .object({ redirect_to: z.string() })
          .parse(
            await json(
              await send(`${hydraAdminUrl}/admin/oauth2/auth/requests/${kind}/accept?${kind}_challenge=${value}`, "PUT", body),
              200,
              `accept ${kind}`,
            ),
          ).redirect_to;

      const first = authorize();
      const atLogin = await browser.navigate(first.url, (url) => url.searchParams.has("login_challenge"));
      const afterLogin = await accept("login", await challenge(atLogin, "login_challenge"), {
        subject: person.id,
        remember: true,
        remember_for: 3600,
      });
      const atConsent = await browser.navigate(afterLogin, (url) => url.searchParams.has("consent_challenge"));
      const afterConsent = await accept("consent", await challenge(atConsent, "consent_challenge"), {
        grant_scope: ["openid", "offline_access", "email"],
        remember: false,
      });
      const callback = await browser.navigate(afterConsent, (url) => url.toString().startsWith(REDIRECT_URI));
      const exchanged = await token({
        grant_type: "authorization_code",
        code: await challenge(callback, "code"),
        redirect_uri: REDIRECT_URI,
        code_verifier: first.verifier,
      });
      const tokens = z.object({ access_token: z.string(), refresh_token: z.string() }).parse(await json(exchanged, 200, "code exchange"));

      return {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        async refresh() {
          const response = await token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
          await response.body?.cancel();
          return response.status;
        },
        async isActive(value) {
          const response = await fetch(`${hydraAdminUrl}/admin/oauth2/introspect`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ token: value }),
          });
          return z.object({ active: z.boolean() }).parse(await json(response, 200, "introspect")).active;
        },
        async loginRemembered() {
          const again = await browser.navigate(authorize().url, (url) => url.searchParams.has("login_challenge"));
          const request = await fetch(
            `${hydraAdminUrl}/admin/oauth2/auth/requests/login?login_challenge=${await challenge(again, "login_challenge")}`,
          );
          return z.object({ skip: z.boolean() }).parse(await json(request, 200, "login request")).skip;
        },
      };
    },

    async close() {
      await Promise.all([kratos.close(), hydra.close()]);
    },
  };
}

/** Just enough browser for an authorization: cookies per host, redirects followed by hand until `stop`. */
class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  async navigate(target: string, stop: (url: URL) => boolean): Promise<URL> {
    let url = new URL(target);
    for (let hop = 0; hop < 20; hop++) {
      if (stop(url)) return url;
      const cookies = this.jar.get(url.host) ?? new Map<string, string>();
      const response = await fetch(url, { redirect: "manual", headers: { Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
      for (const header of response.headers.getSetCookie()) {
        const [pair = ""] = header.split(";");
        const index = pair.indexOf("=");
        const value = pair.slice(index + 1).trim();
        if (value === "") cookies.delete(pair.slice(0, index).trim());
        else cookies.set(pair.slice(0, index).trim(), value);
      }
      this.jar.set(url.host, cookies);
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (!location) throw new Error(`navigation stopped at ${url.origin}${url.pathname} (${response.status})`);
      url = new URL(location, url);
    }
    throw new Error(`too many redirects from ${target}`);
  }
}
