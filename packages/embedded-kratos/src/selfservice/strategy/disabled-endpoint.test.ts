import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser, type BrowserResponse } from "../../testing/browser";
import { csrfOf } from "../../testing/flow-json";
import {
  startKratos,
  startKratosWithPostgres,
  startTestPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";
import { ENDPOINT_DISABLED_MESSAGE } from "./disabled-endpoint";

interface FlowJson {
  ui: {
    action: string;
    nodes: { attributes: { name?: string }; messages: { id: number }[] }[];
    messages?: { id: number }[];
  };
}
const BAD_CSRF = "bm90LXRoZS10b2tlbg==";

// selfservice/strategy/handler.go IsDisabled, as code.Strategy.RegisterAdminRoutes
// (strategy_recovery_admin.go) and link.Strategy.RegisterAdminRoutes (strategy_recovery.go) wrap their admin routes.
describe("admin recovery endpoints of disabled methods (strategy.IsDisabled)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_disabled_endpoints", {
      configOverrides: {
        selfservice: {
          methods: { code: { enabled: false }, link: { enabled: false } },
          flows: { recovery: { use: "code" }, verification: { use: "code" } },
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
  });

  for (const method of ["code", "link"]) {
    it(`POST /admin/recovery/${method} answers herodot's 404 with EndpointDisabledMessage`, async () => {
      const res = await fetch(`${kratos.adminUrl}/admin/recovery/${method}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ identity_id: "6f2b9a4e-7c1d-4e3a-9b8f-0a1b2c3d4e5f" }),
      });
      expect(res.status).toBe(404);
      const body = (await res.json()) as { error: Record<string, unknown> };
      expect(body.error).toMatchObject({ code: 404, status: "Not Found", reason: ENDPOINT_DISABLED_MESSAGE });
      expect(body.error.message).toBe("The requested resource could not be found");
      expect(body.error.id).toBeUndefined();
    });
  }

  it("the message is Kratos' EndpointDisabledMessage word for word", () => {
    expect(ENDPOINT_DISABLED_MESSAGE).toBe(
      "This endpoint was disabled by system administrator. Please check your url or contact the system administrator to enable it.",
    );
  });
});

/**
 * flow.MethodEnabledAndAllowed sits where each strategy's own handler puts it,
 * not before everything the strategy checks: a disabled strategy's 404 comes
 * after its decode (webauthn/login.go Strategy.Login) or after its decode and
 * EnsureCSRF (webauthn/registration.go and passkey/passkey_registration.go
 * Strategy.Register).
 */
describe("a disabled strategy answers its own checks first (flow.MethodEnabledAndAllowed where its handler calls it)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    // The CIAM config keeps webauthn's `passwordless: true` (config.WebAuthnForPasswordless is read whether it is on or not).
    ({ pg, kratos } = await startKratosWithPostgres("ciam_disabled_own_checks", {
      configOverrides: { selfservice: { methods: { webauthn: { enabled: false }, passkey: { enabled: false } } } },
    }));
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function browserFlow(browser: TestBrowser, kind: string): Promise<FlowJson> {
    const res = await browser.request(`${kratos.publicUrl}/self-service/${kind}/browser`, { headers: { Accept: "application/json" } });
    return res.body as FlowJson;
  }
  const errorOf = (res: BrowserResponse) => (res.body as { error?: { code?: number; id?: string; reason?: string } }).error;

  it("webauthn/login.go Strategy.Login: its decoderx.Decode refuses the body before the 404, which comes before EnsureCSRF", async () => {
    const browser = new TestBrowser();
    const flow = await browserFlow(browser, "login");
    const identifier = uniqueEmail("webauthn-off");
    const refused = await browser.request(flow.ui.action, {
      json: { method: "webauthn", identifier, csrf_token: csrfOf(flow), transient_payload: 5 },
    });
    expect(refused.status).toBe(400);
    const node = (refused.body as FlowJson).ui.nodes.find((n) => n.attributes.name === "transient_payload");
    expect(node?.messages.map((m) => m.id)).toEqual([4000026]);

    const withoutCsrf = await browser.request(flow.ui.action, { json: { method: "webauthn", identifier } });
    expect(withoutCsrf.status).toBe(404);
    expect(errorOf(withoutCsrf)).toMatchObject({ code: 404, reason: ENDPOINT_DISABLED_MESSAGE });
  });

  it("webauthn/registration.go Strategy.Register: EnsureCSRF refuses before the 404; an API flow is not its own ('no strategy')", async () => {
    const browser = new TestBrowser();
    const flow = await browserFlow(browser, "registration");
    const submission = { webauthn_register: "{}", webauthn_register_displayname: "Key", traits: { email: uniqueEmail("webauthn-off") } };
    const forged = await browser.request(flow.ui.action, { json: { ...submission, csrf_token: BAD_CSRF } });
    expect(forged.status).toBe(403);
    expect(errorOf(forged)?.id).toBe("security_csrf_violation");

    const genuine = await browser.request(flow.ui.action, { json: { ...submission, csrf_token: csrfOf(flow) } });
    expect(genuine.status).toBe(404);
    expect(errorOf(genuine)).toMatchObject({ code: 404, reason: ENDPOINT_DISABLED_MESSAGE });

    // Register passes non-browser flows on (ErrStrategyNotResponsible) whatever `method` names.
    const api = (await (await fetch(`${kratos.publicUrl}/self-service/registration/api`)).json()) as FlowJson;
    const res = await fetch(api.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "webauthn", ...submission }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as FlowJson).ui.messages?.map((m) => m.id)).toEqual([4010003]);
  });

  it("webauthn/settings.go Strategy.Settings: decodeSettingsFlow's schema refuses before the 404, which comes before EnsureCSRF", async () => {
    const email = uniqueEmail("webauthn-off-settings");
    await kratos.identity.createIdentity({
      createIdentityBody: { schema_id: "default", traits: { email }, credentials: { password: { config: { password: STRONG_PASSWORD } } } },
    });
    const browser = new TestBrowser();
    const login = await browserFlow(browser, "login");
    const signedIn = await browser.request(login.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(login) },
    });
    expect(signedIn.status).toBe(200);
    const flow = await browserFlow(browser, "settings");

    // settings.schema.json: a filled `webauthn_register` requires `webauthn_register_displayname` (4000002).
    const refused = await browser.request(flow.ui.action, { json: { webauthn_register: "{}", csrf_token: BAD_CSRF } });
    expect(refused.status).toBe(400);
    const node = (refused.body as FlowJson).ui.nodes.find((n) => n.attributes.name === "webauthn_register_displayname");
    expect(node?.messages.map((m) => m.id)).toEqual([4000002]);

    const named = await browser.request(flow.ui.action, {
      json: { webauthn_register: "{}", webauthn_register_displayname: "Key", csrf_token: BAD_CSRF },
    });
    expect(named.status).toBe(404);
    expect(errorOf(named)).toMatchObject({ code: 404, reason: ENDPOINT_DISABLED_MESSAGE });
  });

  it("passkey/passkey_registration.go Strategy.Register: MethodEnabledAndAllowed(p.Method, p.Method) never reads the method sent", async () => {
    // Register overwrites `method` with "passkey" right before the check: a `passkey_register` value makes the
    // submission passkey's whatever `method` names, and config can refuse it only after the decode and EnsureCSRF.
    const browser = new TestBrowser();
    const flow = await browserFlow(browser, "registration");
    const submission = { method: "anything", passkey_register: "{}", traits: { email: uniqueEmail("passkey-off") } };
    const forged = await browser.request(flow.ui.action, { json: { ...submission, csrf_token: BAD_CSRF } });
    expect(forged.status).toBe(403);
    expect(errorOf(forged)?.id).toBe("security_csrf_violation");

    const badTraits = await browser.request(flow.ui.action, {
      json: { ...submission, traits: { email: "not an address" }, csrf_token: BAD_CSRF },
    });
    expect(badTraits.status).toBe(400);
    expect((badTraits.body as FlowJson).ui.nodes.find((n) => n.attributes.name === "traits.email")?.messages.length).toBeGreaterThan(0);

    const genuine = await browser.request(flow.ui.action, { json: { ...submission, csrf_token: csrfOf(flow) } });
    expect(genuine.status).toBe(404);
    expect(errorOf(genuine)).toMatchObject({ code: 404, reason: ENDPOINT_DISABLED_MESSAGE });
  });
});
