import type { VerificationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import { startTestPostgres, uniqueEmail, type TestPostgres } from "../../../testing/harness";
import { createIdentity, csrfOf, messageIds, startMailKratos, TestSmtpServer, type MailKratos } from "./test-helpers";

const json = { Accept: "application/json" };

/**
 * Submissions Kratos' code verification takes in shapes other than a POSTed
 * form: selfservice/flow/verification/handler.go registers
 * updateVerificationFlow for GET as well as POST, and
 * code/strategy_verification.go decodeVerification allows both (decoderx reads
 * a GET's query as its form); Verify asks MethodEnabledAndAllowed with getMethod
 * (`code` for a method-less body only when it carries a code), and
 * verificationHandleFormSubmission takes the code as sent, checking CSRF only
 * on the email path.
 */
describe("code verification: GET submissions, method-less bodies and blank codes as Kratos takes them", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_code_verification_get", smtp);
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  const queued = async (recipient: string) => (await kratos.courier.listCourierMessages({ recipient })).data.length;
  const apiFlow = async () => (await (await fetch(`${kratos.publicUrl}/self-service/verification/api`)).json()) as VerificationFlow;
  const query = (fields: Record<string, string>) => `&${new URLSearchParams(fields).toString()}`;

  it("a GET with method=code and an email on an API flow mails a code (verificationHandleFormSubmission)", async () => {
    const email = uniqueEmail("get-api");
    await createIdentity(kratos, email);
    const flow = await apiFlow();
    const res = await fetch(`${flow.ui.action}${query({ method: "code", email })}`, { headers: json });
    expect(res.status).toBe(200);
    const sent = (await res.json()) as VerificationFlow;
    expect(sent.state).toBe("sent_email");
    expect(messageIds(sent)).toEqual([1080003]);
    expect(await queued(email)).toBe(1);
  });

  it("a GET with an email on a browser flow passes EnsureCSRF only with the query's csrf_token", async () => {
    const email = uniqueEmail("get-browser");
    await createIdentity(kratos, email);
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, { headers: json }))
      .body as VerificationFlow;
    const refused = await browser.request(`${flow.ui.action}${query({ method: "code", email })}`, { headers: json });
    expect(refused.status).toBe(403);
    expect(await queued(email)).toBe(0);
    const sent = await browser.request(`${flow.ui.action}${query({ method: "code", email, csrf_token: csrfOf(flow) })}`, { headers: json });
    expect(sent.status).toBe(200);
    expect((sent.body as VerificationFlow).state).toBe("sent_email");
    expect(await queued(email)).toBe(1);
  });

  it("a method-less body without a code is no strategy's (4010006): getMethod gives \"\", so code's Verify is not responsible", async () => {
    const email = uniqueEmail("no-method");
    await createIdentity(kratos, email);
    const flow = await apiFlow();
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: { ...json, "Content-Type": "application/json" },
      body: JSON.stringify({ email }),
    });
    expect(res.status).toBe(400);
    const answered = (await res.json()) as VerificationFlow;
    expect(answered.state).toBe("choose_method");
    expect(messageIds(answered)).toEqual([4010006]);
    expect(await queued(email)).toBe(0);
  });

  it("a method-less body carrying a code is the code strategy's (getMethod): the code is checked", async () => {
    const flow = await apiFlow();
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: { ...json, "Content-Type": "application/json" },
      body: JSON.stringify({ code: "123456" }),
    });
    expect(res.status).toBe(200);
    expect(messageIds((await res.json()) as VerificationFlow)).toEqual([4070006]);
  });

  it("a code of a single space is a code to check (len(body.Code) > 0), never an absent one that mails the email without CSRF", async () => {
    const email = uniqueEmail("blank-code");
    await createIdentity(kratos, email);
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, { headers: json }))
      .body as VerificationFlow;
    // No csrf_token: verificationUseCode makes no CSRF check, and the email path (which does) is never reached.
    const res = await browser.request(flow.ui.action, {
      body: "method=code&code=%20&email=" + encodeURIComponent(email),
      headers: { ...json, "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    const answered = res.body as VerificationFlow;
    expect(answered.state).toBe("choose_method");
    expect(messageIds(answered)).toEqual([4070006]);
    expect(await queued(email)).toBe(0);
  });

  it("a browser body without an email is refused for the email (4000002) before EnsureCSRF, which only the email path makes", async () => {
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, { headers: json }))
      .body as VerificationFlow;
    const res = await browser.request(flow.ui.action, { json: { method: "code" } });
    expect(res.status).toBe(400);
    const node = (res.body as VerificationFlow).ui.nodes.find((n) => (n.attributes as { name?: string }).name === "email");
    expect(node?.messages.map((m) => m.id)).toEqual([4000002]);
  });
});
