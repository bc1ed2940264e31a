import { generateSync } from "otplib";
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
import { apiPasswordLogin, enrolTotp } from "../../../testing/second-factor";

interface FlowJson {
  id: string;
  return_to?: string;
  ui: { action: string; nodes: { attributes: { name?: string; value?: unknown } }[] };
}

const SETTINGS_UI = "http://ciam.localhost:3000/settings";
const asFlow = (r: BrowserResponse) => r.body as FlowJson;
const json = { Accept: "application/json" };

// Settings requires the highest available AAL (CIAM config): once an identity
// has TOTP, a password-only session is sent to the aal2 login, and that login
// must bring the browser back to settings, as real Kratos does.
describe("settings step-up to aal2 carries return_to back to settings", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_settings_step_up")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function customerWithPassword(): Promise<string> {
    const email = uniqueEmail("step-up");
    await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email, name: { first: "Ada", last: "Lovelace" } },
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
    return email;
  }

  /** A browser signed in with the password only (aal1). */
  async function passwordBrowser(email: string): Promise<TestBrowser> {
    const browser = new TestBrowser();
    const flow = asFlow(await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: json }));
    const login = await browser.request(flow.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(flow) },
    });
    // With TOTP already enrolled, login/hook.go answers 422 browser_location_change_required (aal2 login); the aal1 cookie is set either way.
    expect([200, 422]).toContain(login.status);
    return browser;
  }

  it("a settings submit needing aal2 sends the browser to a login whose return_to is the settings flow, and back there after the second factor", async () => {
    const email = await customerWithPassword();
    const browser = await passwordBrowser(email);
    // The settings flow is opened while password was still the highest factor.
    const settings = asFlow(await browser.request(`${kratos.publicUrl}/self-service/settings/browser`, { headers: json }));
    const secret = await enrolTotp(kratos, await apiPasswordLogin(kratos, email));
    const settingsPage = `${SETTINGS_UI}?flow=${settings.id}`;

    // Fetching the flow for the page now asks for the second factor, returning to this flow's page.
    const fetched = await browser.request(`${kratos.publicUrl}/self-service/settings/flows?id=${settings.id}`, { headers: json });
    expect(fetched.status).toBe(403);
    const redirect = new URL(String((fetched.body as { redirect_browser_to?: string }).redirect_browser_to));
    expect(redirect.pathname).toBe("/self-service/login/browser");
    expect(redirect.searchParams.get("aal")).toBe("aal2");
    expect(redirect.searchParams.get("return_to")).toBe(settingsPage);

    // Submitting the form (an HTML browser) is redirected too, but — settings.Handler.updateSettingsFlow
    // passes session.WithRequestURL(x.RequestURL(r)) — back to the submission URL itself.
    const submit = await browser.request(settings.ui.action, {
      form: { method: "password", password: "a-brand-new-secret-42", csrf_token: csrfOf(settings) },
    });
    expect(submit.status).toBe(303);
    const submitStepUp = new URL(submit.location ?? "");
    expect(submitStepUp.searchParams.get("aal")).toBe("aal2");
    expect(submitStepUp.searchParams.get("return_to")).toBe(settings.ui.action);

    // The login flow the page's step-up starts carries return_to ...
    const start = await browser.request(redirect.toString());
    expect(start.status).toBe(303);
    const loginId = new URL(start.location ?? "").searchParams.get("flow") ?? "";
    const login = asFlow(await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${loginId}`, { headers: json }));
    expect(login.return_to).toBe(settingsPage);

    // ... and after the second factor the browser is back on the settings flow, which now opens.
    const totp = await browser.request(login.ui.action, {
      form: { method: "totp", totp_code: generateSync({ secret }), csrf_token: csrfOf(login) },
    });
    expect(totp.status).toBe(303);
    expect(totp.location).toBe(settingsPage);
    const reopened = await browser.request(`${kratos.publicUrl}/self-service/settings/flows?id=${settings.id}`, { headers: json });
    expect(reopened.status).toBe(200);
  });

  it("starting settings with return_to at aal1 steps up and then restarts settings with the same return_to", async () => {
    const email = await customerWithPassword();
    await enrolTotp(kratos, await apiPasswordLogin(kratos, email));
    const browser = await passwordBrowser(email);
    const after = "http://ciam.localhost:3002/profile";

    const start = await browser.request(`${kratos.publicUrl}/self-service/settings/browser?return_to=${encodeURIComponent(after)}`);
    expect(start.status).toBe(303);
    const login = new URL(start.location ?? "");
    expect(login.searchParams.get("aal")).toBe("aal2");
    const back = new URL(login.searchParams.get("return_to") ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(`${kratos.publicUrl}/self-service/settings/browser`);
    expect(back.searchParams.get("return_to")).toBe(after);

    // Without a return_to, Kratos names none: the login ends on the default return URL.
    const plain = await browser.request(`${kratos.publicUrl}/self-service/settings/browser`);
    expect(new URL(plain.location ?? "").searchParams.has("return_to")).toBe(false);
  });
});
