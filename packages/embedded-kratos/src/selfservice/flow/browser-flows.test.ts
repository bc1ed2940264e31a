import { createHash } from "node:crypto";
import type { SuccessfulNativeRegistration } from "@ory/client";
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

interface FlowJson {
  id: string;
  type: string;
  return_to?: string;
  ui: {
    action: string;
    messages?: { id: number }[];
    nodes: { group: string; attributes: { name?: string; value?: unknown }; messages: { id: number }[] }[];
  };
}

const asFlow = (r: BrowserResponse) => r.body as FlowJson;

describe("browser flows: cookies, CSRF and redirects", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let csrfCookieName: string;
  const sessionCookie = "ciam_kratos_session";

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres("ciam_browser_flows", {
      // platform/ turns CORS off (browsers reach Kratos through Hera's same-origin proxy); Kratos' CORS itself is still served.
      configOverrides: {
        serve: {
          public: {
            cors: {
              enabled: true,
              allowed_origins: ["http://ciam.localhost:3000"],
              allowed_methods: ["POST", "GET", "PUT", "PATCH", "DELETE"],
              allowed_headers: ["Authorization", "Cookie", "Content-Type", "X-Session-Token", "X-CSRF-Token"],
              exposed_headers: ["Content-Type", "Set-Cookie"],
              allow_credentials: true,
            },
          },
        },
      },
    }));
    csrfCookieName = `csrf_token_${createHash("sha256").update(`${kratos.publicUrl}/`).digest("hex")}`;
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  /** An SPA sign-up driven through @ory/client's FrontendApi (the browser's cookie jar carries CSRF and session cookies). */
  async function registerSpa(browser: TestBrowser, email: string): Promise<SuccessfulNativeRegistration> {
    const flow = await browser.viaSdk(() => kratos.frontend.createBrowserRegistrationFlow());
    return browser.viaSdk((cookie) =>
      kratos.frontend.updateRegistrationFlow({
        flow: flow.id,
        cookie,
        updateRegistrationFlowBody: { method: "password", csrf_token: csrfOf(flow), password: STRONG_PASSWORD, traits: { email } },
      }),
    );
  }

  it("redirects an HTML client to the login UI and sets a host-only, HttpOnly, SameSite=Lax CSRF cookie", async () => {
    const browser = new TestBrowser();
    const res = await browser.request(`${kratos.publicUrl}/self-service/login/browser`);
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^http:\/\/ciam\.localhost:3000\/login\?flow=[0-9a-f-]{36}$/);
    const cookie = browser.cookies.get(csrfCookieName);
    expect(cookie).toBeDefined();
    expect(cookie?.attributes).toMatchObject({ path: "/", httponly: true, samesite: "Lax" });
    expect(cookie?.attributes.domain).toBeUndefined();
    expect(cookie?.attributes.secure).toBeUndefined();

    const flowId = new URL(res.location ?? "").searchParams.get("flow") ?? "";
    const withCookie = await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${flowId}`, {
      headers: { Accept: "application/json" },
    });
    expect(withCookie.status).toBe(200);
    expect(csrfOf(asFlow(withCookie))).not.toBe(cookie?.value);

    const stranger = new TestBrowser();
    const withoutCookie = await stranger.request(`${kratos.publicUrl}/self-service/login/flows?id=${flowId}`, {
      headers: { Accept: "application/json" },
    });
    expect(withoutCookie.status).toBe(403);
    expect((withoutCookie.body as { error: { id: string } }).error.id).toBe("security_csrf_violation");
  });

  it("registers through an SPA (JSON) and answers with continue_with redirect_browser_to and a session cookie", async () => {
    const browser = new TestBrowser();
    const email = uniqueEmail("spa");
    const body = await registerSpa(browser, email);
    expect((body.identity.traits as { email: string }).email).toBe(email);
    expect(body.session_token).toBeUndefined();
    // registration.HookExecutor.PostRegistrationHook adds redirect_browser_to before any hook runs.
    expect(body.continue_with?.map((c) => c.action)).toEqual(["redirect_browser_to", "show_verification_ui"]);
    expect(body.continue_with?.at(0)).toEqual({ action: "redirect_browser_to", redirect_browser_to: "http://ciam.localhost:3000/" });
    const cookie = browser.cookies.get(sessionCookie);
    expect(cookie?.attributes).toMatchObject({ httponly: true, samesite: "Lax", path: "/" });
    expect(cookie?.attributes.domain).toBeUndefined();
    expect(cookie?.attributes.expires).toBeDefined();

    const whoami = await browser.request(`${kratos.publicUrl}/sessions/whoami`);
    expect(whoami.status).toBe(200);
    expect((whoami.body as { id: string }).id).toBe(body.session?.id);

    const again = await browser.request(`${kratos.publicUrl}/self-service/login/browser`);
    expect(again.status).toBe(303);
    expect(again.location).toBe("http://ciam.localhost:3000/");
    const againJson = await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: { Accept: "application/json" } });
    expect(againJson.status).toBe(400);
    expect((againJson.body as { error: { id: string } }).error.id).toBe("session_already_available");
  });

  it("hands after_verification_return_to to the verification flow a sign-up starts (Kratos' post-hook flow)", async () => {
    const browser = new TestBrowser();
    const returnTo = "http://ciam.localhost:3000/login?login_challenge=abc";
    const query = new URLSearchParams({ return_to: "http://ciam.localhost:3002/", after_verification_return_to: returnTo });
    const init = asFlow(
      await browser.request(`${kratos.publicUrl}/self-service/registration/browser?${query.toString()}`, {
        headers: { Accept: "application/json" },
      }),
    );
    const res = await browser.request(init.ui.action, {
      json: {
        method: "password",
        csrf_token: csrfOf(init),
        password: STRONG_PASSWORD,
        traits: { email: uniqueEmail("after-verification") },
      },
    });
    const body = res.body as { continue_with: { action: string; flow?: { id: string }; redirect_browser_to?: string }[] };
    // The registration itself still continues to its own return_to.
    expect(body.continue_with.find((c) => c.action === "redirect_browser_to")?.redirect_browser_to).toBe("http://ciam.localhost:3002/");
    const verificationId = body.continue_with.find((c) => c.action === "show_verification_ui")?.flow?.id ?? "";
    const verification = await browser.request(`${kratos.publicUrl}/self-service/verification/flows?id=${verificationId}`, {
      headers: { Accept: "application/json" },
    });
    const flow = verification.body as FlowJson & { request_url: string };
    expect(flow.return_to).toBe(returnTo);
    const requestUrl = new URL(flow.request_url);
    expect(requestUrl.searchParams.get("return_to")).toBe(returnTo);
    expect(requestUrl.searchParams.has("after_verification_return_to")).toBe(false);
  });

  it("refuses an after_verification_return_to outside the allow-list when the sign-up starts", async () => {
    const res = await new TestBrowser().request(
      `${kratos.publicUrl}/self-service/registration/browser?after_verification_return_to=${encodeURIComponent("https://evil.example/")}`,
      { headers: { Accept: "application/json" } },
    );
    expect(res.status).toBe(400);
    expect((res.body as { error: { id: string } }).error.id).toBe("self_service_flow_return_to_forbidden");
  });

  it("logs in with a classic form post: 303 back to the UI on a wrong password, 303 to return_to on success", async () => {
    const email = uniqueEmail("form");
    await registerSpa(new TestBrowser(), email);
    const browser = new TestBrowser();
    const init = await browser.request(
      `${kratos.publicUrl}/self-service/login/browser?return_to=${encodeURIComponent("http://ciam.localhost:3002/welcome")}`,
    );
    const flowId = new URL(init.location ?? "").searchParams.get("flow") ?? "";
    const flow = asFlow(
      await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${flowId}`, { headers: { Accept: "application/json" } }),
    );
    expect(flow.return_to).toBe("http://ciam.localhost:3002/welcome");

    const wrong = await browser.request(flow.ui.action, {
      form: { method: "password", csrf_token: csrfOf(flow), identifier: email, password: "wrong-password-1" },
    });
    expect(wrong.status).toBe(303);
    expect(wrong.location).toBe(`http://ciam.localhost:3000/login?flow=${flow.id}`);
    const rendered = asFlow(
      await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${flow.id}`, { headers: { Accept: "application/json" } }),
    );
    expect(rendered.ui.messages?.map((m) => m.id)).toEqual([4000006]);

    const ok = await browser.request(flow.ui.action, {
      form: { method: "password", csrf_token: csrfOf(rendered), identifier: email, password: STRONG_PASSWORD },
    });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe("http://ciam.localhost:3002/welcome");
    expect(browser.cookies.get(sessionCookie)).toBeDefined();
  });

  it("rejects CSRF mismatches: 403 JSON for SPAs, the error UI for form posts", async () => {
    const browser = new TestBrowser();
    const flow = asFlow(
      await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: { Accept: "application/json" } }),
    );
    const spa = await browser.request(flow.ui.action, {
      json: { method: "password", csrf_token: "bm90LXRoZS10b2tlbg==", identifier: "a@example.com", password: "x" },
      headers: { "Sec-Fetch-Mode": "cors" },
    });
    expect(spa.status).toBe(403);
    const error = (spa.body as { error: { id: string; code: number; reason: string; details: { hint?: string } } }).error;
    expect(error).toMatchObject({ id: "security_csrf_violation", code: 403 });
    expect(error.details.hint).toContain("AJAX");

    const attacker = new TestBrowser();
    const form = await attacker.request(flow.ui.action, {
      form: { method: "password", csrf_token: csrfOf(flow), identifier: "a@example.com", password: "x" },
    });
    expect(form.status).toBe(303);
    const errorUrl = new URL(form.location ?? "");
    expect(`${errorUrl.origin}${errorUrl.pathname}`).toBe("http://ciam.localhost:3000/error");
    const stored = await attacker.request(`${kratos.publicUrl}/self-service/errors?id=${errorUrl.searchParams.get("id")}`);
    expect(stored.status).toBe(200);
    expect((stored.body as { error: { id: string } }).error.id).toBe("security_csrf_violation");
  });

  it("refuses return_to URLs outside the allow-list", async () => {
    const browser = new TestBrowser();
    const res = await browser.request(
      `${kratos.publicUrl}/self-service/login/browser?return_to=${encodeURIComponent("https://evil.example/")}`,
      {
        headers: { Accept: "application/json" },
      },
    );
    expect(res.status).toBe(400);
    expect((res.body as { error: { id: string } }).error.id).toBe("self_service_flow_return_to_forbidden");
  });

  it("runs a settings flow from the cookie session and logs out through the logout URL", async () => {
    const browser = new TestBrowser();
    const email = uniqueEmail("settings");
    await registerSpa(browser, email);

    const noSession = await new TestBrowser().request(`${kratos.publicUrl}/self-service/settings/browser`);
    expect(noSession.status).toBe(303);
    expect(noSession.location).toContain("/self-service/login/browser");

    const flow = asFlow(
      await browser.request(`${kratos.publicUrl}/self-service/settings/browser`, { headers: { Accept: "application/json" } }),
    );
    const saved = await browser.request(flow.ui.action, {
      json: { method: "profile", csrf_token: csrfOf(flow), traits: { email, name: { first: "Linus" } } },
    });
    expect(saved.status).toBe(200);
    expect((saved.body as { state: string }).state).toBe("success");

    const logout = await browser.request(`${kratos.publicUrl}/self-service/logout/browser`);
    expect(logout.status).toBe(200);
    const { logout_url: logoutUrl, logout_token: logoutToken } = logout.body as { logout_url: string; logout_token: string };
    expect(logoutUrl).toBe(`${kratos.publicUrl}/self-service/logout?token=${logoutToken}`);
    const done = await browser.request(logoutUrl);
    expect(done.status).toBe(303);
    expect(done.location).toBe("http://ciam.localhost:3000/login");
    expect(browser.cookies.get(sessionCookie)).toBeUndefined();
    expect((await browser.request(`${kratos.publicUrl}/sessions/whoami`)).status).toBe(401);
  });

  it("answers CORS preflights for the configured UI origin with credentials", async () => {
    const res = await fetch(`${kratos.publicUrl}/self-service/login`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://ciam.localhost:3000",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://ciam.localhost:3000");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    const other = await fetch(`${kratos.publicUrl}/health/alive`, { headers: { Origin: "http://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("keeps bad input in Kratos' error shape: malformed JSON, oversized bodies, wrong methods", async () => {
    const browser = new TestBrowser();
    const flow = asFlow(await browser.request(`${kratos.publicUrl}/self-service/registration/api`));
    const malformed = await browser.request(flow.ui.action, { body: "{not json", headers: { "Content-Type": "application/json" } });
    expect(malformed.status).toBe(400);
    // decodeJSONForm's refusal goes through the flow's WriteFlowError: the flow, its reason as a message.
    expect((malformed.body as { ui: { messages: { id: number; text: string }[] } }).ui.messages).toEqual([
      expect.objectContaining({ id: 4000001, text: "Unable to decode form as JSON." }),
    ]);
    // cmd/daemon/serve.go http.MaxBytesHandler(handler, 5*1024*1024): a body between 1 MiB and 5 MiB is decoded.
    const large = await browser.request(flow.ui.action, {
      body: JSON.stringify({ method: "password", traits: { email: "x".repeat(2_000_000) } }),
      headers: { "Content-Type": "application/json" },
    });
    expect(large.status).toBe(400);
    expect(JSON.stringify(large.body)).not.toContain("Unable to decode form as JSON.");
    // Past it, decoderx requestBody's io.ReadAll fails first: its plain `unable to read body: …`, which the flow's
    // error handler forwards (WriteErrorCode(400), herodot's code 500 in the body; unreadable-body.test.ts).
    const unreadable = { code: 500, message: "unable to read body: http: request body too large" };
    const huge = await browser.request(flow.ui.action, {
      body: JSON.stringify({ traits: { email: "x".repeat(5 * 1024 * 1024) } }),
      headers: { "Content-Type": "application/json" },
    });
    expect(huge.status).toBe(400);
    expect((huge.body as { error: Record<string, unknown> }).error).toMatchObject(unreadable);
    // The same body sent chunked (no Content-Length): refused part-way, and the answer still reaches the client.
    const piece = new TextEncoder().encode(`{"traits":{"email":"${"x".repeat(64 * 1024)}`);
    let pieces = 0;
    const chunked = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pieces++ < 90) controller.enqueue(piece);
          else controller.close();
        },
      }),
      duplex: "half",
    });
    expect(chunked.status).toBe(400);
    expect(((await chunked.json()) as { error: Record<string, unknown> }).error).toMatchObject(unreadable);
    const wrongMethod = await browser.request(`${kratos.publicUrl}/self-service/login/api`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    const unknownPath = await browser.request(`${kratos.publicUrl}/nope`);
    expect(unknownPath.status).toBe(404);
    expect(kratos.logs.some((l) => /^GET \/nope 404 \d+\.\dms$/.test(l))).toBe(true);
  });
});
