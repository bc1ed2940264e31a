import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser, type BrowserResponse } from "../../testing/browser";
import { csrfOf } from "../../testing/flow-json";
import {
  CORE_STRATEGIES,
  IAM_CONFIG,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";
import { apiPasswordLogin, createEmployee, enrolTotp } from "../../testing/second-factor";

/**
 * Where Kratos v26.2.0's strategies check CSRF: each decodes its payload with
 * decoderx and the method's JSON schema first (answering what the schema
 * refuses through its error handler) and calls flow.EnsureCSRF only after
 * that — password/login.go Strategy.Login, password/registration.go
 * Strategy.Register (registration.DecodeBody validates the traits against the
 * identity schema), password/settings.go Strategy.Settings →
 * continueSettingsFlow, profile/strategy.go Strategy.Settings → continueFlow.
 * So a browser submission with a bad payload and a bad CSRF token gets the
 * validation error (400, the flow with its messages), one with a valid
 * payload the CSRF error; neither changes anything.
 */

interface FlowJson {
  id: string;
  ui: { action: string; nodes: { attributes: { name?: string }; messages: { id: number }[] }[] };
}

const BAD_CSRF = "bm90LXRoZS10b2tlbg==";
const asFlow = (r: BrowserResponse) => r.body as FlowJson;
const messagesOf = (flow: FlowJson, name: string) => flow.ui.nodes.find((n) => n.attributes.name === name)?.messages.map((m) => m.id);
const errorId = (r: BrowserResponse) => (r.body as { error?: { id?: string } }).error?.id;

describe("self-service submissions: payload validation before EnsureCSRF", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const database = "ciam_csrf_order";

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres(database, { strategies: CORE_STRATEGIES })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function browserFlow(browser: TestBrowser, kind: string): Promise<FlowJson> {
    const res = await browser.request(`${kratos.publicUrl}/self-service/${kind}/browser`, { headers: { Accept: "application/json" } });
    return asFlow(res);
  }

  async function signedInBrowser(email: string): Promise<TestBrowser> {
    const browser = new TestBrowser();
    const flow = await browserFlow(browser, "registration");
    const res = await browser.request(flow.ui.action, {
      json: { method: "password", csrf_token: csrfOf(flow), password: STRONG_PASSWORD, traits: { email } },
    });
    expect(res.status).toBe(200);
    return browser;
  }

  const identityCount = async (email: string) =>
    (await pg.query(`SELECT count(*)::int AS n FROM identities WHERE traits->>'email' = $1`, [email], database)).rows[0] as { n: number };

  it("login: a missing password is answered before the CSRF check; a complete payload gets the 403 (password/login.go Strategy.Login)", async () => {
    const browser = new TestBrowser();
    const flow = await browserFlow(browser, "login");
    const incomplete = await browser.request(flow.ui.action, {
      json: { method: "password", csrf_token: BAD_CSRF, identifier: "someone@example.com" },
    });
    expect(incomplete.status).toBe(400);
    expect(messagesOf(asFlow(incomplete), "password")).toEqual([4000002]);

    const complete = await browser.request(flow.ui.action, {
      json: { method: "password", csrf_token: BAD_CSRF, identifier: "someone@example.com", password: "x" },
    });
    expect(complete.status).toBe(403);
    expect(errorId(complete)).toBe("security_csrf_violation");
  });

  it("registration: traits the identity schema refuses are answered before the CSRF check, and nothing is created (password/registration.go Strategy.Register)", async () => {
    const browser = new TestBrowser();
    const flow = await browserFlow(browser, "registration");
    const invalid = await browser.request(flow.ui.action, {
      json: { method: "password", csrf_token: BAD_CSRF, password: STRONG_PASSWORD, traits: { email: "not-an-email" } },
    });
    expect(invalid.status).toBe(400);
    expect(messagesOf(asFlow(invalid), "traits.email")?.length).toBe(1);
    expect(await identityCount("not-an-email")).toEqual({ n: 0 });

    // Without `traits` the schema has nothing to check: the CSRF check comes first, the identity's validation after it.
    const withoutTraits = await browser.request(flow.ui.action, {
      json: { method: "password", csrf_token: BAD_CSRF, password: STRONG_PASSWORD },
    });
    expect(withoutTraits.status).toBe(403);

    const email = uniqueEmail("csrf-order");
    const valid = await browser.request(flow.ui.action, {
      json: { method: "password", csrf_token: BAD_CSRF, password: STRONG_PASSWORD, traits: { email } },
    });
    expect(valid.status).toBe(403);
    expect(errorId(valid)).toBe("security_csrf_violation");
    expect(await identityCount(email)).toEqual({ n: 0 });
  });

  it("settings: a missing password and refused traits are answered before the CSRF check, and nothing changes (password/settings.go, profile/strategy.go Settings)", async () => {
    const email = uniqueEmail("csrf-settings");
    const browser = await signedInBrowser(email);
    const flow = await browserFlow(browser, "settings");

    const noPassword = await browser.request(flow.ui.action, { json: { method: "password", csrf_token: BAD_CSRF } });
    expect(noPassword.status).toBe(400);
    expect(messagesOf(asFlow(noPassword), "password")).toEqual([4000002]);

    const badTraits = await browser.request(flow.ui.action, {
      json: { method: "profile", csrf_token: BAD_CSRF, traits: { email: "not-an-email" } },
    });
    expect(badTraits.status).toBe(400);
    expect(messagesOf(asFlow(badTraits), "traits.email")?.length).toBe(1);

    const valid = await browser.request(flow.ui.action, {
      json: { method: "password", csrf_token: BAD_CSRF, password: `${STRONG_PASSWORD}-new` },
    });
    expect(valid.status).toBe(403);
    expect(errorId(valid)).toBe("security_csrf_violation");
    expect(await identityCount(email)).toEqual({ n: 1 });
  });
});

