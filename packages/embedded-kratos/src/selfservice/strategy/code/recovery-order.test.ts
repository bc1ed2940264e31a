import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import {
  startKratos,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { ENDPOINT_DISABLED_MESSAGE } from "../disabled-endpoint";
import { createIdentity } from "./test-helpers";

/**
 * The order of Kratos v26.2.0 code/strategy_recovery.go Strategy.Recover's
 * checks: it decodes, runs EnsureCSRF (retryRecoveryFlow on a refusal),
 * takes a code, answers someone signed in, makes
 * flow.MethodEnabledAndAllowed, and only then looks at the flow's state. Two
 * servers share one database: `on` (the CIAM config) makes the flows, `off`
 * (the code method off, as after a config reload) gets some submissions.
 */
describe("code recovery: the order of Recover's checks", () => {
  let pg: TestPostgres;
  let on: TestKratos;
  let off: TestKratos;

  beforeAll(async () => {
    ({ pg, kratos: on } = await startKratosWithPostgres("ciam_code_recovery_order"));
    off = await startKratos(pg, "ciam_code_recovery_order", {
      existingDatabase: true,
      configOverrides: {
        selfservice: { methods: { code: { enabled: false } }, flows: { recovery: { use: "link" }, verification: { use: "link" } } },
      },
    });
  });
  afterAll(async () => {
    await off?.close();
    await stopKratosAndPostgres(on, pg);
  });

  async function codeFlowAtOff(): Promise<string> {
    const { data: flow } = await on.frontend.createNativeRecoveryFlow();
    expect(flow.active).toBe("code");
    return `${off.publicUrl}/self-service/recovery?flow=${flow.id}`;
  }

  it("someone signed in is answered before the flow's state: a passed flow is not started over for them", async () => {
    const email = uniqueEmail("passed");
    const identity = await createIdentity(on, email, STRONG_PASSWORD);
    const { data } = await on.identity.createRecoveryCodeForIdentity({ createRecoveryCodeForIdentityBody: { identity_id: identity.id } });
    const flowUrl = `${on.publicUrl}/self-service/recovery?flow=${new URL(data.recovery_link).searchParams.get("flow") ?? ""}`;
    // The admin's code signs this browser in and passes the flow (DangerousSkipCSRFCheck: no anti-CSRF token needed).
    const browser = new TestBrowser();
    const done = await browser.request(flowUrl, { form: { method: "code", code: data.recovery_code } });
    expect(done.status).toBe(303);

    const again = await browser.request(flowUrl, { json: { method: "code", email } });
    expect(again.status).toBe(400);
    expect((again.body as { error?: { id?: string } }).error?.id).toBe("session_already_available");
  });

  it("with the code method off, an API flow submitted by a browser: EnsureCSRF's refusal starts over (retryRecoveryFlow), no 404", async () => {
    const res = await new TestBrowser().request(await codeFlowAtOff(), {
      json: { method: "code", email: uniqueEmail("origin") },
      headers: { Origin: "http://ciam.localhost:3000" },
    });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/\/self-service\/recovery\/flows\?id=/);
  });

  it("with the code method off, someone signed in is 'already logged in' before the method check", async () => {
    const email = uniqueEmail("signed-in");
    await createIdentity(off, email, STRONG_PASSWORD);
    const { data: login } = await off.frontend.createNativeLoginFlow();
    const { data: signedIn } = await off.frontend.updateLoginFlow({
      flow: login.id,
      updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
    });
    const res = await fetch(await codeFlowAtOff(), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-Session-Token": signedIn.session_token ?? "" },
      body: JSON.stringify({ method: "code", email }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error?: { id?: string } }).error?.id).toBe("session_already_available");
  });

  it("with the code method off, past those checks the submission gets the 404 'endpoint disabled'", async () => {
    const res = await fetch(await codeFlowAtOff(), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "code", email: uniqueEmail("off") }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error?: { reason?: string } }).error?.reason).toBe(ENDPOINT_DISABLED_MESSAGE);
  });
});
