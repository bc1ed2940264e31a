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
  refresh?: boolean;
  active?: string;
  ui: { action: string; messages?: { id: number; text: string }[]; nodes: { attributes: { name?: string; value?: unknown } }[] };
}
interface ErrorJson {
  error: { id?: string; code: number; message: string; reason?: string; details?: Record<string, unknown> };
  redirect_browser_to?: string;
}

const json = { Accept: "application/json" };
const asFlow = (r: BrowserResponse) => r.body as FlowJson;
const asError = (r: BrowserResponse) => r.body as ErrorJson;
const GONE = "The requested resource is no longer available because it has expired or is otherwise invalid.";

/**
 * The rest of the self-service surface, each case named after the Kratos
 * handler it reproduces (selfservice/flow/<kind>/handler.go unless said
 * otherwise). CIAM platform config.
 */
describe("self-service flow surface as Kratos' handlers answer it", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const database = "ciam_flow_surface";

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres(database)));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const url = (path: string) => `${kratos.publicUrl}${path}`;
  const expire = (flowId: string) =>
    pg.query("UPDATE selfservice_flows SET expires_at = now() - interval '2 minutes' WHERE id = $1", [flowId], database);

  /** A browser signed in through the SPA login of a freshly registered customer. */
  async function signedInBrowser(): Promise<{ browser: TestBrowser; email: string; token: string }> {
    const email = uniqueEmail("surface");
    const { data: reg } = await kratos.frontend.createNativeRegistrationFlow();
    const { data } = await kratos.frontend.updateRegistrationFlow({
      flow: reg.id,
      updateRegistrationFlowBody: {
        method: "password",
        password: STRONG_PASSWORD,
        traits: { email, name: { first: "Ada", last: "Lovelace" } },
      },
    });
    const browser = new TestBrowser();
    const flow = asFlow(await browser.request(url("/self-service/login/browser"), { headers: json }));
    const login = await browser.request(flow.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(flow) },
    });
    expect(login.status).toBe(200);
    return { browser, email, token: data.session_token ?? "" };
  }

  describe("fetching expired flows (get<Kind>Flow)", () => {
    it("login, browser: 410 self_service_flow_expired naming the init endpoint, no use_flow_id", async () => {
      const browser = new TestBrowser();
      const returnTo = "http://ciam.localhost:3002/x";
      const flow = asFlow(
        await browser.request(url(`/self-service/login/browser?return_to=${encodeURIComponent(returnTo)}`), { headers: json }),
      );
      await expire(flow.id);
      const res = await browser.request(url(`/self-service/login/flows?id=${flow.id}`), { headers: json });
      expect(res.status).toBe(410);
      expect(res.body).toEqual({
        error: {
          id: "self_service_flow_expired",
          code: 410,
          status: "Gone",
          message: GONE,
          reason: "The login flow has expired. Redirect the user to the login flow init endpoint to initialize a new login flow.",
          details: { redirect_to: url(`/self-service/login/browser?return_to=${encodeURIComponent(returnTo)}`), return_to: returnTo },
        },
      });
    });

    it("registration, native: details.api; settings: no error id", async () => {
      const { data: reg } = await kratos.frontend.createNativeRegistrationFlow();
      await expire(reg.id);
      const native = await new TestBrowser().request(url(`/self-service/registration/flows?id=${reg.id}`), { headers: json });
      expect(asError(native).error).toMatchObject({
        id: "self_service_flow_expired",
        reason: "The registration flow has expired. Call the registration flow init API endpoint to initialize a new registration flow.",
        details: { api: url("/self-service/registration/api") },
      });

      const { token } = await signedInBrowser();
      const { data: settings } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
      await expire(settings.id);
      const res = await fetch(url(`/self-service/settings/flows?id=${settings.id}`), { headers: { ...json, "X-Session-Token": token } });
      expect(res.status).toBe(410);
      const body = (await res.json()) as ErrorJson;
      expect(body.error.id).toBeUndefined();
      expect(body.error.message).toBe(GONE);
    });

    it("recovery, native: the self-service expired error with details.api (NewFlowExpiredError.WithDetail)", async () => {
      const { data } = await kratos.frontend.createNativeRecoveryFlow();
      await expire(data.id);
      const res = await new TestBrowser().request(url(`/self-service/recovery/flows?id=${data.id}`), { headers: json });
      expect(res.status).toBe(410);
      expect(asError(res).error).toMatchObject({
        id: "self_service_flow_expired",
        message: "self-service flow expired",
        details: { api: url("/self-service/recovery/api") },
      });
    });
  });

  it("submitting an expired recovery flow as JSON: 303 to the replacement's JSON (recovery/error.go, no continue_with transitions)", async () => {
    const browser = new TestBrowser();
    const flow = asFlow(await browser.request(url("/self-service/recovery/browser"), { headers: json }));
    await expire(flow.id);
    const res = await browser.request(flow.ui.action, { json: { method: "code", email: uniqueEmail("late"), csrf_token: csrfOf(flow) } });
    expect(res.status).toBe(303);
    const next = new URL(res.location ?? "");
    expect(`${next.origin}${next.pathname}`).toBe(url("/self-service/recovery/flows"));
    const replacement = asFlow(await browser.request(res.location ?? "", { headers: json }));
    expect(replacement.ui.messages?.map((m) => m.id)).toEqual([4060005]);
  });

  it("a native flow submitted by a browser (cookies) is refused in the flow (flow.EnsureCSRF, ErrCookieHeaderNeedsBrowserFlow)", async () => {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Cookie: "some_cookie=1; __cf_bm=x" },
      body: JSON.stringify({ method: "password", identifier: uniqueEmail("cookie"), password: STRONG_PASSWORD }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as FlowJson;
    expect(body.ui.messages?.[0]).toMatchObject({ id: 4000001 });
    expect(body.ui.messages?.[0]?.text).toMatch(/^The HTTP Request Header included the "Cookie" key/);
  });

  it("CSRF failures carry Kratos' hint and reject_reason (nosurfx.CSRFErrorReason)", async () => {
    const browser = new TestBrowser();
    const flow = asFlow(await browser.request(url("/self-service/login/browser"), { headers: json }));
    const wrong = await browser.request(flow.ui.action, {
      json: { method: "password", identifier: "a@b.c", password: "x", csrf_token: "bm90LXRoZS10b2tlbg==" },
    });
    expect(wrong.status).toBe(403);
    expect(asError(wrong).error).toMatchObject({
      id: "security_csrf_violation",
      details: {
        docs: "https://www.ory.sh/kratos/docs/debug/csrf",
        reject_reason:
          "The HTTP Cookie Header was set and a CSRF token was sent but they do not match. We recommend deleting all cookies for this domain and retrying the flow.",
      },
    });
    const noCookies = await new TestBrowser().request(url(`/self-service/login/flows?id=${flow.id}`), { headers: json });
    expect(asError(noCookies).error.details?.reject_reason).toBe("The HTTP Cookie Header is empty or not set.");
  });

  it("return_to must be allowed: allowed_return_urls or the public URL's /self-service only", async () => {
    const outside = await new TestBrowser().request(
      url(`/self-service/login/browser?return_to=${encodeURIComponent(url("/sessions/whoami"))}`),
      { headers: json },
    );
    expect(outside.status).toBe(400);
    expect(asError(outside).error.id).toBe("self_service_flow_return_to_forbidden");
    const selfService = await new TestBrowser().request(
      url(`/self-service/login/browser?return_to=${encodeURIComponent(url("/self-service/settings/browser"))}`),
      { headers: json },
    );
    expect(selfService.status).toBe(200);
  });

  it("login init: refresh=true without a session is an ordinary login; aal2 without one is 401; an unknown aal is 400 (NewLoginFlow)", async () => {
    const refresh = asFlow(await new TestBrowser().request(url("/self-service/login/browser?refresh=true"), { headers: json }));
    expect(refresh.refresh).toBe(false);
    const aal2 = await new TestBrowser().request(url("/self-service/login/api?aal=aal2"));
    expect(aal2.status).toBe(401);
    expect(asError(aal2).error).toMatchObject({
      id: "session_aal1_required",
      message: "aal2 and aal3 can only be requested if a session exists already",
    });
    const aal3 = await new TestBrowser().request(url("/self-service/login/api?aal=aal3"));
    expect(aal3.status).toBe(400);
    expect(asError(aal3).error.reason).toBe(
      "Unable to parse AuthenticationMethod Assurance Level (AAL): expected one of [aal1, aal2] but got aal3",
    );
  });

  it("a login submitted while signed in: the flow with the reason for AJAX (4000001, 400), the default return URL for forms (updateLoginFlow)", async () => {
    const { browser } = await signedInBrowser();
    const other = new TestBrowser();
    const flow = asFlow(await other.request(url("/self-service/login/browser"), { headers: json }));
    // Hand the signed-in browser's session cookie to the one holding the flow.
    const session = browser.cookies.get("ciam_kratos_session");
    if (session) other.cookies.set(session.name, session);
    const ajax = await other.request(flow.ui.action, {
      json: { method: "password", identifier: "x@y.z", password: "whatever", csrf_token: csrfOf(flow) },
    });
    expect(ajax.status).toBe(400);
    expect(asFlow(ajax).ui.messages).toEqual([
      {
        id: 4000001,
        type: "error",
        text: "A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?",
        context: { reason: "A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?" },
      },
    ]);
    const form = await other.request(flow.ui.action, {
      form: { method: "password", identifier: "x@y.z", password: "whatever", csrf_token: csrfOf(flow) },
    });
    expect(form.status).toBe(303);
    expect(form.location).toBe("http://ciam.localhost:3000/");
  });

  it("an expired aal2 login submitted by a signed-in browser ends as 'already logged in' on that flow (login.Handler.FromOldFlow)", async () => {
    const { browser } = await signedInBrowser();
    const flow = asFlow(await browser.request(url("/self-service/login/browser?aal=aal2"), { headers: json }));
    await expire(flow.id);
    const res = await browser.request(flow.ui.action, { json: { method: "totp", totp_code: "123456", csrf_token: csrfOf(flow) } });
    expect(res.status).toBe(400);
    expect(asFlow(res).id).toBe(flow.id);
    expect(asFlow(res).ui.messages?.map((m) => m.id)).toEqual([4000001]);
  });

  it("registration: the native init ignores sessions; a browser submission while signed in goes to the default return URL, AJAX included", async () => {
    const { browser, token } = await signedInBrowser();
    const native = await fetch(url("/self-service/registration/api"), { headers: { ...json, "X-Session-Token": token } });
    expect(native.status).toBe(200);
    const spa = asError(await browser.request(url("/self-service/registration/browser"), { headers: json }));
    expect(spa.error).toMatchObject({
      id: "session_already_available",
      reason: "A valid session was detected and thus registration is not possible.",
    });

    const fresh = new TestBrowser();
    const flow = asFlow(await fresh.request(url("/self-service/registration/browser"), { headers: json }));
    const session = browser.cookies.get("ciam_kratos_session");
    if (session) fresh.cookies.set(session.name, session);
    const res = await fresh.request(flow.ui.action, {
      json: { method: "password", csrf_token: csrfOf(flow), password: STRONG_PASSWORD, traits: { email: uniqueEmail("x") } },
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe("http://ciam.localhost:3000/");
  });

  it("recovery init while signed in: 302 to the default return URL for browsers, 400 for AJAX (IsNotAuthenticated)", async () => {
    const { browser } = await signedInBrowser();
    const nav = await browser.request(
      url(`/self-service/recovery/browser?return_to=${encodeURIComponent("http://ciam.localhost:3002/x")}`),
    );
    expect(nav.status).toBe(302);
    expect(nav.location).toBe("http://ciam.localhost:3000/");
    const ajax = await browser.request(url("/self-service/recovery/browser"), { headers: json });
    expect(ajax.status).toBe(400);
    expect(asError(ajax).error).toMatchObject({
      id: "session_already_available",
      message: "The request was malformed or contained invalid parameters",
      reason: "A valid session was detected and thus recovery is not possible.",
    });
  });

  it("settings without a session: login with return_to for browsers, 401 for AJAX and native apps; another identity's flow is 403", async () => {
    const anon = new TestBrowser();
    const nav = await anon.request(url(`/self-service/settings/browser?return_to=${encodeURIComponent("http://ciam.localhost:3002/x")}`));
    expect(nav.status).toBe(303);
    expect(nav.location).toBe(url(`/self-service/login/browser?return_to=${encodeURIComponent("http://ciam.localhost:3002/x")}`));
    const native = await anon.request(url("/self-service/settings/api"));
    expect(asError(native).error).toMatchObject({
      id: "session_inactive",
      reason: "This endpoint can only be accessed with a valid session. Please log in and try again.",
    });

    const { token } = await signedInBrowser();
    const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const get = await anon.request(url(`/self-service/settings/flows?id=${flow.id}`), { headers: json });
    expect(get.status).toBe(401);
    expect(asError(get).error.reason).toBe("A valid Ory Session Cookie or Ory Session Token is missing.");
    const { token: someoneElse } = await signedInBrowser();
    const foreign = await fetch(url(`/self-service/settings/flows?id=${flow.id}`), {
      headers: { ...json, "X-Session-Token": someoneElse },
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as ErrorJson).error).toMatchObject({ id: "security_identity_mismatch" });
  });

  describe("logout (logout/handler.go)", () => {
    it("hands out the session's one logout token, which only works with that session's cookie", async () => {
      const { browser } = await signedInBrowser();
      const first = (await browser.request(url("/self-service/logout/browser"), { headers: json })).body as {
        logout_url: string;
        logout_token: string;
      };
      const second = (await browser.request(url("/self-service/logout/browser"), { headers: json })).body as {
        logout_url: string;
        logout_token: string;
      };
      expect(first.logout_token).toMatch(/^ory_lo_[A-Za-z0-9]{32}$/);
      expect(second.logout_token).toBe(first.logout_token);

      const withoutCookie = await new TestBrowser().request(first.logout_url, { headers: json });
      expect(withoutCookie.status).toBe(401);
      const wrongToken = await browser.request(url("/self-service/logout?token=ory_lo_nope"), { headers: json });
      expect(wrongToken.status).toBe(403);
      expect(asError(wrongToken).error.reason).toBe(
        "Unable to log out because the logout token in the URL query does not match the session cookie.",
      );
      const missing = await browser.request(url("/self-service/logout"), { headers: json });
      expect(asError(missing).error).toMatchObject({ code: 400, reason: "Please include a token in the URL query." });

      const out = await browser.request(first.logout_url);
      expect(out.status).toBe(303);
      expect(out.location).toBe("http://ciam.localhost:3000/login");
      expect((await browser.request(url("/sessions/whoami"), { headers: json })).status).toBe(401);
    });

    it("native logout: an unknown or missing token is 403, an already ended session ends again (204)", async () => {
      const { token } = await signedInBrowser();
      const del = (body: unknown) =>
        fetch(url("/self-service/logout/api"), {
          method: "DELETE",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
      expect((await del({ session_token: token })).status).toBe(204);
      expect((await del({ session_token: token })).status).toBe(204);
      expect((await del({ session_token: "ory_st_unknown" })).status).toBe(403);
      expect((await del({})).status).toBe(403);
    });
  });

  it("whoami tokenize_as without templates, /sessions/token-exchange and the exchange code (session/handler.go, sessiontokenexchange)", async () => {
    const { token } = await signedInBrowser();
    const tokenized = await fetch(url("/sessions/whoami?tokenize_as=jwt"), { headers: { "X-Session-Token": token } });
    expect(tokenized.status).toBe(400);
    expect(((await tokenized.json()) as ErrorJson).error.reason).toBe('Unable to find tokenizer template "jwt".');

    const login = await fetch(url("/self-service/login/api?return_session_token_exchange_code=true"));
    expect(((await login.json()) as { session_token_exchange_code?: string }).session_token_exchange_code).toMatch(/^[A-Za-z0-9]{64}$/);
    const missing = await fetch(url("/sessions/token-exchange?init_code=abc"));
    expect(missing.status).toBe(400);
    const unknown = await fetch(url("/sessions/token-exchange?init_code=abc&return_to_code=def"));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorJson).error.reason).toBe('no session yet for this "code"');
  });
});

