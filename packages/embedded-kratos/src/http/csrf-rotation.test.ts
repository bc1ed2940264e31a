import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../testing/browser";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";

interface FlowJson {
  id: string;
  ui: { action: string; nodes: { attributes: { name?: string; value?: unknown } }[] };
  continue_with?: { action: string; flow?: { id: string } }[];
}
const json = { Accept: "application/json" };
const csrfOf = (flow: FlowJson) => flow.ui.nodes.find((n) => n.attributes.name === "csrf_token")?.attributes.value as string;

/**
 * Anti-CSRF rotation as Kratos does it with ory/nosurf's RegenerateToken, which sets the cookie
 * once per request (a second call returns the token already sent): session/manager_http.go
 * IssueCookie (a browser that had no session, or another identity's), logout/handler.go
 * completeLogout, hook/verification.go (the verification flow a browser sign-up starts).
 */
describe("anti-CSRF cookie rotation (RegenerateToken)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_csrf_rotation")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const csrfCookie = (browser: TestBrowser) => [...browser.cookies.values()].find((c) => c.name.startsWith("csrf_token_"))?.value;
  const csrfSetCookies = (lines: string[]) => lines.filter((line) => line.startsWith("csrf_token_"));
  const newFlow = async (browser: TestBrowser, kind: string) =>
    (await browser.request(`${kratos.publicUrl}/self-service/${kind}/browser`, { headers: json })).body as FlowJson;
  const signUp = async (browser: TestBrowser, email: string) => {
    const flow = await newFlow(browser, "registration");
    return browser.request(flow.ui.action, {
      json: { method: "password", password: STRONG_PASSWORD, traits: { email, name: { first: "C", last: "R" } }, csrf_token: csrfOf(flow) },
    });
  };

  it("a sign-up rotates once: one Set-Cookie, and the verification flow it starts stays readable in that browser", async () => {
    const browser = new TestBrowser();
    await newFlow(browser, "login");
    const before = csrfCookie(browser);
    const logged = browser.setCookieLog.length;
    const res = await signUp(browser, uniqueEmail("rotate-signup"));
    expect(res.status).toBe(200);
    expect(csrfSetCookies(browser.setCookieLog.slice(logged))).toHaveLength(1);
    expect(csrfCookie(browser)).not.toBe(before);
    const verification = (res.body as FlowJson).continue_with?.find((c) => c.action === "show_verification_ui")?.flow?.id;
    expect(verification).toBeDefined();
    const fetched = await browser.request(`${kratos.publicUrl}/self-service/verification/flows?id=${verification}`, { headers: json });
    expect(fetched.status).toBe(200);
  });

  it("a login of a signed-out browser rotates; a flow it started before then fails with security_csrf_violation", async () => {
    const email = uniqueEmail("rotate-login");
    await signUp(new TestBrowser(), email);
    const browser = new TestBrowser();
    const recovery = await newFlow(browser, "recovery");
    const login = await newFlow(browser, "login");
    const before = csrfCookie(browser);
    const res = await browser.request(login.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(login) },
    });
    expect(res.status).toBe(200);
    expect(csrfCookie(browser)).not.toBe(before);
    const replay = await browser.request(`${kratos.publicUrl}/self-service/recovery/flows?id=${recovery.id}`, { headers: json });
    expect(replay.status).toBe(403);
    expect((replay.body as { error: { id: string } }).error.id).toBe("security_csrf_violation");

    // A refresh of the same identity keeps the token (IssueCookie only rotates for a new or different identity).
    const kept = csrfCookie(browser);
    const refresh = (await browser.request(`${kratos.publicUrl}/self-service/login/browser?refresh=true`, { headers: json }))
      .body as FlowJson;
    await browser.request(refresh.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(refresh) },
    });
    expect(csrfCookie(browser)).toBe(kept);
  });

  it("logout rotates (completeLogout)", async () => {
    const browser = new TestBrowser();
    await signUp(browser, uniqueEmail("rotate-logout"));
    const before = csrfCookie(browser);
    const { logout_url } = (await browser.request(`${kratos.publicUrl}/self-service/logout/browser`, { headers: json })).body as {
      logout_url: string;
    };
    const res = await browser.request(logout_url);
    expect(res.status).toBe(303);
    expect(csrfCookie(browser)).not.toBe(before);
  });
});
