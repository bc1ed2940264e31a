import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfOf } from "./testing/flow-json";
import { TestBrowser } from "./testing/browser";
import {
  IAM_CONFIG,
  startKratos,
  startTestPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "./testing/harness";

describe("CIAM and IAM side by side", () => {
  let pg: TestPostgres;
  let ciam: TestKratos;
  let iam: TestKratos;

  beforeAll(async () => {
    pg = await startTestPostgres();
    [ciam, iam] = await Promise.all([startKratos(pg, "ciam_kratos"), startKratos(pg, "iam_kratos", { configPath: IAM_CONFIG })]);
  });
  afterAll(async () => {
    await Promise.all([ciam?.close(), iam?.close()]);
    await pg?.stop();
  });

  it("keeps identities and sessions apart: a CIAM session token is rejected by IAM", async () => {
    const email = uniqueEmail("both");
    const { data: flow } = await ciam.frontend.createNativeRegistrationFlow();
    const { data } = await ciam.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email } },
    });
    const token = data.session_token ?? "";
    expect((await ciam.frontend.toSession({ xSessionToken: token })).status).toBe(200);

    const rejected = await fetch(`${iam.publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": token } });
    expect(rejected.status).toBe(401);
    expect(((await rejected.json()) as { error: { id: string } }).error.id).toBe("session_inactive");
    expect((await iam.identity.listIdentities({ credentialsIdentifier: email })).data).toEqual([]);
  });

  it("rejects a CIAM session cookie at IAM, under either domain's cookie name", async () => {
    const browser = new TestBrowser();
    const flow = await browser.viaSdk(() => ciam.frontend.createBrowserRegistrationFlow());
    await browser.viaSdk((cookie) =>
      ciam.frontend.updateRegistrationFlow({
        flow: flow.id,
        cookie,
        updateRegistrationFlowBody: {
          method: "password",
          csrf_token: csrfOf(flow),
          password: STRONG_PASSWORD,
          traits: { email: uniqueEmail("cookie") },
        },
      }),
    );
    const value = browser.cookies.get("ciam_kratos_session")?.value ?? "";
    expect((await ciam.frontend.toSession({ cookie: `ciam_kratos_session=${value}` })).status).toBe(200);

    for (const cookie of [`ciam_kratos_session=${value}`, `iam_kratos_session=${value}`]) {
      const rejected = await fetch(`${iam.publicUrl}/sessions/whoami`, { headers: { Cookie: cookie } });
      expect(rejected.status).toBe(401);
      expect(((await rejected.json()) as { error: { id: string } }).error.id).toBe("session_inactive");
    }
  });

  it("applies each domain's own config: IAM has no self-service registration and needs 12-character passwords", async () => {
    const disabled = await fetch(`${iam.publicUrl}/self-service/registration/api`);
    expect(disabled.status).toBe(400);
    expect(((await disabled.json()) as { error: { id: string } }).error.id).toBe("self_service_flow_disabled");

    const { data: employee } = await iam.identity.createIdentity({
      createIdentityBody: {
        schema_id: "admin",
        traits: { email: uniqueEmail("emp"), name: { first: "Eve", last: "Employee" } },
        metadata_admin: { iam_admin_role: "viewer" },
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
    const { data: flow } = await iam.frontend.createNativeSettingsFlow({
      xSessionToken: await loginToken(iam, String((employee.traits as { email: string }).email)),
    });
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Session-Token": await loginToken(iam, String((employee.traits as { email: string }).email)),
      },
      body: JSON.stringify({ method: "password", password: "elevenchars" }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      ui: { nodes: { attributes: { name?: string }; messages: { id: number; context?: { min_length: number } }[] }[] };
    };
    const message = body.ui.nodes.find((n) => n.attributes.name === "password")?.messages[0];
    expect(message).toMatchObject({ id: 4000032, context: { min_length: 12 } });

    const ciamCookie =
      (await fetch(`${ciam.publicUrl}/self-service/login/browser`, { redirect: "manual" })).headers.getSetCookie()[0] ?? "";
    const iamCookie = (await fetch(`${iam.publicUrl}/self-service/login/browser`, { redirect: "manual" })).headers.getSetCookie()[0] ?? "";
    expect(ciamCookie.split("=")[0]).not.toBe(iamCookie.split("=")[0]);
  });
});

async function loginToken(kratos: TestKratos, email: string): Promise<string> {
  const { data: flow } = await kratos.frontend.createNativeLoginFlow();
  const { data } = await kratos.frontend.updateLoginFlow({
    flow: flow.id,
    updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
  });
  return data.session_token ?? "";
}