/**
 * The second factors in an API flow, whose EnsureCSRF refuses a browser's
 * Origin header: totp/login.go and lookup/login.go Strategy.Login run
 * CheckAAL and decode against login.schema.json (totp_code / lookup_secret
 * required) first.
 */
describe("second-factor submissions: payload validation before EnsureCSRF", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("iam_csrf_order", { configPath: IAM_CONFIG })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const submit = (flowId: string, token: string, body: Record<string, unknown>) =>
    fetch(`${kratos.publicUrl}/self-service/login?flow=${flowId}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Session-Token": token, Origin: "https://elsewhere.example" },
      body: JSON.stringify(body),
    });
  const nodeMessages = async (res: Response, name: string) =>
    ((await res.json()) as FlowJson).ui.nodes.find((n) => n.attributes.name === name)?.messages.map((m) => m.id);

  it("answers a missing code, and an aal1 flow's second factor, before refusing the Origin header", async () => {
    const { email } = await createEmployee(kratos);
    await enrolTotp(kratos, await apiPasswordLogin(kratos, email));
    const token = await apiPasswordLogin(kratos, email);

    const { data: mfa } = await kratos.frontend.createNativeLoginFlow({ aal: "aal2", xSessionToken: token });
    for (const [method, field] of [
      ["totp", "totp_code"],
      ["lookup_secret", "lookup_secret"],
    ] as const) {
      const missing = await submit(mfa.id, token, { method });
      expect(missing.status, method).toBe(400);
      expect(await nodeMessages(missing, field), method).toEqual([4000002]);
    }
    // An aal1 flow: CheckAAL makes the second factors not responsible, so no strategy is found, before any CSRF check.
    const { data: first } = await kratos.frontend.createNativeLoginFlow();
    const notResponsible = await submit(first.id, "", { method: "totp", totp_code: "000000" });
    expect(notResponsible.status).toBe(400);
    expect(((await notResponsible.json()) as { ui: { messages: { id: number }[] } }).ui.messages.map((m) => m.id)).toEqual([4010002]);
    // With the code the payload passes, and EnsureCSRF refuses the browser's request (4000001 on the flow).
    const withCode = await submit(mfa.id, token, { method: "totp", totp_code: "000000" });
    expect(withCode.status).toBe(400);
    expect(((await withCode.json()) as { ui: { messages: { id: number }[] } }).ui.messages.map((m) => m.id)).toEqual([4000001]);
  });
});

/**
 * The code and link strategies (all strategies configured). Recovery and
 * verification: code/strategy_recovery.go Recover,
 * code/strategy_verification.go Verify and their link counterparts decode
 * the body against their method schema (`email` has `format: email`; an
 * empty value is left out by decoderx) before flow.EnsureCSRF.
 */
describe("code and link submissions: traits and the email's format before EnsureCSRF", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres("ciam_csrf_order_address", {
      configOverrides: {
        selfservice: {
          methods: {
            passkey: { enabled: true, config: { rp: { id: "localhost", display_name: "Olympus", origins: ["http://localhost:4455"] } } },
          },
        },
      },
    }));
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  // code/strategy_registration.go and passkey_registration.go Strategy.Register: registration.DecodeBody checks a given `traits` before EnsureCSRF.
  it("code and passkey registration: traits the identity schema refuses are answered before the CSRF check", async () => {
    const browser = new TestBrowser();
    const res = await browser.request(`${kratos.publicUrl}/self-service/registration/browser`, { headers: { Accept: "application/json" } });
    const invalid = await browser.request(asFlow(res).ui.action, {
      json: { method: "code", csrf_token: BAD_CSRF, traits: { email: "not-an-email" } },
    });
    expect(invalid.status).toBe(400);
    expect(messagesOf(asFlow(invalid), "traits.email")?.length).toBe(1);

    // passkey_registration.go Strategy.Register decodes the same way, before EnsureCSRF and before the passkey is looked at.
    const passkey = await browser.request(asFlow(res).ui.action, {
      json: { method: "passkey", passkey_register: "{}", csrf_token: BAD_CSRF, traits: { email: "not-an-email" } },
    });
    expect(passkey.status).toBe(400);
    expect(messagesOf(asFlow(passkey), "traits.email")?.length).toBe(1);
  });

  for (const kind of ["recovery", "verification"]) {
    it(`${kind}: a malformed email is refused (4000040) before the CSRF check, a well-formed one gets the 403`, async () => {
      const browser = new TestBrowser();
      const res = await browser.request(`${kratos.publicUrl}/self-service/${kind}/browser`, { headers: { Accept: "application/json" } });
      const flow = asFlow(res);
      const malformed = await browser.request(flow.ui.action, { json: { method: "code", csrf_token: BAD_CSRF, email: "not-an-email" } });
      expect(malformed.status).toBe(400);
      expect(messagesOf(asFlow(malformed), "email")).toEqual([4000040]);

      const wellFormed = await browser.request(flow.ui.action, { json: { method: "code", csrf_token: BAD_CSRF, email: "a@example.com" } });
      expect(wellFormed.status).toBe(403);
      expect(errorId(wellFormed)).toBe("security_csrf_violation");
    });
  }
});
