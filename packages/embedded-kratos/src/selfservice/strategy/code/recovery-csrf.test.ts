import type { RecoveryFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import { startTestPostgres, uniqueEmail, type TestPostgres } from "../../../testing/harness";
import { csrfOf, startMailKratos, TestSmtpServer, type MailKratos } from "./test-helpers";

/**
 * Kratos v26.2.0 code/strategy_recovery.go Strategy.Recover: when
 * flow.EnsureCSRF refuses a code recovery submission, "the flow is most
 * likely FUBAR" and retryRecoveryFlow(w, r, flow.TypeBrowser,
 * RetryWithError(err)) runs. It first calls CSRFHandler().RegenerateToken
 * (ory/nosurf handler.go: a new anti-CSRF cookie on the answer), then
 * Container.ParseError(err): a 400 (an API flow submitted with an Origin or
 * Cookie header, flow.EnsureCSRF) becomes the message of a new browser flow,
 * answered as retryRecoveryFlow answers; the 403 of a browser flow is handed
 * back to recovery.ErrorHandler.WriteFlowError, which forwards it (error UI).
 */
describe("code recovery: a refused CSRF check", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_code_recovery_csrf", smtp, { feature_flags: { use_continue_with_transitions: true } });
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  it("browser flow: forwards the 403 to the error UI with a new anti-CSRF cookie, and sends nothing", async () => {
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/recovery/browser`, { headers: { Accept: "application/json" } }))
      .body as RecoveryFlow;
    const cookieName = [...browser.cookies.keys()].find((name) => name.startsWith("csrf_token"));
    expect(cookieName).toBeDefined();
    const before = browser.cookies.get(cookieName ?? "")?.value;

    const email = uniqueEmail("csrf");
    const refused = await browser.request(flow.ui.action, { form: { method: "code", email, csrf_token: "bm90LXRoZS10b2tlbg==" } });
    expect(refused.status).toBe(303);
    expect(refused.location).toMatch(/^http:\/\/ciam\.localhost:3000\/error\?id=/);
    const setCookies = refused.headers.getSetCookie().filter((c) => c.startsWith(`${cookieName}=`));
    expect(setCookies).toHaveLength(1);
    expect(browser.cookies.get(cookieName ?? "")?.value).not.toBe(before);
    expect(smtp.mailsTo(email)).toEqual([]);

    // The old flow's token belonged to the old cookie: a correct submission of that flow is now refused as well.
    const stale = await browser.request(flow.ui.action, { json: { method: "code", email, csrf_token: csrfOf(flow) } });
    expect(stale.status).toBe(403);
  });

  it("a link's `token` posted to a code flow waives no CSRF check (the code strategy takes it and runs EnsureCSRF first)", async () => {
    // The attack: a cross-site form posts the attacker's code with `token=x` into the attacker's flow, and
    // the victim's browser came back signed in as the attacker (login CSRF), the link strategy's secret
    // having waived the check for the code strategy.
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/recovery/browser`, { headers: { Accept: "application/json" } }))
      .body as RecoveryFlow;
    const email = uniqueEmail("token-csrf");
    const refused = await browser.request(flow.ui.action, { form: { method: "code", email, token: "x" } });
    expect(refused.status).toBe(303);
    expect(refused.location).toMatch(/^http:\/\/ciam\.localhost:3000\/error\?id=/);
    expect(smtp.mailsTo(email)).toEqual([]);
    const victim = new TestBrowser();
    const codeForm = await victim.request(flow.ui.action, { form: { method: "code", code: "123456", token: "x" } });
    expect(codeForm.headers.getSetCookie().some((c) => c.includes("kratos_session"))).toBe(false);
  });

  it("API flow submitted by a browser: a new browser flow carrying the 400's reason (continue_with transitions on)", async () => {
    const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
    const browser = new TestBrowser();
    const res = await browser.request(flow.ui.action, {
      json: { method: "code", email: uniqueEmail("origin") },
      headers: { Origin: "http://ciam.localhost:3000" },
    });
    expect(res.status).toBe(400);
    const error = (res.body as { error: { code: number; reason: string; details: { continue_with: { flow: { id: string } }[] } } }).error;
    expect(error.code).toBe(400);
    expect(error.reason).toMatch(/^The HTTP Request Header included the "Origin" key/);
    const newId = error.details.continue_with[0]?.flow.id ?? "";
    expect(newId).not.toBe(flow.id);
    // RegenerateToken set the cookie the new browser flow is bound to.
    expect([...browser.cookies.keys()].some((name) => name.startsWith("csrf_token"))).toBe(true);
    const created = (
      await browser.request(`${kratos.publicUrl}/self-service/recovery/flows?id=${newId}`, { headers: { Accept: "application/json" } })
    ).body as RecoveryFlow;
    expect(created.type).toBe("browser");
    expect(created.ui.messages).toEqual([{ id: 4000001, text: error.reason, type: "error", context: { reason: error.reason } }]);
  });
});
