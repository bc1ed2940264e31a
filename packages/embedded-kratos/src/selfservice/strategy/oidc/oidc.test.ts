import type { Identity } from "@ory/client";
import { xchacha20Poly1305Open } from "@olympus/server-kit/crypto";
import { generateSync } from "otplib";
import { Client as pgClient } from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TestBrowser, type BrowserResponse } from "../../../testing/browser";
import {
  CIAM_CONFIG,
  STRONG_PASSWORD,
  startKratos,
  startTestPostgres,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeSecureCookie, encodeSecureCookie } from "../../../continuity/securecookie";
import type { KratosConfig } from "../../../config/load";
import { sealState } from "./state";
import { TestOidcProvider, type TestAccount } from "./testing/provider";
import { apiPasswordLogin, enrolTotp } from "../../../testing/second-factor";

/** platform/dev/ciam-kratos/kratos.yml `secrets.cipher[0]` (with `ciphers.algorithm: xchacha20-poly1305`). */
const CIAM_CIPHER_SECRET = "ciam-dev-cipher-secret-32-chars!";
/** Its `secrets.cookie[0]`, the continuity cookie's hash key. */
const CIAM_COOKIE_SECRET = "ciam-dev-cookie-secret-NOT-FOR-PRODUCTION";

/**
 * Social sign-in against a real oidc-provider, following Kratos v26.2's
 * selfservice/strategy/oidc (strategy.go HandleCallback/ValidateCallback,
 * strategy_login.go Login/ProcessLogin, strategy_registration.go
 * processRegistration/registrationToLogin, strategy.go HandleError +
 * populateAccountLinkingUI, login/hook.go maybeLinkCredentials,
 * strategy_settings.go link/unlink).
 */

// A claims mapper as Kratos' docs write them: email and names, the email vouched for only when the provider verified it.
const MAPPER = `
local claims = std.extVar('claims');
{
  identity: {
    traits: {
      [if std.objectHas(claims, 'email') then 'email' else null]: claims.email,
      name: { first: std.get(claims, 'given_name', ''), last: std.get(claims, 'family_name', '') },
    },
    verified_addresses: if std.objectHas(claims, 'email_verified') && claims.email_verified then [{ via: 'email', value: claims.email }] else [],
    metadata_public: { provider_subject: claims.sub },
  },
}
`;

type FlowJson = {
  id: string;
  ui: {
    action: string;
    messages?: { id: number; text: string; context?: Record<string, unknown> }[];
    nodes: {
      group: string;
      attributes: Record<string, unknown>;
      messages: { id: number; text: string }[];
      meta: { label?: { id: number; text: string; context?: Record<string, unknown> } };
    }[];
  };
  state?: string;
};

