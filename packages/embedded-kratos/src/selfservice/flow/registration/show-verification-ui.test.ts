import type { VerificationFlow } from "@ory/client";
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
  ui: { action: string; nodes: { attributes: { name?: string; value?: unknown } }[] };
}

const json = { Accept: "application/json" };
const asFlow = (r: BrowserResponse) => r.body as FlowJson;
const VERIFICATION_PAGE = /^http:\/\/ciam\.localhost:3000\/verification\?flow=([0-9a-f-]{36})$/;

/**
 * Browser registration with the CIAM config's password hooks
 * `[session, show_verification_ui]`: hook.ShowVerificationUIHook sets the
 * registration's ReturnToVerification for browser navigations
 * (x.IsBrowserRequest), and registration.HookExecutor.PostRegistrationHook
 * redirects there instead of return_to; AJAX clients get the same flow as a
 * `show_verification_ui` item in continue_with.
 */
describe("browser registration with show_verification_ui (hook/show_verification_ui.go, registration/hook.go)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_show_verification_ui")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function registrationForm(browser: TestBrowser, query = ""): Promise<FlowJson> {
    const init = await browser.request(`${kratos.publicUrl}/self-service/registration/browser${query}`);
    expect(init.status).toBe(303);
    const id = new URL(init.location ?? "").searchParams.get("flow") ?? "";
    return asFlow(await browser.request(`${kratos.publicUrl}/self-service/registration/flows?id=${id}`, { headers: json }));
  }

  it("redirects a form post (303) to the verification UI showing the flow that mailed the code, signed in", async () => {
    const browser = new TestBrowser();
    const email = uniqueEmail("show-verification");
    const flow = await registrationForm(browser, `?return_to=${encodeURIComponent("http://ciam.localhost:3002/welcome")}`);
    const res = await browser.request(flow.ui.action, {
      form: {
        method: "password",
        csrf_token: csrfOf(flow),
        password: STRONG_PASSWORD,
        "traits.email": email,
        "traits.name.first": "Ada",
        "traits.name.last": "Lovelace",
      },
    });
    expect(res.status).toBe(303);
    const verificationId = VERIFICATION_PAGE.exec(res.location ?? "")?.[1] ?? "";
    expect(verificationId).not.toBe("");

    const verification = await browser.request(`${kratos.publicUrl}/self-service/verification/flows?id=${verificationId}`, {
      headers: json,
    });
    expect(verification.status).toBe(200);
    expect(verification.body as VerificationFlow).toMatchObject({ type: "browser", state: "sent_email", active: "code" });
    const whoami = await browser.request(`${kratos.publicUrl}/sessions/whoami`, { headers: json });
    expect((whoami.body as { identity: { traits: { email: string } } }).identity.traits.email).toBe(email);
  });

  it("gives an AJAX client the same flow in continue_with (with its UI url) and no redirect", async () => {
    const browser = new TestBrowser();
    const flow = asFlow(await browser.request(`${kratos.publicUrl}/self-service/registration/browser`, { headers: json }));
    const res = await browser.request(flow.ui.action, {
      json: {
        method: "password",
        csrf_token: csrfOf(flow),
        password: STRONG_PASSWORD,
        traits: { email: uniqueEmail("show-verification-spa") },
      },
    });
    expect(res.status).toBe(200);
    const body = res.body as { continue_with: { action: string; flow?: { id: string; url?: string } }[] };
    const show = body.continue_with.find((c) => c.action === "show_verification_ui");
    expect(show?.flow?.url).toBe(`http://ciam.localhost:3000/verification?flow=${show?.flow?.id}`);
  });
});
