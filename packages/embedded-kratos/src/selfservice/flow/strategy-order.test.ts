import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser, type BrowserResponse } from "../../testing/browser";
import { csrfOf } from "../../testing/flow-json";
import { startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../../testing/harness";

/**
 * Which answer a submission gets when it carries a bad `transient_payload` or
 * a method no strategy takes depends on the order Kratos v26.2.0 asks its
 * strategies: the handlers (login/handler.go updateLoginFlow,
 * registration/handler.go updateRegistrationFlow, settings/handler.go
 * updateSettingsFlow, recovery/handler.go updateRecoveryFlow,
 * verification/handler.go updateVerificationFlow) loop over
 * All<Kind>Strategies — every strategy, enabled or not, in
 * driver/registry_default.go's order — and some strategies decode (and
 * validate) the body before they tell whether it is theirs:
 * webauthn/login.go Login (browser flows), passkey/passkey_registration.go
 * Register, webauthn/registration.go Register (browser flows with
 * passwordless keys, EnsureCSRF too), totp/settings.go Settings,
 * code/strategy_verification.go Verify and link/strategy_recovery.go Recover.
 * The oidc strategy decodes without validating (newLinkDecoder,
 * decoderSettings: HTTPDecoderSetValidatePayloads(false)).
 */

interface Node {
  group: string;
  attributes: { name?: string; type?: string; value?: unknown };
  messages: { id: number; text: string; type: string; context?: unknown }[];
}
interface FlowJson {
  id: string;
  ui: { action: string; nodes: Node[]; messages?: { id: number; text: string }[] };
  error?: { id?: string; reason?: string };
}

const BAD_CSRF = "bm90LXRoZS10b2tlbg==";
const asFlow = (r: BrowserResponse) => r.body as FlowJson;
const wrongType = (actual: string) => ({
  id: 4000026,
  text: `expected object, but got ${actual}`,
  type: "error",
  context: { allowed_types: ["object"], actual_type: actual },
});
const transientNode = (flow: FlowJson) => flow.ui?.nodes.find((n) => n.attributes.name === "transient_payload");
const flowMessageIds = (flow: FlowJson) => (flow.ui?.messages ?? []).map((m) => m.id);

describe("strategy order: which strategy's refusal answers first", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_strategy_order", {
      configOverrides: {
        selfservice: {
          methods: {
            oidc: {
              enabled: true,
              config: {
                providers: [
                  {
                    id: "nowhere",
                    provider: "generic",
                    client_id: "client",
                    client_secret: "secret",
                    issuer_url: "http://127.0.0.1:4444/",
                    scope: ["email"],
                    mapper_url: `base64://${Buffer.from("local claims = std.extVar('claims'); { identity: { traits: { email: claims.email } } }").toString("base64")}`,
                  },
                ],
              },
            },
          },
          flows: { recovery: { use: "link" } },
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
  });

  async function browserFlow(browser: TestBrowser, kind: string): Promise<FlowJson> {
    return asFlow(await browser.request(`${kratos.publicUrl}/self-service/${kind}/browser`, { headers: { Accept: "application/json" } }));
  }
  async function apiFlow(kind: string): Promise<FlowJson> {
    return (await (await fetch(`${kratos.publicUrl}/self-service/${kind}/api`)).json()) as FlowJson;
  }
  async function postApi(flow: FlowJson, json: unknown): Promise<{ status: number; body: FlowJson }> {
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(json),
    });
    return { status: res.status, body: (await res.json()) as FlowJson };
  }

  describe("login (updateLoginFlow)", () => {
    it("a browser flow: an unknown method meets webauthn's login schema (webauthn/login.go Login) before 'no strategy'", async () => {
      const browser = new TestBrowser();
      const flow = await browserFlow(browser, "login");
      const refused = await browser.request(flow.ui.action, { json: { method: "nope", csrf_token: csrfOf(flow), transient_payload: 5 } });
      expect(refused.status).toBe(400);
      expect(transientNode(asFlow(refused))?.messages).toEqual([wrongType("number")]);
      expect(flowMessageIds(asFlow(refused))).toEqual([]);

      const fine = await browser.request(flow.ui.action, { json: { method: "nope", csrf_token: csrfOf(flow), transient_payload: {} } });
      expect(fine.status).toBe(400);
      expect(flowMessageIds(asFlow(fine))).toEqual([4010002]);
    });

    it("an API flow: webauthn is not responsible for it and nothing else decodes an unknown method: 'no strategy'", async () => {
      const flow = await apiFlow("login");
      const res = await postApi(flow, { method: "nope", transient_payload: 5 });
      expect(res.status).toBe(400);
      expect(flowMessageIds(res.body)).toEqual([4010002]);
      expect(transientNode(res.body)).toBeUndefined();
    });

    it("oidc does not validate transient_payload (strategy_login.go Login → newLinkDecoder): it answers as without it", async () => {
      const browser = new TestBrowser();
      const answers = [];
      for (const extra of [{}, { transient_payload: 5 }]) {
        const flow = await browserFlow(browser, "login");
        const res = await browser.request(flow.ui.action, {
          json: { method: "oidc", provider: "unknown", csrf_token: csrfOf(flow), ...extra },
        });
        answers.push({ status: res.status, body: asFlow(res).error ?? flowMessageIds(asFlow(res)), transient: transientNode(asFlow(res)) });
      }
      expect(answers[0]?.transient).toBeUndefined();
      expect(answers[1]).toEqual(answers[0]);
    });
  });

  describe("registration (updateRegistrationFlow)", () => {
    it("an unknown method meets passkey's DecodeBody (passkey_registration.go Register): traits and transient_payload", async () => {
      const flow = await apiFlow("registration");
      const transient = await postApi(flow, { method: "nope", traits: { email: uniqueEmail("order") }, transient_payload: [1] });
      expect(transient.status).toBe(400);
      expect(transientNode(transient.body)?.messages).toEqual([wrongType("array")]);

      const traits = await postApi(flow, { method: "nope", traits: { email: "not-an-address" } });
      expect(traits.status).toBe(400);
      const email = traits.body.ui.nodes.find((n) => n.attributes.name === "traits.email");
      expect(email?.messages.map((m) => m.id)).toEqual([4000040]);
      expect(flowMessageIds(traits.body)).toEqual([]);

      const fine = await postApi(flow, { method: "nope", traits: { email: uniqueEmail("order") } });
      expect(fine.status).toBe(400);
      expect(flowMessageIds(fine.body)).toEqual([4010003]);
    });

    it("a browser flow with passwordless keys: an unknown method meets webauthn's EnsureCSRF (webauthn/registration.go Register)", async () => {
      const browser = new TestBrowser();
      const flow = await browserFlow(browser, "registration");
      const body = { method: "nope", traits: { email: uniqueEmail("order") } };
      const refused = await browser.request(flow.ui.action, { json: { ...body, csrf_token: BAD_CSRF } });
      expect(refused.status).toBe(403);
      expect(asFlow(refused).error?.id).toBe("security_csrf_violation");

      const fine = await browser.request(flow.ui.action, { json: { ...body, csrf_token: csrfOf(flow), password: STRONG_PASSWORD } });
      expect(fine.status).toBe(400);
      expect(flowMessageIds(asFlow(fine))).toEqual([4010003]);
    });
  });

  it("settings (updateSettingsFlow): an unknown method meets totp's settings schema (totp/settings.go Settings)", async () => {
    const browser = new TestBrowser();
    const registration = await browserFlow(browser, "registration");
    const signedUp = await browser.request(registration.ui.action, {
      json: { method: "password", csrf_token: csrfOf(registration), password: STRONG_PASSWORD, traits: { email: uniqueEmail("order") } },
    });
    expect(signedUp.status).toBe(200);
    const flow = await browserFlow(browser, "settings");
    const refused = await browser.request(flow.ui.action, { json: { method: "nope", csrf_token: csrfOf(flow), transient_payload: true } });
    expect(refused.status).toBe(400);
    expect(transientNode(asFlow(refused))?.messages).toEqual([wrongType("boolean")]);

    const fine = await browser.request(flow.ui.action, { json: { method: "nope", csrf_token: csrfOf(flow) } });
    expect(fine.status).toBe(400);
    expect(flowMessageIds(asFlow(fine))).toEqual([4010004]);
  });

  it("verification (updateVerificationFlow): code's decodeVerification comes first, its `method` one of code and link", async () => {
    const flow = await apiFlow("verification");
    const res = await postApi(flow, { method: "nope", email: "someone@example.com" });
    expect(res.status).toBe(400);
    const method = res.body.ui.nodes.find((n) => n.attributes.name === "method");
    expect(method?.messages).toEqual([
      {
        id: 4000001,
        text: 'value must be one of "code", "link"',
        type: "error",
        context: { reason: 'value must be one of "code", "link"' },
      },
    ]);
    expect(flowMessageIds(res.body)).toEqual([]);

    const transient = await postApi(flow, { method: "link", email: "someone@example.com", transient_payload: "1" });
    expect(transient.status).toBe(400);
    expect(transientNode(transient.body)?.messages).toEqual([wrongType("number")]);
  });

  it("recovery (updateRecoveryFlow): on a link flow, link's Recover decodes before its method check", async () => {
    const flow = await apiFlow("recovery");
    const refused = await postApi(flow, { method: "nope", email: "someone@example.com", transient_payload: 7 });
    expect(refused.status).toBe(400);
    expect(transientNode(refused.body)?.messages).toEqual([wrongType("number")]);

    const email = await postApi(flow, { method: "nope", email: "not-an-address" });
    expect(email.status).toBe(400);
    expect(email.body.ui.nodes.find((n) => n.attributes.name === "email")?.messages.map((m) => m.id)).toEqual([4000040]);

    const fine = await postApi(flow, { method: "nope", email: "someone@example.com" });
    expect(fine.status).toBe(400);
    expect(flowMessageIds(fine.body)).toEqual([4010005]);
  });
});
