import { generateSync } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser, type BrowserResponse } from "../../../testing/browser";
import { csrfOf, expectFailure } from "../../../testing/flow-json";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { enrolTotp } from "../../../testing/second-factor";

interface FlowJson {
  id: string;
  ui: { action: string; nodes: { group: string; attributes: { name?: string; value?: unknown } }[] };
}

const json = { Accept: "application/json" };
const asFlow = (r: BrowserResponse) => r.body as FlowJson;

/**
 * A password login of someone who has a second factor, with
 * `session.whoami.required_aal: highest_available` (the CIAM config), as
 * Kratos' login.HookExecutor.PostLoginHook answers it: the session exists
 * at aal1, but until the second factor the client is told to step up —
 * native apps get the token with `session.identity: null`, SPAs a 422
 * browser_location_change_required, form posts a 303, both to the
 * `aal=aal2` login — and whoami answers 403 session_aal2_required
 * (session.Handler.whoami → ManagerHTTP.DoesSessionSatisfy).
 */
describe("password login of an identity with TOTP (login/hook.go PostLoginHook, checkAAL)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_aal2_login")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  /** Registers through the native flow and enrols TOTP in settings; returns the email and the TOTP secret. */
  async function customerWithTotp(): Promise<{ email: string; secret: string; id: string }> {
    const email = uniqueEmail("aal2");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const { data: registered } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: {
        method: "password",
        password: STRONG_PASSWORD,
        traits: { email, name: { first: "Ada", last: "Lovelace" } },
      },
    });
    const token = registered.session_token ?? "";
    const secret = await enrolTotp(kratos, token);
    return { email, secret, id: registered.identity.id };
  }

  it("gives a native app the token with an aal1 session whose identity is null; whoami then asks for aal2", async () => {
    const { email } = await customerWithTotp();
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const response = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", identifier: email, password: STRONG_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { session: Record<string, unknown>; session_token?: string; continue_with: unknown };
    expect(body.session_token).toMatch(/^ory_st_/);
    expect(body.session.authenticator_assurance_level).toBe("aal1");
    // "If AAL is not satisfied, we omit the identity": present and null, not missing.
    expect(Object.hasOwn(body.session, "identity")).toBe(true);
    expect(body.session.identity).toBeNull();
    expect(body.continue_with).toBeNull();

    const whoami = await expectFailure(kratos.frontend.toSession({ xSessionToken: body.session_token ?? "" }));
    expect(whoami.status).toBe(403);
    const stepUp = `${kratos.publicUrl}/self-service/login/browser?aal=aal2`;
    expect(whoami.data.error).toMatchObject({ id: "session_aal2_required", code: 403, details: { redirect_browser_to: stepUp } });
    expect(whoami.data.redirect_browser_to).toBe(stepUp);
  });

  it("answers an SPA with 422 browser_location_change_required to the aal2 login (keeping return_to), with the session cookie set", async () => {
    const { email, secret } = await customerWithTotp();
    const browser = new TestBrowser();
    const returnTo = "http://ciam.localhost:3002/orders";
    const flow = asFlow(
      await browser.request(`${kratos.publicUrl}/self-service/login/browser?return_to=${encodeURIComponent(returnTo)}`, { headers: json }),
    );
    const res = await browser.request(flow.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(flow) },
    });
    expect(res.status).toBe(422);
    const stepUp = `${kratos.publicUrl}/self-service/login/browser?aal=aal2&return_to=${encodeURIComponent(returnTo)}`;
    expect(res.body).toMatchObject({
      error: {
        id: "browser_location_change_required",
        code: 422,
        reason: `In order to complete this flow please redirect the browser to: ${stepUp}`,
      },
      redirect_browser_to: stepUp,
    });
    const whoami = await browser.request(`${kratos.publicUrl}/sessions/whoami`, { headers: json });
    expect(whoami.status).toBe(403);
    expect((whoami.body as { error: { id: string } }).error.id).toBe("session_aal2_required");

    // Following the redirect: the aal2 login offers TOTP, and completing it lands on return_to.
    const start = await browser.request(stepUp);
    expect(start.status).toBe(303);
    const mfaId = new URL(start.location ?? "").searchParams.get("flow") ?? "";
    const mfa = asFlow(await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${mfaId}`, { headers: json }));
    const done = await browser.request(mfa.ui.action, {
      form: { method: "totp", totp_code: generateSync({ secret }), csrf_token: csrfOf(mfa) },
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe(returnTo);
    const upgraded = await browser.request(`${kratos.publicUrl}/sessions/whoami`, { headers: json });
    expect(upgraded.status).toBe(200);
    expect((upgraded.body as { authenticator_assurance_level: string }).authenticator_assurance_level).toBe("aal2");
  });

  it("sends a form post (303) to the aal2 login instead of return_to", async () => {
    const { email } = await customerWithTotp();
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/login/browser`);
    const flowId = new URL(init.location ?? "").searchParams.get("flow") ?? "";
    const flow = asFlow(await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${flowId}`, { headers: json }));
    const res = await browser.request(flow.ui.action, {
      form: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(flow) },
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${kratos.publicUrl}/self-service/login/browser?aal=aal2`);
  });

  it("keeps the identity in the answer of someone without a second factor", async () => {
    const email = uniqueEmail("aal1-only");
    const { data: reg } = await kratos.frontend.createNativeRegistrationFlow();
    await kratos.frontend.updateRegistrationFlow({
      flow: reg.id,
      updateRegistrationFlowBody: {
        method: "password",
        password: STRONG_PASSWORD,
        traits: { email, name: { first: "Ada", last: "Lovelace" } },
      },
    });
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const { data } = await kratos.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
    });
    expect(data.session.identity?.traits).toMatchObject({ email });
  });
});
