import type { ContinueWith, RecoveryFlow, VerificationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkFrom } from "../../../courier/test-smtp";
import { TestBrowser } from "../../../testing/browser";
import { startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestPostgres } from "../../../testing/harness";
import {
  createIdentity,
  csrfOf,
  expectFailure,
  inputs,
  messageIds,
  startMailKratos,
  TestSmtpServer,
  type MailKratos,
} from "../code/test-helpers";

describe("recovery and verification by magic link", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_link", smtp, {
      selfservice: { flows: { recovery: { use: "link" }, verification: { use: "link" } } },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  const flowPath = (kind: string, id: string) => `${kratos.publicUrl}/self-service/${kind}/flows?id=${id}`;

  it("mails a recovery link; opening it signs in and redirects to the settings UI; a second use is refused", async () => {
    const email = uniqueEmail("link-recover");
    const identity = await createIdentity(kratos, email, STRONG_PASSWORD);
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/recovery/browser`, { headers: { Accept: "application/json" } });
    const flow = init.body as RecoveryFlow;
    expect(inputs(flow).map((n) => [n.group, n.name, n.type])).toEqual([
      ["default", "csrf_token", "hidden"],
      ["link", "email", "email"],
      ["link", "method", "submit"],
    ]);
    const sent = await browser.request(flow.ui.action, { json: { method: "link", email, csrf_token: csrfOf(flow) } });
    expect(sent.status).toBe(200);
    expect((sent.body as RecoveryFlow).state).toBe("sent_email");
    expect(messageIds(sent.body as RecoveryFlow)).toEqual([1060002]);

    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe("Olympus: Recover access to your account");
    const link = linkFrom(mail, `${kratos.publicUrl}/self-service/recovery?`);
    expect(new URL(link).searchParams.get("flow")).toBe(flow.id);

    // The link works in the browser that opens the mail, whatever it holds.
    const phone = new TestBrowser();
    const opened = await phone.request(link);
    expect(opened.status).toBe(303);
    expect(opened.location).toMatch(/^http:\/\/ciam\.localhost:3000\/settings\?flow=[0-9a-f-]{36}$/);
    const whoami = await phone.request(`${kratos.publicUrl}/sessions/whoami`, { headers: { Accept: "application/json" } });
    expect(whoami.status).toBe(200);
    expect((whoami.body as { identity: { id: string }; authentication_methods: { method: string }[] }).identity.id).toBe(identity.id);
    expect((whoami.body as { authentication_methods: { method: string }[] }).authentication_methods[0]?.method).toBe("link_recovery");

    const again = await new TestBrowser().request(link);
    expect(again.status).toBe(303);
    const retryId = new URL(again.location ?? "").searchParams.get("flow") ?? "";
    expect(again.location).toBe(`http://ciam.localhost:3000/recovery?flow=${retryId}`);
    expect(retryId).not.toBe(flow.id);
  });

  it("mails a verification link after registration; opening it verifies the address", async () => {
    const email = uniqueEmail("link-verify");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const { data: registered } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email } },
    });
    const show = (registered.continue_with as ContinueWith[]).find((c) => c.action === "show_verification_ui");
    const verificationId = show && "flow" in show ? show.flow.id : "";
    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe("Olympus: Confirm your email address");
    const link = linkFrom(mail, `${kratos.publicUrl}/self-service/verification?`);

    const browser = new TestBrowser();
    const opened = await browser.request(link);
    expect(opened.status).toBe(303);
    expect(opened.location).toBe(`http://ciam.localhost:3000/verification?flow=${verificationId}`);
    const { data: done } = await kratos.frontend.getVerificationFlow({ id: verificationId });
    expect(done.state).toBe("passed_challenge");
    expect(messageIds(done)).toEqual([1080002]);
    const { data: identity } = await kratos.identity.getIdentity({ id: registered.identity.id });
    expect(identity.verifiable_addresses?.[0]).toMatchObject({ verified: true, status: "completed" });

    const forged = new URL(link);
    forged.searchParams.set("token", "not-the-token");
    const bad = await browser.request(forged.toString());
    const retryId = new URL(bad.location ?? "").searchParams.get("flow") ?? "";
    const retry = await browser.request(flowPath("verification", retryId), { headers: { Accept: "application/json" } });
    expect(messageIds(retry.body as VerificationFlow)).toEqual([4070001]);
  });

  it("creates admin recovery links (and refuses unknown identities like Kratos' link strategy)", async () => {
    const email = uniqueEmail("admin-link");
    const identity = await createIdentity(kratos, email);
    const { status, data } = await kratos.identity.createRecoveryLinkForIdentity({
      createRecoveryLinkForIdentityBody: { identity_id: identity.id, expires_in: "30m" },
    });
    expect(status).toBe(200);
    expect(data.recovery_link).toMatch(
      new RegExp(`^${kratos.publicUrl}/self-service/recovery\\?flow=[0-9a-f-]{36}&token=[A-Za-z0-9]{32}$`),
    );
    const opened = await new TestBrowser().request(data.recovery_link);
    expect(opened.status).toBe(303);
    expect(opened.location).toMatch(/^http:\/\/ciam\.localhost:3000\/settings\?flow=/);

    const unknown = await expectFailure(
      kratos.identity.createRecoveryLinkForIdentity({
        createRecoveryLinkForIdentityBody: { identity_id: "00000000-0000-4000-8000-000000000000" },
      }),
    );
    expect(unknown.status).toBe(400);
  });
});