describe("settings without a show_verification_ui hook (settings/hook.go PostSettingsHook, hook/verification.go)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const database = "ciam_settings_no_show_hook";

  beforeAll(
    async () =>
      ({ pg, kratos } = await startKratosWithPostgres(database, {
        configOverrides: { selfservice: { flows: { settings: { after: { profile: { hooks: [] } } } } } },
      })),
  );
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  it("mails the changed address (the Verifier always runs) but names no verification flow in continue_with", async () => {
    const { data: reg } = await kratos.frontend.createNativeRegistrationFlow();
    const { data } = await kratos.frontend.updateRegistrationFlow({
      flow: reg.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email: uniqueEmail("before") } },
    });
    const token = data.session_token ?? "";
    const { data: settings } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const changed = uniqueEmail("changed");
    const { data: saved } = await kratos.frontend.updateSettingsFlow({
      flow: settings.id,
      xSessionToken: token,
      updateSettingsFlowBody: { method: "profile", traits: { email: changed } },
    });
    expect(saved.state).toBe("success");
    expect((saved.continue_with ?? []).map((c) => c.action)).not.toContain("show_verification_ui");
    const { rows } = await pg.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM courier_messages WHERE recipient = $1",
      [changed],
      database,
    );
    expect(rows[0]?.n).toBe(1);
  });
});
