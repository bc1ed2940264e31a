import type { LoginFlow, RecoveryFlow, VerificationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkFrom } from "../../../courier/test-smtp";
import { TestBrowser } from "../../../testing/browser";
import { startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestPostgres } from "../../../testing/harness";
import { createIdentity, csrfOf, messageIds, startMailKratos, TestSmtpServer, type MailKratos } from "../code/test-helpers";

// Which submissions the link strategy takes when Kratos' recovery and verification handlers ask it (after code).
describe("link strategy dispatch", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_link_dispatch", smtp, {
      selfservice: {
        methods: { link: { enabled: true }, code: { enabled: true } },
        flows: { recovery: { use: "link" }, verification: { use: "code" } },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  it("link/strategy_verification.go Verify: method=link on a code verification flow mails a link (only the method is checked)", async () => {
    const email = uniqueEmail("link-on-code");
    await createIdentity(kratos, email, STRONG_PASSWORD);
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, {
      headers: { Accept: "application/json" },
    });
    const flow = init.body as VerificationFlow;
    expect(flow.active).toBe("code");
    const sent = await browser.request(flow.ui.action, { json: { method: "link", email, csrf_token: csrfOf(flow) } });
    expect(sent.status).toBe(200);
    const after = sent.body as VerificationFlow;
    expect(after.state).toBe("sent_email");
    expect(after.active).toBe("link");
    expect(messageIds(after)).toEqual([1080001]);
    const link = linkFrom(await smtp.waitFor(email), `${kratos.publicUrl}/self-service/verification?`);
    expect(new URL(link).searchParams.get("flow")).toBe(flow.id);
    expect(new URL(link).searchParams.get("token")).toMatch(/\S/);
  });

  it("link/strategy_recovery.go Recover: a signed-in request is 'already logged in' before the method check", async () => {
    const email = uniqueEmail("link-signed-in");
    await createIdentity(kratos, email, STRONG_PASSWORD);
    const { data: login } = await kratos.frontend.createNativeLoginFlow();
    const { data: signedIn } = await kratos.frontend.updateLoginFlow({
      flow: login.id,
      updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
    });
    const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
    // `code` names the other strategy: Kratos' code strategy does not take a link flow, the link strategy looks at the session first.
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-Session-Token": signedIn.session_token ?? "" },
      body: JSON.stringify({ method: "code", email }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { id?: string } } | RecoveryFlow;
    expect("error" in body ? body.error.id : undefined).toBe("session_already_available");
  });

  it("link/strategy_recovery.go Recover: on a browser flow the session comes before EnsureCSRF (recoveryHandleFormSubmission)", async () => {
    const email = uniqueEmail("link-signed-in-browser");
    await createIdentity(kratos, email, STRONG_PASSWORD);
    const browser = new TestBrowser();
    const json = { headers: { Accept: "application/json" } };
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/recovery/browser`, json)).body as RecoveryFlow;
    expect(flow.active).toBe("link");
    const login = (await browser.request(`${kratos.publicUrl}/self-service/login/browser`, json)).body as LoginFlow;
    const signedIn = await browser.request(login.ui.action, {
      json: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(login) },
    });
    expect(signedIn.status).toBe(200);

    // No anti-CSRF token: Kratos answers the session before it would refuse that.
    const res = await browser.request(flow.ui.action, { json: { method: "link", email } });
    expect(res.status).toBe(400);
    expect((res.body as { error?: { id?: string } }).error?.id).toBe("session_already_available");
    const form = await browser.request(flow.ui.action, { form: { method: "link", email } });
    expect(form.status).toBe(302);
    expect(form.location).toBe("http://ciam.localhost:3000/");
  });

  it("link/strategy_recovery.go recoveryHandleFormSubmission: signed out, EnsureCSRF still refuses a missing token", async () => {
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/recovery/browser`, { headers: { Accept: "application/json" } }))
      .body as RecoveryFlow;
    const res = await browser.request(flow.ui.action, { json: { method: "link", email: uniqueEmail("link-no-csrf") } });
    expect(res.status).toBe(403);
    expect((res.body as { error?: { id?: string } }).error?.id).toBe("security_csrf_violation");
  });
});
