import type { RecoveryFlow, VerificationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import { startTestPostgres, uniqueEmail, type TestPostgres } from "../../../testing/harness";
import { createIdentity, messageIds, startMailKratos, TestSmtpServer, type MailKratos } from "../code/test-helpers";

const json = { Accept: "application/json" };

/**
 * The link strategy's submissions as Kratos takes them: the verification and
 * recovery handlers register their update routes for GET as well as POST
 * (handler.go RegisterPublicRoutes), and link/strategy_verification.go and
 * strategy_recovery.go decode with HTTPDecoderAllowedMethods("POST", "GET"),
 * a GET's query being its form — so a GET with `method=link` and an email
 * mails a link. Verify and Recover take the token as sent (len(body.Token) > 0).
 */
describe("link verification and recovery: GET submissions and blank tokens", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_link_get", smtp, {
      selfservice: { flows: { recovery: { use: "link" }, verification: { use: "link" } } },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  const queued = async (recipient: string) => (await kratos.courier.listCourierMessages({ recipient })).data.length;
  const apiFlow = async <T>(kind: string) => (await (await fetch(`${kratos.publicUrl}/self-service/${kind}/api`)).json()) as T;
  const query = (fields: Record<string, string>) => `&${new URLSearchParams(fields).toString()}`;

  it("verification: a GET with method=link and an email on an API flow mails a link (Verify → verificationHandleFormSubmission)", async () => {
    const email = uniqueEmail("link-get-verify");
    await createIdentity(kratos, email);
    const flow = await apiFlow<VerificationFlow>("verification");
    const res = await fetch(`${flow.ui.action}${query({ method: "link", email })}`, { headers: json });
    expect(res.status).toBe(200);
    const sent = (await res.json()) as VerificationFlow;
    expect(sent.state).toBe("sent_email");
    expect(messageIds(sent)).toEqual([1080001]);
    expect(await queued(email)).toBe(1);
  });

  it("recovery: a GET with method=link and an email on an API flow mails a link (Recover → recoveryHandleFormSubmission)", async () => {
    const email = uniqueEmail("link-get-recover");
    await createIdentity(kratos, email);
    const flow = await apiFlow<RecoveryFlow>("recovery");
    const res = await fetch(`${flow.ui.action}${query({ method: "link", email })}`, { headers: json });
    expect(res.status).toBe(200);
    const sent = (await res.json()) as RecoveryFlow;
    expect(sent.state).toBe("sent_email");
    expect(messageIds(sent)).toEqual([1060002]);
    expect(await queued(email)).toBe(1);
  });

  it("verification: a token of a single space is checked (verificationUseToken), never a way to mail the email without CSRF", async () => {
    const email = uniqueEmail("link-blank-token");
    await createIdentity(kratos, email);
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, { headers: json }))
      .body as VerificationFlow;
    const res = await browser.request(flow.ui.action, {
      body: `method=link&token=%20&email=${encodeURIComponent(email)}`,
      headers: { ...json, "Content-Type": "application/x-www-form-urlencoded" },
    });
    // retryVerificationFlowWithMessage: a new browser flow carrying 4070001, and a 303 to the UI.
    expect(res.status).toBe(303);
    const retried = new URL(res.location ?? "").searchParams.get("flow") ?? "";
    const next = await browser.request(`${kratos.publicUrl}/self-service/verification/flows?id=${retried}`, { headers: json });
    expect(messageIds(next.body as VerificationFlow)).toEqual([4070001]);
    expect(await queued(email)).toBe(0);
  });
});