describe("oidc strategy (social sign-in) against a real OpenID Connect provider", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let provider: TestOidcProvider;
  let browser: TestBrowser;
  /** A web hook target (response.parse) that moves sign-ups of `hook-rewrite…` addresses to another address. */
  let hookTarget: Server;
  /** The public base URL with its trailing slash, as Kratos writes it. */
  const pub = () => kratos.publicUrl.replace(/\/?$/, "/");

  beforeAll(async () => {
    pg = await startTestPostgres();
    provider = await TestOidcProvider.start();
    hookTarget = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const sent = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { ctx: { identity: { traits: { email?: string } } } };
        const email = sent.ctx.identity.traits.email ?? "";
        if (!email.startsWith("hook-rewrite")) return res.writeHead(204).end();
        const traits = { ...sent.ctx.identity.traits, email: `moved-${email}` };
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ identity: { traits } }));
      });
    });
    await new Promise<void>((resolve) => hookTarget.listen(0, "127.0.0.1", resolve));
    const hookUrl = `http://127.0.0.1:${(hookTarget.address() as AddressInfo).port}/`;
    const hookBody = `base64://${Buffer.from("function(ctx) { ctx: ctx }").toString("base64")}`;
    kratos = await startKratos(pg, "ciam_oidc", {
      configPath: CIAM_CONFIG,
      configOverrides: {
        selfservice: {
          methods: {
            // Without passwordless codes an oidc-only identity has one first factor (unlink is refused).
            code: { enabled: true, passwordless_enabled: false },
            oidc: {
              enabled: true,
              config: {
                providers: [
                  {
                    id: "test",
                    provider: "generic",
                    label: "Test IdP",
                    client_id: provider.clientId,
                    client_secret: provider.clientSecret,
                    issuer_url: provider.issuer,
                    scope: ["email", "profile"],
                    mapper_url: `base64://${Buffer.from(MAPPER).toString("base64")}`,
                  },
                  {
                    // No label: the linking message names it by its provider type (populateAccountLinkingUI).
                    id: "nolabel",
                    provider: "generic",
                    client_id: provider.clientId,
                    client_secret: provider.clientSecret,
                    issuer_url: provider.issuer,
                    scope: ["email", "profile"],
                    mapper_url: `base64://${Buffer.from(MAPPER).toString("base64")}`,
                  },
                  {
                    // Discovery answers 404 here (provider_generic_oidc.go provider fails).
                    id: "broken",
                    provider: "generic",
                    client_id: provider.clientId,
                    client_secret: provider.clientSecret,
                    issuer_url: `${provider.issuer}/missing`,
                    mapper_url: `base64://${Buffer.from(MAPPER).toString("base64")}`,
                  },
                  {
                    // Registered for client_secret_post: x/oauth2's second attempt (credentials in the form) is the one that works.
                    id: "post",
                    provider: "generic",
                    client_id: provider.postClientId,
                    client_secret: provider.clientSecret,
                    issuer_url: provider.issuer,
                    scope: ["email", "profile"],
                    mapper_url: `base64://${Buffer.from(MAPPER).toString("base64")}`,
                  },
                  {
                    id: "userinfo",
                    provider: "generic",
                    client_id: provider.clientId,
                    client_secret: provider.clientSecret,
                    issuer_url: provider.issuer,
                    scope: ["email", "profile"],
                    claims_source: "userinfo",
                    mapper_url: `base64://${Buffer.from(MAPPER).toString("base64")}`,
                  },
                ],
              },
            },
          },
          // login_hints: the linking form shows only what the existing account can sign in with (populateAccountLinkingUI).
          flows: {
            registration: {
              login_hints: true,
              after: {
                oidc: {
                  hooks: [
                    { hook: "web_hook", config: { url: hookUrl, method: "POST", body: hookBody, response: { parse: true } } },
                    { hook: "session" },
                  ],
                },
              },
            },
          },
        },
      },
    });
    provider.configure(["test", "userinfo", "nolabel", "broken", "post"].map((id) => `${pub()}self-service/methods/oidc/callback/${id}`));
  });
  afterAll(async () => {
    await kratos?.close();
    await provider?.close();
    hookTarget?.closeAllConnections();
    await new Promise((resolve) => hookTarget?.close(resolve));
    await pg?.stop();
  });
  beforeEach(() => {
    browser = new TestBrowser();
    provider.account = undefined;
    provider.denyWith = undefined;
    provider.failTokenWith = [];
  });

  const account = (email: string | undefined, verified = true): TestAccount => ({
    sub: `Sub-${Math.random().toString(36).slice(2)}`,
    claims: { ...(email ? { email, email_verified: verified } : {}), given_name: "Ada", family_name: "Lovelace" },
  });

  async function browserFlow(kind: "login" | "registration" | "settings"): Promise<FlowJson> {
    const init = await browser.request(`${pub()}self-service/${kind}/browser`);
    expect(init.status).toBe(303);
    const id = new URL(String(init.location)).searchParams.get("flow");
    return fetchFlow(kind, String(id));
  }

  async function fetchFlow(kind: string, id: string): Promise<FlowJson> {
    const res = await browser.request(`${pub()}self-service/${kind}/flows?id=${id}`, { headers: { Accept: "application/json" } });
    expect(res.status).toBe(200);
    return res.body as FlowJson;
  }

  const csrf = (flow: FlowJson) => String(flow.ui.nodes.find((n) => n.attributes.name === "csrf_token")?.attributes.value);

  /** Follows the provider's redirects (login, consent) until it sends the browser back to Kratos, then opens that callback. */
  async function throughProvider(start: BrowserResponse): Promise<BrowserResponse> {
    return browser.request(await callbackFrom(start));
  }

  /** The callback URL the provider sends the browser back to, not opened yet. */
  async function callbackFrom(start: BrowserResponse): Promise<string> {
    expect(start.status).toBe(303);
    let location = String(start.location);
    expect(location.startsWith(provider.issuer)).toBe(true);
    for (let hops = 0; hops < 10; hops++) {
      const res = await browser.request(location);
      if (!res.location) throw new Error(`provider answered ${res.status}: ${res.text.slice(0, 300)}`);
      location = new URL(res.location, location).toString();
      if (location.startsWith(pub())) return location;
    }
    throw new Error("too many redirects at the provider");
  }

  async function signInWithProvider(kind: "login" | "registration", who: TestAccount, providerId = "test"): Promise<BrowserResponse> {
    provider.account = who;
    const flow = await browserFlow(kind);
    // As a browser without JavaScript posts the server-rendered button: no `method`, just the pressed `provider`.
    const submit = await browser.request(flow.ui.action, { form: { csrf_token: csrf(flow), provider: providerId } });
    return throughProvider(submit);
  }

  async function whoami(): Promise<{
    status: number;
    body: {
      identity?: Identity;
      authenticator_assurance_level?: string;
      authentication_methods?: {
        method: string;
        aal: string;
        completed_at?: string;
        provider?: string;
      }[];
    };
  }> {
    const res = await browser.request(`${pub()}sessions/whoami`, { headers: { Accept: "application/json" } });
    return { status: res.status, body: res.body as never };
  }

  /** The session's methods without `completed_at`, after checking each has one. */
  function withoutTimes(methods: { completed_at?: string }[] | undefined): Record<string, unknown>[] {
    return (methods ?? []).map(({ completed_at, ...rest }) => {
      expect(Number.isNaN(Date.parse(String(completed_at)))).toBe(false);
      return rest;
    });
  }

  async function oidcCredential(id: string) {
    const { data } = await kratos.identity.getIdentity({ id, includeCredential: ["oidc"] });
    return data;
  }

  it("renders provider buttons first on login (1010002) and registration (1040002), as AddProvider does", async () => {
    const login = await browserFlow("login");
    // SortBySchema orders the buttons (all `provider`, no key) by their values: the provider ids.
    expect(login.ui.nodes.filter((n) => n.attributes.name === "provider").map((n) => n.attributes.value)).toEqual([
      "broken",
      "nolabel",
      "post",
      "test",
      "userinfo",
    ]);
    expect(login.ui.nodes[0]?.group).toBe("oidc");
    const button = login.ui.nodes.find((n) => n.attributes.value === "test");
    expect(button).toEqual({
      type: "input",
      group: "oidc",
      attributes: { name: "provider", type: "submit", value: "test", disabled: false, node_type: "input" },
      messages: [],
      meta: { label: { id: 1010002, text: "Sign in with Test IdP", type: "info", context: { provider: "Test IdP", provider_id: "test" } } },
    });
    const registration = await browserFlow("registration");
    expect(registration.ui.nodes[0]?.group).toBe("oidc");
    expect(registration.ui.nodes.find((n) => n.attributes.value === "test")?.meta.label).toEqual({
      id: 1040002,
      text: "Sign up with Test IdP",
      type: "info",
      context: { provider: "Test IdP", provider_id: "test" },
    });
  });

  it("sends the browser to the provider with state, PKCE and the scopes plus openid; AJAX gets 422 (Strategy.Login)", async () => {
    const flow = await browserFlow("login");
    const form = await browser.request(flow.ui.action, { form: { csrf_token: csrf(flow), method: "oidc", provider: "test" } });
    expect(form.status).toBe(303);
    const url = new URL(String(form.location));
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/auth`);
    expect(url.searchParams.get("client_id")).toBe(provider.clientId);
    expect(url.searchParams.get("redirect_uri")).toBe(`${pub()}self-service/methods/oidc/callback/test`);
    expect(url.searchParams.get("scope")).toBe("email profile openid");
    expect(url.searchParams.get("state")).toBeTruthy();
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(browser.cookies.has("ory_kratos_continuity")).toBe(true);

    const json = await browser.request(flow.ui.action, { json: { csrf_token: csrf(flow), method: "oidc", provider: "test" } });
    expect(json.status).toBe(422);
    expect(json.body).toMatchObject({ error: { id: "browser_location_change_required", code: 422 } });
    expect(String((json.body as { redirect_browser_to: string }).redirect_browser_to)).toMatch(new RegExp(`^${provider.issuer}/auth\\?`));
  });

  it("signs up an unknown subject with the mapped traits, marks only the vouched-for address verified, then signs in (processRegistration, ProcessLogin)", async () => {
    const email = uniqueEmail("social");
    const who = account(email);
    const done = await signInWithProvider("registration", who);
    expect(done.status).toBe(303);
    expect(done.location).toBe("http://ciam.localhost:3000/");
    const session = await whoami();
    expect(session.status).toBe(200);
    const identity = session.body.identity as Identity;
    expect(identity.traits).toEqual({ email, name: { first: "Ada", last: "Lovelace" } });
    expect(identity.verifiable_addresses?.[0]).toMatchObject({ value: email, verified: true, status: "completed" });
    expect(identity.metadata_public).toEqual({ provider_subject: who.sub });
    const stored = await oidcCredential(identity.id);
    expect(stored.credentials?.oidc?.identifiers).toEqual([`test:${who.sub}`]);
    const config = stored.credentials?.oidc?.config as { providers: Record<string, string>[] };
    expect(config.providers).toHaveLength(1);
    expect(config.providers[0]).toMatchObject({ subject: who.sub, provider: "test", initial_refresh_token: "" });
    // The tokens as the cipher opens them (WithDeclassifiedCredentials): a signed JWT and the access token.
    expect(config.providers[0]?.initial_id_token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(config.providers[0]?.initial_access_token).not.toBe("");

    // The same person again, starting from the login form: a login, same identity, oidc in the session.
    browser = new TestBrowser();
    const again = await signInWithProvider("login", who);
    expect(again.status).toBe(303);
    const second = await whoami();
    expect(second.body.identity?.id).toBe(identity.id);
    expect(second.body.authentication_methods).toEqual([expect.objectContaining({ method: "oidc", provider: "test" })]);
  });

  // strategy_registration.go processRegistration and strategy_login.go (session.go CompletedLoginForWithProvider) record
  // method oidc at AAL1 with the provider id: v26.2's AuthenticationMethod has no upstream acr/amr, and its provider
  // configuration no aal2_acr_values/aal2_amr_values, so what the provider says about its own second factor changes nothing.
  it("derives the addresses from the traits a pre-persist web hook replaced (IdentityManager.Create after PostRegistrationPrePersistHook)", async () => {
    const email = uniqueEmail("hook-rewrite");
    const done = await signInWithProvider("registration", account(email));
    expect(done.status).toBe(303);
    const { body } = await whoami();
    expect(body.identity?.traits).toMatchObject({ email: `moved-${email}` });
    expect(body.identity?.verifiable_addresses?.map((a) => a.value)).toEqual([`moved-${email}`]);
    expect(body.identity?.recovery_addresses?.map((a) => a.value)).toEqual([`moved-${email}`]);
  });

  it("records a social sign-in as oidc at aal1 with its provider, whatever acr/amr the provider sends (CompletedLoginForWithProvider)", async () => {
    const who = { ...account(uniqueEmail("amr")), acr: "urn:example:mfa", amr: ["pwd", "otp"] };
    expect((await signInWithProvider("registration", who)).status).toBe(303);
    const signUp = await whoami();
    expect(signUp.body.authenticator_assurance_level).toBe("aal1");
    expect(withoutTimes(signUp.body.authentication_methods)).toEqual([{ method: "oidc", aal: "aal1", provider: "test" }]);

    browser = new TestBrowser();
    expect((await signInWithProvider("login", who)).status).toBe(303);
    const login = await whoami();
    expect(login.body.authenticator_assurance_level).toBe("aal1");
    expect(withoutTimes(login.body.authentication_methods)).toEqual([{ method: "oidc", aal: "aal1", provider: "test" }]);
  });

  it("starts from login for an unknown subject and signs up there; an unverified email stays unverified", async () => {
    const email = uniqueEmail("fromlogin");
    const done = await signInWithProvider("login", account(email, false));
    expect(done.status).toBe(303);
    const session = await whoami();
    expect(session.body.identity?.traits).toMatchObject({ email });
    expect(session.body.identity?.verifiable_addresses?.[0]).toMatchObject({ value: email, verified: false });
  });

  // strategy.go encryptOAuth2Tokens with cipher/chacha20.go: CIAM's config selects xchacha20-poly1305 and secrets.cipher.
  it("stores the provider's tokens as Kratos' configured cipher writes them, hex(nonce ‖ sealed) (encryptOAuth2Tokens)", async () => {
    const who = account(uniqueEmail("tokens"));
    await signInWithProvider("registration", who);
    const id = String((await whoami()).body.identity?.id);
    const client = new pgClient({ connectionString: pg.url("ciam_oidc") });
    await client.connect();
    try {
      const { rows } = await client.query<{ config: { providers: Record<string, string>[] } }>(
        "SELECT config FROM identity_credentials WHERE identity_id = $1 AND type = 'oidc'",
        [id],
      );
      const stored = rows[0]?.config.providers[0] ?? {};
      const open = (value: string | undefined) => {
        expect(value).toMatch(/^[0-9a-f]{82,}$/);
        const raw = Buffer.from(String(value), "hex");
        return xchacha20Poly1305Open(Buffer.from(CIAM_CIPHER_SECRET), raw.subarray(0, 24), raw.subarray(24))?.toString();
      };
      expect(open(stored.initial_id_token)?.split(".")).toHaveLength(3);
      expect(open(stored.initial_access_token)).not.toBe("");
      // oidc-provider issues no refresh token without offline_access: nothing to encrypt, an empty string.
      expect(stored.initial_refresh_token).toBe("");

      // identity/identity.go WithDeclassifiedCredentials: include_credential=oidc shows the tokens the cipher opens.
      const shown = (await oidcCredential(id)).credentials?.oidc?.config as { providers: Record<string, string>[] };
      expect(shown.providers[0]).toEqual({
        subject: stored.subject,
        provider: "test",
        initial_id_token: open(stored.initial_id_token),
        initial_access_token: open(stored.initial_access_token),
        initial_refresh_token: "",
      });
      // A token the cipher cannot open is shown empty (the decrypt error is swallowed).
      const broken = { ...stored, initial_access_token: "00ff" };
      await client.query("UPDATE identity_credentials SET config = $2 WHERE identity_id = $1 AND type = 'oidc'", [
        id,
        JSON.stringify({ providers: [broken] }),
      ]);
      const after = (await oidcCredential(id)).credentials?.oidc?.config as { providers: Record<string, string>[] };
      expect(after.providers[0]).toMatchObject({ initial_access_token: "", initial_id_token: open(stored.initial_id_token) });
    } finally {
      await client.end();
    }
  });

  it("reads the claims from userinfo when claims_source is userinfo (claimsFromUserInfo)", async () => {
    const email = uniqueEmail("userinfo");
    const done = await signInWithProvider("registration", account(email), "userinfo");
    expect(done.status).toBe(303);
    const session = await whoami();
    expect(session.body.identity?.traits).toEqual({ email, name: { first: "Ada", last: "Lovelace" } });
  });

  it("signs in at a provider that takes the client's credentials only in the form (x/oauth2 RetrieveToken, AuthStyleAutoDetect)", async () => {
    provider.tokenRequests.length = 0;
    const done = await signInWithProvider("registration", account(uniqueEmail("post")), "post");
    expect(done.status).toBe(303);
    expect((await whoami()).status).toBe(200);
    expect(provider.tokenRequests.map((r) => r.authorization)).toEqual([
      `Basic ${Buffer.from(`${provider.postClientId}:${provider.clientSecret}`).toString("base64")}`,
      undefined,
    ]);
  });

  // form-post.test.ts has the corners of r.ParseForm; here the route itself.
  it("sends a form_post answer to the GET callback, a query value winning over the body's (redirectToGET, r.ParseForm)", async () => {
    const res = await browser.request(`${pub()}self-service/methods/oidc/callback/test?state=q`, { form: { code: "c", state: "s" } });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${pub()}self-service/methods/oidc/callback/test?code=c&state=q`);
  });

  // strategy.go ValidateCallback/HandleCallback read r.URL.Query() (url.ParseQuery) and hand x/oauth2 only cmp.Or(code, authCode).
  it("reads the GET callback's query as Go does: a pair with `;` is dropped, `authCode` stands in for `code`, an `iss` is not looked at", async () => {
    provider.account = account(uniqueEmail("query"));
    const flow = await browserFlow("registration");
    const submit = await browser.request(flow.ui.action, { form: { csrf_token: csrf(flow), provider: "test" } });
    const callback = new URL(await callbackFrom(submit));
    const code = encodeURIComponent(callback.searchParams.get("code") ?? "");
    const state = encodeURIComponent(callback.searchParams.get("state") ?? "");
    const base = `${pub()}self-service/methods/oidc/callback/test`;
    const semicolon = await browser.request(`${base}?code=${code}&state=${state};x=1`, { headers: { Accept: "application/json" } });
    expect(semicolon.status).toBe(400);
    expect(semicolon.body).toMatchObject({
      error: { reason: "Unable to complete OpenID Connect flow because the OpenID Provider did not return the state query parameter." },
    });
    const done = await browser.request(`${base}?authCode=${code}&state=${state}&iss=https%3A%2F%2Fother.example`);
    expect(done.status).toBe(303);
    expect((await whoami()).status).toBe(200);
  });

  it("shows the registration form with the mapped values and the errors when the traits are invalid (HandleError with traits)", async () => {
    const done = await signInWithProvider("registration", account(undefined));
    expect(done.status).toBe(302);
    const id = new URL(String(done.location)).searchParams.get("flow");
    expect(String(done.location)).toMatch(/^http:\/\/ciam\.localhost:3000\/registration\?flow=/);
    const flow = await fetchFlow("registration", String(id));
    const names = flow.ui.nodes.map((n) => `${n.group}:${String(n.attributes.name)}`);
    expect(names).toEqual([
      "default:csrf_token",
      "oidc:provider",
      "default:traits.email",
      "default:traits.name.first",
      "default:traits.name.last",
    ]);
    expect(flow.ui.nodes[1]?.meta.label).toEqual({ id: 1040003, text: "Continue", type: "info" });
    expect(flow.ui.nodes[2]?.messages.map((m) => m.id)).toEqual([4000002]);
    expect(flow.ui.nodes[3]?.attributes.value).toBe("Ada");
    expect((await whoami()).status).toBe(401);
  });

  // session/handler.go exchangeCode, session/manager_http.go MaybeRedirectAPICodeFlow, oidc/strategy.go ValidateCallback (codeMatches),
  // login/handler.go CreateSessionTokenExchanger, oidc/strategy_login.go MoveToNewFlow.
  describe("session token exchange for native apps signing in through a browser", () => {
    /** A native app's api flow with an exchange code, its provider button submitted; the system browser then runs the sign-in. */
    async function nativeSignIn(who: TestAccount): Promise<{ initCode: string; callback: BrowserResponse }> {
      provider.account = who;
      const app = new TestBrowser();
      const init = await app.request(
        `${pub()}self-service/login/api?return_session_token_exchange_code=true&return_to=${encodeURIComponent("http://ciam.localhost:3000/app")}`,
      );
      expect(init.status).toBe(200);
      const flow = init.body as FlowJson & { session_token_exchange_code: string };
      expect(flow.session_token_exchange_code).toMatch(/^[A-Za-z0-9]{64}$/);
      const submit = await app.request(flow.ui.action, { json: { method: "oidc", provider: "test" } });
      expect(submit.status).toBe(422);
      // The system browser never saw the app's continuity cookie: the state's code hash stands in for it.
      let location = String((submit.body as { redirect_browser_to: string }).redirect_browser_to);
      for (let hops = 0; hops < 10 && !location.startsWith(pub()); hops++) {
        const res = await browser.request(location);
        location = new URL(String(res.location), location).toString();
      }
      return { initCode: flow.session_token_exchange_code, callback: await browser.request(location) };
    }

    const exchange = (initCode: string, returnToCode: string) =>
      browser.request(`${pub()}sessions/token-exchange?init_code=${initCode}&return_to_code=${returnToCode}`);

    it("sends the browser to return_to with the code, then trades both codes for the session token", async () => {
      const who = account(uniqueEmail("native"));
      // An unknown subject: the login becomes a sign-up, and the exchanger moves with it.
      for (const round of ["sign-up", "sign-in"]) {
        const { initCode, callback } = await nativeSignIn(who);
        expect(callback.status, round).toBe(303);
        const target = new URL(String(callback.location));
        expect(`${target.origin}${target.pathname}`).toBe("http://ciam.localhost:3000/app");
        const code = String(target.searchParams.get("code"));
        expect(code).toMatch(/^[A-Za-z0-9]{64}$/);

        const res = await exchange(initCode, code);
        expect(res.status).toBe(200);
        const body = res.body as { session_token: string; session: { id: string; identity: Identity } };
        expect(body.session_token).toMatch(/^ory_st_/);
        expect(body.session.identity.traits).toMatchObject({ email: who.claims.email });
        const me = await new TestBrowser().request(`${pub()}sessions/whoami`, { headers: { "X-Session-Token": body.session_token } });
        expect(me.status).toBe(200);
        expect((me.body as { id: string }).id).toBe(body.session.id);

        expect((await exchange(initCode, "x".repeat(64))).body).toMatchObject({
          error: { code: 404, reason: 'no session yet for this "code"' },
        });
        browser = new TestBrowser();
      }
    });

    it("refuses a state that was not made for the flow's init code", async () => {
      provider.account = account(uniqueEmail("native-state"));
      const app = new TestBrowser();
      const init = await app.request(`${pub()}self-service/login/api?return_session_token_exchange_code=true`);
      const flow = init.body as FlowJson;
      // A state for the api flow, encrypted with the right cipher, but bound to another init code.
      const ciam = { ciphers: { algorithm: "xchacha20-poly1305" }, secrets: { cipher: [CIAM_CIPHER_SECRET] } } as unknown as KratosConfig;
      const forged = sealState(ciam, { flowId: flow.id, kind: "login", provider: "test", pkce: "", initCode: "not-the-init-code" });
      const res = await browser.request(`${pub()}self-service/methods/oidc/callback/test?code=x&state=${forged}`, {
        headers: { Accept: "application/json" },
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(
        "Unable to complete OpenID Connect flow because the query state parameter does not match the state parameter from the code.",
      );
    });
  });

  describe("account linking when the address belongs to a password account", () => {
    async function passwordAccount(email: string): Promise<string> {
      const { data } = await kratos.identity.createIdentity({
        createIdentityBody: {
          schema_id: "default",
          traits: { email },
          credentials: { password: { config: { password: STRONG_PASSWORD } } },
        },
      });
      return data.id;
    }

    async function linkingLoginFlow(email: string, who: TestAccount): Promise<FlowJson> {
      const done = await signInWithProvider("registration", who);
      expect(done.status).toBe(303);
      const target = new URL(String(done.location));
      expect(`${target.origin}${target.pathname}`).toBe("http://ciam.localhost:3000/login");
      expect(target.searchParams.get("no_org_ui")).toBe("true");
      const flow = await fetchFlow("login", String(target.searchParams.get("flow")));
      expect(flow.ui.messages?.map((m) => m.id)).toEqual([1010016]);
      expect(flow.ui.messages?.[0]?.context).toMatchObject({ duplicate_identifier: email, provider: "Test IdP" });
      expect(flow.ui.messages?.[0]?.context?.available_credential_types).toContain("password");
      return flow;
    }

    it("asks for the existing password (1010016), links only after it is proven, then the provider signs in directly", async () => {
      const email = uniqueEmail("link");
      const id = await passwordAccount(email);
      const who = account(email);
      const flow = await linkingLoginFlow(email, who);
      expect(flow.ui.nodes.find((n) => n.attributes.name === "identifier")?.attributes).toMatchObject({ type: "hidden", value: email });
      expect(flow.ui.nodes.some((n) => n.group === "oidc" && n.attributes.value === "test")).toBe(false);
      expect((await oidcCredential(id)).credentials?.oidc).toBeUndefined();

      const wrong = await browser.request(flow.ui.action, {
        form: { csrf_token: csrf(flow), method: "password", identifier: email, password: "not-the-password-123" },
      });
      expect(wrong.status).toBe(303);
      expect((await oidcCredential(id)).credentials?.oidc).toBeUndefined();

      const right = await browser.request(flow.ui.action, {
        form: { csrf_token: csrf(flow), method: "password", identifier: email, password: STRONG_PASSWORD },
      });
      expect(right.status).toBe(303);
      const session = await whoami();
      expect(session.body.identity?.id).toBe(id);
      expect(session.body.authentication_methods?.map((m) => m.method)).toEqual(["password", "oidc"]);
      expect((await oidcCredential(id)).credentials?.oidc?.identifiers).toEqual([`test:${who.sub}`]);

      browser = new TestBrowser();
      await signInWithProvider("login", who);
      expect((await whoami()).body.identity?.id).toBe(id);
    });

    // strategy.go populateAccountLinkingUI with login_hints (identity/manager.go findExistingAuthMethod gives the hints).
    it("offers only the existing account's methods on the linking form (populateAccountLinkingUI)", async () => {
      const email = uniqueEmail("hints");
      await passwordAccount(email);
      const flow = await linkingLoginFlow(email, account(email));
      // The schema's code identifier gives the account a code credential (extension_credentials.go), which the hints name.
      expect(flow.ui.messages?.[0]?.context).toMatchObject({ available_credential_types: ["code", "password"], available_providers: [] });
      // The account has no provider linked: no provider button at all; no method group but the password's (passwordless
      // code login is off here, so the form has no code button to keep).
      expect(flow.ui.nodes.filter((n) => n.group === "oidc")).toEqual([]);
      expect([...new Set(flow.ui.nodes.map((n) => n.group))].sort()).toEqual(["default", "password"]);
      const submit = flow.ui.nodes.find((n) => n.group === "password" && n.attributes.type === "submit");
      // Only "Sign in" (1010001) becomes "Sign in and link"; the password button's own text (1010022) stays, as in Kratos.
      expect(submit?.meta.label).toMatchObject({ id: 1010022 });

      // A failed attempt renders the form again, filtered the same way.
      const wrong = await browser.request(flow.ui.action, {
        json: { csrf_token: csrf(flow), method: "password", identifier: email, password: "not-the-password-123" },
      });
      expect(wrong.status).toBe(400);
      expect([...new Set((wrong.body as FlowJson).ui.nodes.map((n) => n.group))].sort()).toEqual(["default", "password"]);
    });

    // strategy.go populateAccountLinkingUI: usedProviderLabel is the provider's label, else its `provider` type (not its id).
    it("names a provider without label by its provider type in the linking message (populateAccountLinkingUI)", async () => {
      const email = uniqueEmail("typelabel");
      await passwordAccount(email);
      const done = await signInWithProvider("registration", account(email), "nolabel");
      const flow = await fetchFlow("login", String(new URL(String(done.location)).searchParams.get("flow")));
      expect(flow.ui.messages?.[0]).toMatchObject({ id: 1010016, context: { provider: "generic", duplicate_identifier: email } });
    });

    it("refuses to link when another account's password is used on the linking flow (4010009)", async () => {
      const email = uniqueEmail("victim");
      const victim = await passwordAccount(email);
      const otherEmail = uniqueEmail("other");
      await passwordAccount(otherEmail);
      const flow = await linkingLoginFlow(email, account(email));
      const res = await browser.request(flow.ui.action, {
        json: { csrf_token: csrf(flow), method: "password", identifier: otherEmail, password: STRONG_PASSWORD },
      });
      expect(res.status).toBe(400);
      expect((res.body as FlowJson).ui.messages?.map((m) => m.id)).toEqual([4010009]);
      expect((await oidcCredential(victim)).credentials?.oidc).toBeUndefined();
      expect((await whoami()).status).toBe(401);
    });
    /** Enrols TOTP for a password account through a native login and settings; returns the TOTP secret. */

    // login/hook.go PostLoginHook + maybeLinkCredentials (checkAAL first): with `session.whoami.required_aal:
    // highest_available` (the CIAM config) the password alone links nothing; NewLoginFlow(WithInternalContext) opens
    // an aal2 login carrying the waiting credential, and the second factor links it.
    it("links to an account with TOTP only after the second factor, through a new aal2 login flow (PostLoginHook)", async () => {
      const email = uniqueEmail("link2fa");
      const id = await passwordAccount(email);
      const secret = await enrolTotp(kratos, await apiPasswordLogin(kratos, email));
      const who = account(email);
      const flow = await linkingLoginFlow(email, who);

      const first = await browser.request(flow.ui.action, {
        form: { csrf_token: csrf(flow), method: "password", identifier: email, password: STRONG_PASSWORD },
      });
      expect(first.status).toBe(303);
      const target = new URL(String(first.location));
      expect(`${target.origin}${target.pathname}`).toBe("http://ciam.localhost:3000/login");
      const secondId = String(target.searchParams.get("flow"));
      expect(secondId).not.toBe(flow.id);
      const second = (await fetchFlow("login", secondId)) as FlowJson & { requested_aal?: string; request_url?: string };
      expect(second.requested_aal).toBe("aal2");
      expect(second.request_url).toBe(`${pub()}self-service/login/browser?aal=aal2`);
      expect(second.ui.nodes.some((n) => n.group === "totp")).toBe(true);
      expect(second.ui.messages?.map((m) => m.id)).toEqual([1010004]);
      expect((await oidcCredential(id)).credentials?.oidc).toBeUndefined();
      const aal1 = await whoami();
      expect(aal1.status).toBe(403);

      const done = await browser.request(second.ui.action, {
        form: { csrf_token: csrf(second), method: "totp", totp_code: generateSync({ secret }) },
      });
      expect(done.status).toBe(303);
      const session = await whoami();
      expect(session.status).toBe(200);
      expect(session.body.identity?.id).toBe(id);
      expect(session.body.authenticator_assurance_level).toBe("aal2");
      expect(session.body.authentication_methods?.map((m) => m.method)).toEqual(["password", "totp", "oidc"]);
      expect((await oidcCredential(id)).credentials?.oidc?.identifiers).toEqual([`test:${who.sub}`]);
    });

    // The same special case for an SPA (x.SendFlowCompletedAsRedirectOrJSON): the new flow itself, 200.
    it("answers an SPA's linking password with the new aal2 login flow (PostLoginHook, SendFlowCompletedAsRedirectOrJSON)", async () => {
      const email = uniqueEmail("link2fa-spa");
      const id = await passwordAccount(email);
      await enrolTotp(kratos, await apiPasswordLogin(kratos, email));
      const flow = await linkingLoginFlow(email, account(email));
      const res = await browser.request(flow.ui.action, {
        json: { csrf_token: csrf(flow), method: "password", identifier: email, password: STRONG_PASSWORD },
      });
      expect(res.status).toBe(200);
      const second = res.body as FlowJson & { requested_aal?: string; type?: string };
      expect(second.id).not.toBe(flow.id);
      expect(second).toMatchObject({ requested_aal: "aal2", type: "browser", state: "choose_method" });
      expect(second.ui.nodes.some((n) => n.group === "totp")).toBe(true);
      expect((await oidcCredential(id)).credentials?.oidc).toBeUndefined();
    });
  });

  describe("settings (strategy_settings.go)", () => {
    it("links a provider to a password account (1050002), then unlinks it (1050003)", async () => {
      const email = uniqueEmail("settings");
      const { data } = await kratos.identity.createIdentity({
        createIdentityBody: {
          schema_id: "default",
          traits: { email },
          credentials: { password: { config: { password: STRONG_PASSWORD } } },
        },
      });
      const login = await browserFlow("login");
      await browser.request(login.ui.action, {
        form: { csrf_token: csrf(login), method: "password", identifier: email, password: STRONG_PASSWORD },
      });

      const settings = await browserFlow("settings");
      const link = settings.ui.nodes.find((n) => n.attributes.name === "link" && n.attributes.value === "test");
      expect(link).toMatchObject({
        group: "oidc",
        attributes: { type: "submit", value: "test" },
        meta: { label: { id: 1050002, text: "Link Test IdP", type: "info", context: { provider: "Test IdP" } } },
      });
      const who = account(uniqueEmail("linked"));
      provider.account = who;
      const done = await throughProvider(await browser.request(settings.ui.action, { form: { csrf_token: csrf(settings), link: "test" } }));
      expect(done.status).toBe(303);
      expect(done.location).toBe(`http://ciam.localhost:3000/settings?flow=${settings.id}`);
      const saved = await fetchFlow("settings", settings.id);
      expect(saved.state).toBe("success");
      expect(saved.ui.messages?.map((m) => m.id)).toEqual([1050001]);
      expect(saved.ui.nodes.find((n) => n.attributes.name === "unlink")?.meta.label?.id).toBe(1050003);
      expect((await oidcCredential(data.id)).credentials?.oidc?.identifiers).toEqual([`test:${who.sub}`]);

      const unlinked = await browser.request(saved.ui.action, { json: { csrf_token: csrf(saved), unlink: "test" } });
      expect(unlinked.status).toBe(200);
      expect((await oidcCredential(data.id)).credentials?.oidc?.identifiers ?? []).toEqual([]);
    });

    it("refuses to unlink the last first factor", async () => {
      await signInWithProvider("registration", account(uniqueEmail("only")));
      const settings = await browserFlow("settings");
      expect(settings.ui.nodes.some((n) => n.attributes.name === "unlink")).toBe(false);
      const res = await browser.request(settings.ui.action, { json: { csrf_token: csrf(settings), unlink: "test" } });
      expect(res.status).toBe(400);
      expect((res.body as FlowJson).ui.messages).toEqual([
        expect.objectContaining({
          id: 4000001,
          text: "can not unlink OpenID Connect connection because it is the last remaining first factor credential",
        }),
      ]);
    });
  });

  describe("errors as Kratos words them", () => {
    it("reports the provider's error on the flow (ValidateCallback)", async () => {
      provider.account = account(uniqueEmail("denied"));
      provider.denyWith = { error: "access_denied", error_description: "The person said no" };
      const flow = await browserFlow("login");
      const done = await throughProvider(
        await browser.request(flow.ui.action, { form: { csrf_token: csrf(flow), method: "oidc", provider: "test" } }),
      );
      expect(done.status).toBe(303);
      expect(done.location).toBe(`http://ciam.localhost:3000/login?flow=${flow.id}`);
      const shown = await fetchFlow("login", flow.id);
      expect(shown.ui.messages?.[0]).toMatchObject({
        id: 4000001,
        text: 'Unable to complete OpenID Connect flow because the OpenID Provider returned error "access_denied": The person said no',
      });
    });

    it("refuses a callback whose state was altered, or opened in another browser", async () => {
      provider.account = account(uniqueEmail("state"));
      const flow = await browserFlow("login");
      const submit = await browser.request(flow.ui.action, { form: { csrf_token: csrf(flow), method: "oidc", provider: "test" } });
      const state = new URL(String(submit.location)).searchParams.get("state") ?? "";
      const tampered = await browser.request(`${pub()}self-service/methods/oidc/callback/test?code=x&state=${state.slice(0, -4)}AAAA`, {
        headers: { Accept: "application/json" },
      });
      expect(tampered.status).toBe(400);
      expect(tampered.body).toMatchObject({
        error: { reason: "Unable to complete OpenID Connect flow because the state parameter is invalid." },
      });

      const stranger = new TestBrowser();
      const other = await stranger.request(`${pub()}self-service/methods/oidc/callback/test?code=x&state=${state}`, {
        headers: { Accept: "application/json" },
      });
      expect(other.status).toBe(400);
      expect(JSON.stringify(other.body)).toContain("The browser does not contain the necessary cookie to resume the session.");
    });

    // continuity/manager_cookie.go Pause/Continue with oidc's AuthCodeContainer (strategy_login.go Login, strategy.go ValidateCallback).
    it("keeps the auth code container in continuity_containers behind a signed cookie, and keeps it one more minute after the callback", async () => {
      provider.account = account(uniqueEmail("continuity"));
      const flow = await browserFlow("login");
      const submit = await browser.request(flow.ui.action, { form: { csrf_token: csrf(flow), method: "oidc", provider: "test" } });
      const state = new URL(String(submit.location)).searchParams.get("state") ?? "";
      const cookie = browser.cookies.get("ory_kratos_continuity");
      expect(cookie?.attributes).toMatchObject({ path: "/", "max-age": "2592000", httponly: true, samesite: "Lax" });
      const values = decodeSecureCookie("ory_kratos_continuity", decodeURIComponent(String(cookie?.value)), [CIAM_COOKIE_SECRET]);
      const containerId = values.get("ory_kratos_oidc_auth_code_session");
      const row = async () => {
        const client = new pgClient({ connectionString: pg.url("ciam_oidc") });
        await client.connect();
        try {
          const { rows } = await client.query<{ name: string; payload: unknown; expires_at: Date; identity_id: string | null }>(
            "SELECT name, payload, expires_at, identity_id FROM continuity_containers WHERE id = $1",
            [containerId],
          );
          return rows[0];
        } finally {
          await client.end();
        }
      };
      const paused = await row();
      expect(paused).toMatchObject({
        name: "ory_kratos_oidc_auth_code_session",
        identity_id: null,
        payload: { flow_id: flow.id, state, traits: null, transient_payload: null },
      });
      expect((paused?.expires_at.getTime() ?? 0) - Date.now()).toBeGreaterThan(29 * 60_000);

      const callback = await callbackFrom(submit);
      const done = await browser.request(callback);
      expect(done.status).toBe(303);
      // WithExpireInsteadOfDelete(time.Minute): the container outlives the callback by a minute.
      const resumed = await row();
      expect((resumed?.expires_at.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(60_000);
      expect((resumed?.expires_at.getTime() ?? 0) - Date.now()).toBeGreaterThan(50_000);
    });

    it("answers no resumable session for a cookie naming no container or signed with another secret (ManagerCookie.container)", async () => {
      const flow = await browserFlow("login");
      const submit = await browser.request(flow.ui.action, { form: { csrf_token: csrf(flow), method: "oidc", provider: "test" } });
      const state = new URL(String(submit.location)).searchParams.get("state") ?? "";
      const forged = [
        encodeSecureCookie("ory_kratos_continuity", new Map([["ory_kratos_oidc_auth_code_session", randomUUID()]]), [CIAM_COOKIE_SECRET]),
        encodeSecureCookie(
          "ory_kratos_continuity",
          new Map([
            [
              "ory_kratos_oidc_auth_code_session",
              String(
                decodeSecureCookie(
                  "ory_kratos_continuity",
                  decodeURIComponent(String(browser.cookies.get("ory_kratos_continuity")?.value)),
                  [CIAM_COOKIE_SECRET],
                ).get("ory_kratos_oidc_auth_code_session"),
              ),
            ],
          ]),
          ["some-other-cookie-secret-of-length"],
        ),
      ];
      for (const value of forged) {
        browser.cookies.set("ory_kratos_continuity", { name: "ory_kratos_continuity", value, attributes: {} });
        const res = await browser.request(`${pub()}self-service/methods/oidc/callback/test?code=x&state=${state}`, {
          headers: { Accept: "application/json" },
        });
        // The login flow's error handler shows ErrNotResumable's reason on the flow.
        expect(res.status).toBe(400);
        expect((res.body as FlowJson).ui.messages?.[0]?.text).toBe(
          "The browser does not contain the necessary cookie to resume the session. This is a security violation and was blocked. Please clear your browser's cookies and cache and try again!",
        );
      }
    });

    /** A login through the test provider, stopped at the callback; `code` replaces the provider's code when given. */
    async function callbackAnswer(code?: string): Promise<BrowserResponse> {
      provider.account = account(uniqueEmail("exchange"));
      const flow = await browserFlow("login");
      const callback = new URL(
        await callbackFrom(await browser.request(flow.ui.action, { form: { csrf_token: csrf(flow), method: "oidc", provider: "test" } })),
      );
      if (code !== undefined) callback.searchParams.set("code", code);
      return browser.request(callback.toString(), { headers: { Accept: "application/json" } });
    }

    // strategy.go HandleCallback → exchangeCode: x/oauth2's RetrieveError unwrapped, so herodot makes it a 500 whose message is its text.
    it("answers a refused code exchange with x/oauth2's text as a 500 (exchangeCode, RetrieveError)", async () => {
      provider.tokenRequests.length = 0;
      const res = await callbackAnswer("not-the-code");
      expect(res.status).toBe(500);
      const error = (res.body as { error: Record<string, unknown> }).error;
      expect(error).toMatchObject({ code: 500, status: "Internal Server Error" });
      expect(error.message).toMatch(/^oauth2: "invalid_grant" "grant request is invalid"$/);
      expect(error.reason).toBeUndefined();
      // AuthStyleAutoDetect (x/oauth2 RetrieveToken): refused with a Basic header, asked again with the credentials in the form.
      expect(provider.tokenRequests.map((r) => r.authorization)).toEqual([
        `Basic ${Buffer.from(`${provider.clientId}:${provider.clientSecret}`).toString("base64")}`,
        undefined,
      ]);
    });

    it("shows a token endpoint's non-OAuth failure as x/oauth2 does: status line and body (exchangeCode)", async () => {
      // x/oauth2 asks twice (AuthStyleAutoDetect): a provider down for both.
      provider.failTokenWith = [1, 2].map(() => ({ status: 503, contentType: "text/html", body: "<html>maintenance</html>" }));
      const res = await callbackAnswer();
      expect(res.status).toBe(500);
      expect((res.body as { error: Record<string, unknown> }).error).toMatchObject({
        code: 500,
        message: "oauth2: cannot fetch token: 503 Service Unavailable\nResponse: <html>maintenance</html>",
      });
    });

    it("answers a 200 without access_token as x/oauth2 does (exchangeCode)", async () => {
      provider.failTokenWith = [1, 2].map(() => ({
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({ token_type: "Bearer" }),
      }));
      const res = await callbackAnswer();
      expect(res.status).toBe(500);
      expect((res.body as { error: Record<string, unknown> }).error.message).toBe("oauth2: server response missing access_token");
    });

    // provider_generic_oidc.go provider: herodot ErrMisconfiguration around go-oidc NewProvider's "<status>: <body>".
    it("answers a failing discovery with Kratos' invalid_configuration error (ProviderGenericOIDC.provider)", async () => {
      const flow = await browserFlow("login");
      const res = await browser.request(flow.ui.action, { json: { csrf_token: csrf(flow), method: "oidc", provider: "broken" } });
      expect(res.status).toBe(500);
      const error = (res.body as { error: Record<string, unknown> }).error;
      expect(error).toMatchObject({ id: "invalid_configuration", code: 500, message: "Invalid configuration" });
      expect(String(error.reason)).toMatch(/^Unable to initialize OpenID Connect Provider: 404 Not Found: /);
    });

    // strategy.go ProcessIDToken: the generic provider is no IDTokenVerifier, so a native app's id_token gets herodot's ErrUpstreamError.
    it("answers an id_token posted for the generic provider with Kratos' 502 (ProcessIDToken)", async () => {
      const app = new TestBrowser();
      for (const kind of ["login", "registration"]) {
        const flow = (await app.request(`${pub()}self-service/${kind}/api`)).body as FlowJson;
        const res = await app.request(flow.ui.action, {
          json: { method: "oidc", provider: "test", id_token: "a.b.c", id_token_nonce: "n" },
        });
        expect(res.status, kind).toBe(502);
        expect(res.body).toMatchObject({
          error: {
            id: "upstream_error",
            code: 502,
            message: "Upstream error",
            reason: "The provider generic does not support id_token verification",
          },
        });
      }
    });

    it("answers an unknown provider with Kratos' 404", async () => {
      const flow = await browserFlow("login");
      const res = await browser.request(flow.ui.action, { json: { csrf_token: csrf(flow), method: "oidc", provider: "nope" } });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: { reason: 'OpenID Connect Provider "nope" is unknown or has not been configured' } });
    });
  });
});
