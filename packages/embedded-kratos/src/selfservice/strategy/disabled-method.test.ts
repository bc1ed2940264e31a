import type { LoginFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../testing/browser";
import { startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../../testing/harness";
import { csrfOf, messageIds } from "../../testing/flow-json";
import { ENDPOINT_DISABLED_MESSAGE } from "./disabled-endpoint";

// flow.MethodEnabledAndAllowed (selfservice/flow/request.go): once a strategy's method matched, a strategy config has
// off answers herodot.ErrNotFound with EndpointDisabledMessage — the handlers ask disabled strategies too.
describe("a submission naming a disabled method", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_disabled_methods", {
      configOverrides: {
        selfservice: {
          methods: { password: { enabled: false }, totp: { enabled: false }, link: { enabled: false }, code: { enabled: true } },
          flows: { recovery: { use: "code" }, verification: { use: "code" } },
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
  });

  async function post(action: string, body: Record<string, unknown>) {
    const res = await fetch(action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { error?: Record<string, unknown> } };
  }

  it("password/login.go Strategy.Login: API login with method=password is 404 'endpoint disabled'", async () => {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const res = await post(flow.ui.action, { method: "password", identifier: uniqueEmail("off"), password: STRONG_PASSWORD });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 404, status: "Not Found", reason: ENDPOINT_DISABLED_MESSAGE });
  });

  it("password/login.go Strategy.Login: a browser form post goes to the error UI with that error", async () => {
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: { Accept: "application/json" } });
    const flow = init.body as LoginFlow;
    const res = await browser.request(flow.ui.action, {
      form: { method: "password", identifier: uniqueEmail("off"), password: STRONG_PASSWORD, csrf_token: csrfOf(flow) },
    });
    expect(res.status).toBe(303);
    const errorId = new URL(res.location ?? "").searchParams.get("id") ?? "";
    const { data } = await kratos.frontend.getFlowError({ id: errorId });
    expect(data.error).toMatchObject({ code: 404, reason: ENDPOINT_DISABLED_MESSAGE });
  });

  it("password/registration.go Strategy.Register: API registration with method=password is 404 'endpoint disabled'", async () => {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const res = await post(flow.ui.action, {
      method: "password",
      password: STRONG_PASSWORD,
      traits: { email: uniqueEmail("off") },
    });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 404, reason: ENDPOINT_DISABLED_MESSAGE });
  });

  it("link/strategy_verification.go Verify: method=link on a code flow is 404 when link is off", async () => {
    const { data: flow } = await kratos.frontend.createNativeVerificationFlow();
    const res = await post(flow.ui.action, { method: "link", email: uniqueEmail("off") });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 404, reason: ENDPOINT_DISABLED_MESSAGE });
  });

  it("totp/login.go Strategy.Login: CheckAAL comes first, so method=totp on an aal1 flow is still 'no strategy'", async () => {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const res = await post(flow.ui.action, { method: "totp", totp_code: "123456" });
    expect(res.status).toBe(400);
    expect(messageIds(res.body as unknown as LoginFlow)).toEqual([4010002]);
  });
});
