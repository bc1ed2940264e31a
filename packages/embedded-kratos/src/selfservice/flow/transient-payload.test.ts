import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser, type BrowserResponse } from "../../testing/browser";
import { csrfOf } from "../../testing/flow-json";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";

/**
 * `transient_payload` in Kratos v26.2.0: every method schema that declares it
 * types it `"type": "object"` (password/.schema/login.schema.json,
 * registration.schema.json, settings.schema.json, code/.schema/recovery.schema.json,
 * verification.schema.json, …), and each strategy decodes the body with
 * decoderx against that schema before flow.EnsureCSRF (password/login.go
 * Strategy.Login, password/registration.go Register, password/settings.go
 * Settings, code/strategy_recovery.go Recover, code/strategy_verification.go
 * Verify). A non-object is the schema's type error, which the flow's error
 * handler puts on a new `transient_payload` node (ui/container/container.go
 * ParseError → translateValidationError "type" → AddMessage): 400 with the
 * flow, nothing done.
 */

interface Node {
  group: string;
  attributes: { name?: string; type?: string };
  messages: { id: number; text: string; type: string; context?: unknown }[];
}
interface FlowJson {
  id: string;
  ui: { action: string; nodes: Node[] };
}

const BAD_CSRF = "bm90LXRoZS10b2tlbg==";
const asFlow = (r: BrowserResponse) => r.body as FlowJson;
const wrongType = (actual: string) => ({
  id: 4000026,
  text: `expected object, but got ${actual}`,
  type: "error",
  context: { allowed_types: ["object"], actual_type: actual },
});

describe("transient_payload: the method schemas' `type: object`", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_transient_payload")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function browserFlow(browser: TestBrowser, kind: string): Promise<FlowJson> {
    return asFlow(await browser.request(`${kratos.publicUrl}/self-service/${kind}/browser`, { headers: { Accept: "application/json" } }));
  }

  function expectRefused(res: BrowserResponse, actual: string): void {
    expect(res.status).toBe(400);
    const node = asFlow(res).ui.nodes.find((n) => n.attributes.name === "transient_payload");
    expect(node).toMatchObject({ group: "default", attributes: { name: "transient_payload", type: "text" } });
    expect(node?.messages).toEqual([wrongType(actual)]);
  }

  it("login and registration refuse a non-object before the CSRF check; an object passes on to it", async () => {
    const browser = new TestBrowser();
    const login = await browserFlow(browser, "login");
    const body = { method: "password", csrf_token: BAD_CSRF, identifier: "someone@example.com", password: "x" };
    expectRefused(await browser.request(login.ui.action, { json: { ...body, transient_payload: 5 } }), "number");
    const withObject = await browser.request(login.ui.action, { json: { ...body, transient_payload: { a: 1 } } });
    expect(withObject.status).toBe(403);

    const registration = await browserFlow(browser, "registration");
    const email = uniqueEmail("transient");
    const signUp = await browser.request(registration.ui.action, {
      json: { method: "password", csrf_token: BAD_CSRF, password: STRONG_PASSWORD, traits: { email }, transient_payload: [1] },
    });
    expectRefused(signUp, "array");
    expect(
      (await pg.query(`SELECT count(*)::int AS n FROM identities WHERE traits->>'email' = $1`, [email], "ciam_transient_payload")).rows,
    ).toEqual([{ n: 0 }]);
  });

  it("settings refuses it too (a JSON string is the value its text is: decodeURLValues sets it raw)", async () => {
    const browser = new TestBrowser();
    const registration = await browserFlow(browser, "registration");
    const signedUp = await browser.request(registration.ui.action, {
      json: { method: "password", csrf_token: csrfOf(registration), password: STRONG_PASSWORD, traits: { email: uniqueEmail("settings") } },
    });
    expect(signedUp.status).toBe(200);
    const settings = await browserFlow(browser, "settings");
    const res = await browser.request(settings.ui.action, {
      json: { method: "password", csrf_token: BAD_CSRF, password: `${STRONG_PASSWORD}-new`, transient_payload: '"text"' },
    });
    expectRefused(res, "string");
  });

  for (const kind of ["recovery", "verification"]) {
    it(`${kind} refuses it with the code method's schema`, async () => {
      const browser = new TestBrowser();
      const flow = await browserFlow(browser, kind);
      const res = await browser.request(flow.ui.action, {
        json: { method: "code", csrf_token: BAD_CSRF, email: "someone@example.com", transient_payload: true },
      });
      expectRefused(res, "boolean");
    });
  }
});
