import { Configuration, CourierApi } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser, type BrowserResponse } from "../../../testing/browser";
import { csrfOf } from "../../../testing/flow-json";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";

interface FlowJson {
  id: string;
  ui: { action: string; messages?: { id: number }[]; nodes: { attributes: { name?: string; value?: unknown } }[] };
}

const json = { Accept: "application/json" };
const asFlow = (r: BrowserResponse) => r.body as FlowJson;

/**
 * Signing in as an identity whose state is `inactive`: the credentials are
 * checked as usual, then session.ManagerHTTP.ActivateSession refuses with
 * session.ErrIdentityDisabled — herodot's 401 with message "identity is
 * disabled", reason "This account was disabled.", `details.identity_id` and
 * no error id — which login.ErrorHandler.WriteFlowError cannot turn into a
 * form message (it is not a 400): native apps and AJAX get it as JSON,
 * browser form posts are sent to the error UI, which shows it.
 */
describe("login by an inactive identity (session/manager_http.go ActivateSession, ErrIdentityDisabled)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let courier: CourierApi;
  const database = "ciam_inactive_identity";

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres(database, { configOverrides: { dev: true } }));
    courier = new CourierApi(new Configuration({ basePath: kratos.adminUrl }));
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  /** A customer (registered through the native flow) made inactive; returns its id, email and a token issued before. */
  async function inactiveCustomer(): Promise<{ id: string; email: string; oldToken: string }> {
    const email = uniqueEmail("inactive");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const { data } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: {
        method: "password",
        password: STRONG_PASSWORD,
        traits: { email, name: { first: "Ada", last: "Lovelace" } },
      },
    });
    await pg.query("UPDATE identities SET state = 'inactive', state_changed_at = now() WHERE id = $1", [data.identity.id], database);
    return { id: data.identity.id, email, oldToken: data.session_token ?? "" };
  }

  const disabled = (id: string) => ({
    code: 401,
    status: "Unauthorized",
    message: "identity is disabled",
    reason: "This account was disabled.",
    details: { identity_id: id },
  });

  it("answers a native password login with the 401 error (no id), not a flow", async () => {
    const { id, email } = await inactiveCustomer();
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", identifier: email, password: STRONG_PASSWORD }),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject(disabled(id));
    expect(body.error.id).toBeUndefined();
  });

  it("answers an SPA with the same JSON and sends a form post to the error UI, which shows it", async () => {
    const { id, email } = await inactiveCustomer();
    const spa = new TestBrowser();
    const spaFlow = asFlow(await spa.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: json }));
    const spaRes = await spa.request(spaFlow.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(spaFlow) },
    });
    expect(spaRes.status).toBe(401);
    expect((spaRes.body as { error: unknown }).error).toMatchObject(disabled(id));

    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/login/browser`);
    const flow = asFlow(
      await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${new URL(init.location ?? "").searchParams.get("flow")}`, {
        headers: json,
      }),
    );
    const res = await browser.request(flow.ui.action, {
      form: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(flow) },
    });
    expect(res.status).toBe(303);
    const errorPage = new URL(res.location ?? "");
    expect(`${errorPage.origin}${errorPage.pathname}`).toBe("http://ciam.localhost:3000/error");
    const stored = await fetch(`${kratos.publicUrl}/self-service/errors?id=${errorPage.searchParams.get("id")}`);
    expect(((await stored.json()) as { error: unknown }).error).toMatchObject(disabled(id));
    expect(browser.cookies.has("ciam_kratos_session")).toBe(false);
  });

  it("mails a login code to an inactive identity (code/strategy_login.go does not look at the state) and refuses the code", async () => {
    const { id, email } = await inactiveCustomer();
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const post = (body: Record<string, unknown>) =>
      fetch(flow.ui.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
    const sent = await post({ method: "code", identifier: email });
    expect(sent.status).toBe(400);
    expect(((await sent.json()) as FlowJson).ui.messages?.map((m) => m.id)).toEqual([1010014]);
    const { data: mails } = await courier.listCourierMessages({ recipient: email });
    const code = /\b(\d{6})\b/.exec(mails.find((m) => m.template_type === "login_code_valid")?.body ?? "")?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
    const done = await post({ method: "code", identifier: email, code });
    expect(done.status).toBe(401);
    expect(((await done.json()) as { error: unknown }).error).toMatchObject(disabled(id));
  });

  it("refuses an unknown identifier for code login with 4000035 (NewNoCodeAuthnCredentials)", async () => {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "code", identifier: uniqueEmail("nobody") }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as FlowJson).ui.messages?.map((m) => m.id)).toEqual([4000035]);
  });

  it("ends the sessions the identity already had: whoami is 401 (Session.IsActive requires an active identity)", async () => {
    const { oldToken } = await inactiveCustomer();
    const whoami = await fetch(`${kratos.publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": oldToken } });
    expect(whoami.status).toBe(401);
    expect(((await whoami.json()) as { error: { id: string } }).error.id).toBe("session_inactive");
  });
});
