import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KratosConfig } from "../../config/load";
import { loginChallengeOf } from "../../hydra/hydra";
import { KratosError } from "../../http/errors";
import { TestBrowser, type BrowserResponse } from "../../testing/browser";
import { codeFrom, linkFrom } from "../../courier/test-smtp";
import { FakeHydra } from "../../testing/fake-hydra";
import { startMailKratos, TestSmtpServer } from "../strategy/code/test-helpers";
import { startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../../testing/harness";

interface FlowJson {
  id: string;
  return_to?: string;
  refresh?: boolean;
  oauth2_login_challenge?: string;
  oauth2_login_request?: Record<string, unknown>;
  ui: { action: string; nodes: { attributes: { name?: string; value?: unknown } }[] };
}
interface ErrorJson {
  error: { code: number; id?: string; reason?: string; details?: Record<string, unknown> };
  redirect_browser_to?: string;
}

const csrfOf = (flow: FlowJson) => flow.ui.nodes.find((n) => n.attributes.name === "csrf_token")?.attributes.value as string;
const json = { Accept: "application/json" };

/**
 * Kratos as Hydra's login provider (oauth2_provider.url): hydra/hydra.go (GetLoginChallengeID,
 * DefaultHydra.GetLoginRequest / AcceptLoginRequest), login/handler.go createBrowserLoginFlow and
 * getLoginFlow, login/hook.go PostLoginHook, registration/handler.go createBrowserRegistrationFlow,
 * registration/hook.go PostRegistrationHook and hook/session_issuer.go acceptLoginChallenge.
 * Hydra is a small real HTTP server speaking its admin API (testing/fake-hydra.ts): the embedded
 * Hydra is not a dependency of this package.
 */
describe("OAuth2 login challenges (Kratos as Hydra's login provider)", () => {
  let pg: TestPostgres;
  let hydra: FakeHydra;
  let kratos: TestKratos;

  beforeAll(async () => {
    [pg, hydra] = await Promise.all([startTestPostgres(), FakeHydra.start()]);
    kratos = await startKratos(pg, "ciam_oauth2_login", {
      configOverrides: {
        oauth2_provider: { url: hydra.adminUrl, headers: { Authorization: "Bearer hydra-admin" } },
        selfservice: {
          allowed_return_urls: ["http://ciam.localhost:3000", "http://ciam.localhost:3002", "http://127.0.0.1:4444"],
          // Only the session hook: with show_verification_ui the verification UI would come before Hydra.
          flows: { registration: { after: { password: { hooks: [{ hook: "session" }] } } } },
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await hydra?.close();
    await pg?.stop();
  });

  const createIdentity = async () => {
    const email = uniqueEmail("oauth2");
    const { data } = await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email, name: { first: "O", last: "A" } },
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
    return { email, id: data.id };
  };
  const startLogin = (browser: TestBrowser, query: string) =>
    browser.request(`${kratos.publicUrl}/self-service/login/browser?${query}`, { headers: json });

  it("fetches Hydra's login request into the flow on creation and on every fetch, sending the configured headers", async () => {
    const challenge = hydra.addLoginRequest();
    const browser = new TestBrowser();
    const created = await startLogin(browser, `login_challenge=${challenge}`);
    expect(created.status).toBe(200);
    const flow = created.body as FlowJson;
    expect(flow.oauth2_login_challenge).toBe(challenge);
    expect(flow.oauth2_login_request).toEqual(hydra.requests.get(challenge));
    const fetched = (await browser.request(`${kratos.publicUrl}/self-service/login/flows?id=${flow.id}`, { headers: json }))
      .body as FlowJson;
    expect(fetched.oauth2_login_request).toMatchObject({ challenge });
    expect(hydra.getHeaders.at(-1)?.authorization).toBe("Bearer hydra-admin");
  });

  // login/handler.go: createNativeLoginFlow writes the flow NewLoginFlow made (no HydraLoginRequest); getLoginFlow looks it up
  // for any flow with a challenge, and login/error.go WriteFlowError does before answering with the flow as JSON.
  it("native login flows: no login request on creation, then on every fetch and on a re-render with an error", async () => {
    const { email } = await createIdentity();
    const challenge = hydra.addLoginRequest();
    const created = await fetch(`${kratos.publicUrl}/self-service/login/api?login_challenge=${challenge}`);
    expect(created.status).toBe(200);
    const flow = (await created.json()) as FlowJson;
    expect(flow.oauth2_login_challenge).toBe(challenge);
    expect(flow).not.toHaveProperty("oauth2_login_request");
    const fetched = (await (await fetch(`${kratos.publicUrl}/self-service/login/flows?id=${flow.id}`)).json()) as FlowJson;
    expect(fetched.oauth2_login_request).toEqual(hydra.requests.get(challenge));
    const failed = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", identifier: email, password: "not-the-password-123" }),
    });
    expect(failed.status).toBe(400);
    expect(((await failed.json()) as FlowJson).oauth2_login_request).toMatchObject({ challenge });
  });

  // registration/handler.go createBrowserRegistrationFlow fetches the login request but answers with the flow NewRegistrationFlow
  // made (HydraLoginRequest unset); getRegistrationFlow and registration/error.go WriteFlowError look it up.
  it("registration flows: no login request in the creation answer, then on fetch and on a re-render with an error", async () => {
    const challenge = hydra.addLoginRequest();
    const browser = new TestBrowser();
    const created = await browser.request(`${kratos.publicUrl}/self-service/registration/browser?login_challenge=${challenge}`, {
      headers: json,
    });
    expect(created.status).toBe(200);
    const flow = created.body as FlowJson;
    expect(flow.oauth2_login_challenge).toBe(challenge);
    expect(flow).not.toHaveProperty("oauth2_login_request");
    const fetched = (await browser.request(`${kratos.publicUrl}/self-service/registration/flows?id=${flow.id}`, { headers: json }))
      .body as FlowJson;
    expect(fetched.oauth2_login_request).toMatchObject({ challenge });
    const failed = await browser.request(flow.ui.action, {
      json: { method: "password", password: STRONG_PASSWORD, traits: { email: "not-an-email" }, csrf_token: csrfOf(flow) },
    });
    expect(failed.status).toBe(400);
    expect((failed.body as FlowJson).oauth2_login_request).toMatchObject({ challenge });
  });

  it("refuses an unknown or handled challenge (400, status_code and oauth2_error_hint) and an empty one", async () => {
    const unknown = await startLogin(new TestBrowser(), "login_challenge=nope");
    expect(unknown.status).toBe(400);
    expect((unknown.body as ErrorJson).error).toMatchObject({
      reason: "Unable to get OAuth 2.0 Login Challenge.",
      details: { status_code: 404, oauth2_error_hint: "" },
    });
    const handled = hydra.addLoginRequest();
    hydra.handled.add(handled);
    const gone = await startLogin(new TestBrowser(), `login_challenge=${handled}`);
    expect(gone.status).toBe(400);
    expect((gone.body as ErrorJson).error.details).toEqual({ status_code: 410 });
    const empty = await startLogin(new TestBrowser(), "login_challenge=");
    expect(empty.status).toBe(400);
    expect((empty.body as ErrorJson).error.reason).toBe("the login_challenge parameter is present but empty");
  });

  it("accepts the login request after a password login and sends the browser back to Hydra (303)", async () => {
    const { email, id } = await createIdentity();
    const challenge = hydra.addLoginRequest();
    const browser = new TestBrowser();
    const flow = (await startLogin(browser, `login_challenge=${challenge}`)).body as FlowJson;
    const res = await browser.request(flow.ui.action, {
      form: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(flow) },
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe(hydra.redirectFor(challenge));
    const accepted = hydra.accepted.find((a) => a.challenge === challenge);
    const whoami = (await browser.request(`${kratos.publicUrl}/sessions/whoami`, { headers: json })).body as { id: string };
    expect(accepted?.body).toEqual({
      subject: id,
      identity_provider_session_id: whoami.id,
      remember: true,
      remember_for: 720 * 3600,
      amr: ["password"],
    });
    expect(accepted?.headers.authorization).toBe("Bearer hydra-admin");
  });

  it("tells an SPA to go to Hydra with 422 browser_location_change_required", async () => {
    const { email } = await createIdentity();
    const challenge = hydra.addLoginRequest();
    const browser = new TestBrowser();
    const flow = (await startLogin(browser, `login_challenge=${challenge}`)).body as FlowJson;
    const res: BrowserResponse = await browser.request(flow.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(flow) },
    });
    expect(res.status).toBe(422);
    expect((res.body as ErrorJson).redirect_browser_to).toBe(hydra.redirectFor(challenge));
  });

  it("a signed-in browser: Hydra's `skip` accepts with the current session, otherwise the login is a refresh", async () => {
    const { email } = await createIdentity();
    const browser = new TestBrowser();
    const first = (await startLogin(browser, "")).body as FlowJson;
    await browser.request(first.ui.action, {
      form: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(first) },
    });

    const skip = hydra.addLoginRequest({ skip: true });
    const skipped = await browser.request(`${kratos.publicUrl}/self-service/login/browser?login_challenge=${skip}`);
    expect(skipped.status).toBe(303);
    expect(skipped.location).toBe(hydra.redirectFor(skip));

    const again = hydra.addLoginRequest({ skip: false });
    const refresh = (await startLogin(browser, `login_challenge=${again}`)).body as FlowJson;
    expect(refresh.refresh).toBe(true);
  });

  it("override_return_to puts Hydra's request URL into return_to", async () => {
    const overridden = await startKratos(pg, "ciam_oauth2_override", {
      configOverrides: {
        oauth2_provider: { url: hydra.adminUrl, override_return_to: true },
        selfservice: { allowed_return_urls: ["http://127.0.0.1:4444"] },
      },
    });
    try {
      const challenge = hydra.addLoginRequest();
      const res = await new TestBrowser().request(`${overridden.publicUrl}/self-service/login/browser?login_challenge=${challenge}`, {
        headers: json,
      });
      expect((res.body as FlowJson).return_to).toBe(hydra.requests.get(challenge)?.request_url);
    } finally {
      await overridden.close();
    }
  });

  it("registration: accepted after sign-up — a 303 to Hydra for forms, the last redirect_browser_to for AJAX", async () => {
    for (const ajax of [false, true]) {
      const challenge = hydra.addLoginRequest();
      const browser = new TestBrowser();
      const flow = (
        await browser.request(`${kratos.publicUrl}/self-service/registration/browser?login_challenge=${challenge}`, { headers: json })
      ).body as FlowJson;
      expect(flow.oauth2_login_challenge).toBe(challenge);
      const body = {
        method: "password",
        password: STRONG_PASSWORD,
        "traits.email": uniqueEmail("oauth2-signup"),
        "traits.name.first": "S",
        "traits.name.last": "U",
        csrf_token: csrfOf(flow),
      };
      const res = ajax
        ? await browser.request(flow.ui.action, {
            json: { ...body, traits: { email: body["traits.email"], name: { first: "S", last: "U" } } },
          })
        : await browser.request(flow.ui.action, { form: body });
      if (ajax) {
        expect(res.status).toBe(200);
        const continueWith = (res.body as { continue_with: { action: string; redirect_browser_to?: string }[] }).continue_with;
        expect(continueWith.at(-1)).toEqual({ action: "redirect_browser_to", redirect_browser_to: hydra.redirectFor(challenge) });
        expect(continueWith.filter((c) => c.action === "redirect_browser_to")).toHaveLength(1);
      } else {
        expect(res.status).toBe(303);
        expect(res.location).toBe(hydra.redirectFor(challenge));
      }
      expect(hydra.accepted.find((a) => a.challenge === challenge)?.body.amr).toEqual(["password"]);
    }
  });

  // hook/verification.go ExecutePostRegistrationPostPersistHook copies the challenge, session, identity and AMR into the
  // verification flow; registration/hook.go sends a form post to that flow first (ReturnToVerification); and
  // verification/handler.go updateVerificationFlow accepts the login request once the code passed.
  it("a sign-up shown the verification UI first: the verification carries the challenge and accepts it when it passes", async () => {
    const smtp = await TestSmtpServer.start();
    const verifying = await startMailKratos(pg, "ciam_oauth2_verification", smtp, {
      oauth2_provider: { url: hydra.adminUrl },
      selfservice: {
        allowed_return_urls: ["http://ciam.localhost:3000"],
        flows: { registration: { after: { password: { hooks: [{ hook: "session" }, { hook: "show_verification_ui" }] } } } },
      },
    });
    try {
      // The code entered in another browser (whoever opens the mail need not be whoever signed up; a code submission needs
      // no CSRF token): the login request is accepted as Kratos does, but the sign-up's session is not put into that
      // browser (oauth2-login.ts reissueSessionCookie).
      for (const mode of ["form", "ajax", "form in another browser"] as const) {
        const ajax = mode === "ajax";
        const elsewhere = mode === "form in another browser";
        const challenge = hydra.addLoginRequest();
        const browser = new TestBrowser();
        const email = uniqueEmail("oauth2-verify");
        const flow = (
          await browser.request(`${verifying.publicUrl}/self-service/registration/browser?login_challenge=${challenge}`, { headers: json })
        ).body as FlowJson;
        const signedUp = await browser.request(flow.ui.action, {
          form: {
            method: "password",
            password: STRONG_PASSWORD,
            "traits.email": email,
            "traits.name.first": "V",
            "traits.name.last": "U",
            csrf_token: csrfOf(flow),
          },
        });
        expect(signedUp.status).toBe(303);
        const toVerification = new URL(String(signedUp.location));
        expect(`${toVerification.origin}${toVerification.pathname}`).toBe("http://ciam.localhost:3000/verification");
        expect(hydra.accepted.some((a) => a.challenge === challenge)).toBe(false);

        const verificationId = String(toVerification.searchParams.get("flow"));
        // The flow keeps the sign-up's session token for updateVerificationFlow's IssueCookie, sealed, never in clear.
        const signUpToken = browser.cookies.get("ciam_kratos_session")?.value ?? "";
        expect(signUpToken).toMatch(/^ory_st_/);
        const internal = async () =>
          JSON.stringify(
            (await pg.query("SELECT internal_context FROM selfservice_flows WHERE id = $1", [verificationId], "ciam_oauth2_verification"))
              .rows[0],
          );
        expect(await internal()).toContain("session_token_sealed");
        expect(await internal()).not.toContain(signUpToken);
        const code = codeFrom(await smtp.waitFor(email));
        const action = `${verifying.publicUrl}/self-service/verification?flow=${verificationId}`;
        const done = ajax
          ? await browser.request(action, { json: { method: "code", code } })
          : await (elsewhere ? new TestBrowser() : browser).request(action, { form: { method: "code", code } });
        // verification/handler.go updateVerificationFlow: IssueCookie with the stored session — the sign-up's token again,
        // here only to the browser holding the flow's CSRF cookie.
        expect(done.headers.getSetCookie().filter((c) => c.startsWith("ciam_kratos_session="))).toEqual(
          elsewhere ? [] : [expect.stringMatching(new RegExp(`^ciam_kratos_session=${signUpToken};`))],
        );
        // Used once: the sealed token is gone from the flow.
        expect(await internal()).not.toContain("session_token_sealed");
        const session = (await browser.request(`${verifying.publicUrl}/sessions/whoami`, { headers: json })).body as {
          id: string;
          identity: { id: string };
        };
        expect(hydra.accepted.find((a) => a.challenge === challenge)?.body).toMatchObject({
          subject: session.identity.id,
          identity_provider_session_id: session.id,
          amr: ["password"],
        });
        if (ajax) {
          expect(done.status).toBe(200);
          const verified = done.body as { state: string; ui: { nodes: { attributes: { id?: string; href?: string } }[] } };
          expect(verified.state).toBe("passed_challenge");
          expect(verified.ui.nodes.find((n) => n.attributes.id === "continue")?.attributes.href).toBe(hydra.redirectFor(challenge));
        } else {
          expect(done.status).toBe(303);
          expect(done.location).toBe(hydra.redirectFor(challenge));
        }
      }
    } finally {
      await verifying.close();
      await smtp.stop();
    }
  });

  // hook/verification.go ExecuteLoginPostHook: the `verification` login hook starts a verification flow carrying the login
  // flow's challenge and session. A native login accepts nothing itself (PostLoginHook's API branch), so the verification does.
  it("the login `verification` hook: the verification flow it starts carries the challenge and accepts it when it passes", async () => {
    const smtp = await TestSmtpServer.start();
    const verifying = await startMailKratos(pg, "ciam_oauth2_login_verification", smtp, {
      oauth2_provider: { url: hydra.adminUrl },
      selfservice: { flows: { login: { after: { hooks: [{ hook: "verification" }] } } } },
    });
    try {
      const email = uniqueEmail("oauth2-login-verify");
      await verifying.identity.createIdentity({
        createIdentityBody: {
          schema_id: "default",
          traits: { email, name: { first: "L", last: "V" } },
          credentials: { password: { config: { password: STRONG_PASSWORD } } },
        },
      });
      const challenge = hydra.addLoginRequest();
      const flow = (await (await fetch(`${verifying.publicUrl}/self-service/login/api?login_challenge=${challenge}`)).json()) as FlowJson;
      const login = await fetch(flow.ui.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ method: "password", identifier: email, password: STRONG_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { session } = (await login.json()) as { session: { id: string; identity: { id: string } } };
      expect(hydra.accepted.some((a) => a.challenge === challenge)).toBe(false);

      const mail = await smtp.waitFor(email);
      const verificationId = String(new URL(linkFrom(mail, "http")).searchParams.get("flow"));
      const done = await new TestBrowser().request(`${verifying.publicUrl}/self-service/verification?flow=${verificationId}`, {
        form: { method: "code", code: codeFrom(mail) },
      });
      expect(done.status).toBe(303);
      expect(done.location).toBe(hydra.redirectFor(challenge));
      expect(hydra.accepted.find((a) => a.challenge === challenge)?.body).toMatchObject({
        subject: session.identity.id,
        identity_provider_session_id: session.id,
        amr: ["password"],
      });
    } finally {
      await verifying.close();
      await smtp.stop();
    }
  });

  it("refuses login_challenge when oauth2_provider.url is not set (herodot.ErrMisconfiguration, 500)", () => {
    const unset = { oauth2_provider: {} } as unknown as KratosConfig;
    let thrown: unknown;
    try {
      loginChallengeOf(unset, new URLSearchParams("login_challenge=abc"));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KratosError);
    expect((thrown as KratosError).toJSON("r")).toMatchObject({
      error: {
        code: 500,
        id: "invalid_configuration",
        message: "Invalid configuration",
        reason: "refusing to parse login_challenge query parameter because oauth2_provider.url is invalid or unset",
      },
    });
    expect(loginChallengeOf(unset, new URLSearchParams("return_to=x"))).toBeUndefined();
  });
});
