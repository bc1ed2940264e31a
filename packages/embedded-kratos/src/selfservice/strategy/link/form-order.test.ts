import type { RecoveryFlow, VerificationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkFrom } from "../../../courier/test-smtp";
import { TestBrowser } from "../../../testing/browser";
import { startTestPostgres, uniqueEmail, type TestPostgres } from "../../../testing/harness";
import { createIdentity, csrfOf, inputs, messageIds, startMailKratos, TestSmtpServer, type MailKratos } from "../code/test-helpers";

const shape = (flow: VerificationFlow | RecoveryFlow) => inputs(flow).map((n) => [n.group, n.name ?? n.node_type, n.type ?? n.node_type]);

/**
 * The link strategy's forms, never sorted (Kratos sorts only login,
 * registration and settings): PopulateRecoveryMethod and
 * PopulateVerificationMethod (link/strategy_recovery.go,
 * strategy_verification.go) set the CSRF token first, for every flow type,
 * then `email` and the submit button — selfservice/strategy/link/.snapshots/
 * TestRecovery-* and TestVerification-*. A flow that already passed is
 * started over (retry…FlowWithMessage: a new flow of the same type carrying
 * the "already completed" error, 303 to the UI for browser flows).
 */
describe("link strategy: forms and a passed flow", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_link_forms", smtp, {
      selfservice: { flows: { recovery: { use: "link" }, verification: { use: "link" } } },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  const json = { Accept: "application/json" };
  const linkForm = [
    ["default", "csrf_token", "hidden"],
    ["link", "email", "email"],
    ["link", "method", "submit"],
  ];
  const flowOf = async (kind: string, id: string, browser = new TestBrowser()) =>
    (await browser.request(`${kratos.publicUrl}/self-service/${kind}/flows?id=${id}`, { headers: json })).body as RecoveryFlow;

  it("verification: CSRF token, email, submit — before and after the submission, browser and native", async () => {
    const email = uniqueEmail("link-verify-form");
    await createIdentity(kratos, email);
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, { headers: json }))
      .body as VerificationFlow;
    expect(shape(flow)).toEqual(linkForm);
    const sent = await browser.request(flow.ui.action, { json: { method: "link", email, csrf_token: csrfOf(flow) } });
    expect(sent.status).toBe(200);
    expect(shape(sent.body as VerificationFlow)).toEqual(linkForm);
    expect(inputs(sent.body as VerificationFlow)[1]?.value).toBe(email);

    const { data: native } = await kratos.frontend.createNativeVerificationFlow();
    expect(shape(native)).toEqual(linkForm);
    const { data: recovery } = await kratos.frontend.createNativeRecoveryFlow();
    expect(shape(recovery)).toEqual(linkForm);
  });

  it("a refused recovery submission keeps the form's order", async () => {
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/recovery/browser`, { headers: json })).body as RecoveryFlow;
    const refused = await browser.request(flow.ui.action, { json: { method: "link", csrf_token: csrfOf(flow) } });
    expect(refused.status).toBe(400);
    expect(shape(refused.body as RecoveryFlow)).toEqual(linkForm);
  });

  it("verification: a passed flow shows the CSRF token and `continue`; submitting it again starts a new flow with 4070002", async () => {
    const email = uniqueEmail("link-verify-passed");
    await createIdentity(kratos, email);
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, { headers: json }))
      .body as VerificationFlow;
    await browser.request(flow.ui.action, { json: { method: "link", email, csrf_token: csrfOf(flow) } });
    const opened = await browser.request(linkFrom(await smtp.waitFor(email), `${kratos.publicUrl}/self-service/verification?`));
    expect(opened.status).toBe(303);
    const passed = await flowOf("verification", flow.id, browser);
    expect(passed.state).toBe("passed_challenge");
    expect(shape(passed)).toEqual([
      ["default", "csrf_token", "hidden"],
      ["link", "a", "a"],
    ]);

    // link/strategy_verification.go Verify: StatePassedChallenge → retryVerificationFlowWithMessage(f.Type).
    const again = await browser.request(flow.ui.action, { json: { method: "link", email, csrf_token: csrfOf(passed) } });
    expect(again.status).toBe(303);
    const retryId = new URL(again.location ?? "").searchParams.get("flow") ?? "";
    expect(again.location).toBe(`http://ciam.localhost:3000/verification?flow=${retryId}`);
    expect(retryId).not.toBe(flow.id);
    const retry = await flowOf("verification", retryId, browser);
    expect(messageIds(retry)).toEqual([4070002]);
    expect(shape(retry)).toEqual(linkForm);
  });

  it("recovery: submitting a passed flow starts a new flow of its type with 4060001 (retryRecoveryFlowWithMessage)", async () => {
    const email = uniqueEmail("link-recover-passed");
    await createIdentity(kratos, email);
    const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
    await kratos.frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: { method: "link", email } });
    const opened = await new TestBrowser().request(linkFrom(await smtp.waitFor(email), `${kratos.publicUrl}/self-service/recovery?`));
    expect(opened.status).toBe(303);
    expect((await flowOf("recovery", flow.id)).state).toBe("passed_challenge");

    const again = await fetch(`${kratos.publicUrl}/self-service/recovery?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "link", email }),
      redirect: "manual",
    });
    expect(again.status).toBe(303);
    const location = again.headers.get("location") ?? "";
    const retryId = new URL(location).searchParams.get("id") ?? "";
    expect(location).toBe(`${kratos.publicUrl}/self-service/recovery/flows?id=${retryId}`);
    expect(retryId).not.toBe(flow.id);
    const retry = await flowOf("recovery", retryId);
    expect(retry.type).toBe("api");
    expect(messageIds(retry)).toEqual([4060001]);
  });

  // The handlers' loops (updateRecoveryFlow, updateVerificationFlow): link's Recover and Verify hand a submission
  // without a token to flow.MethodEnabledAndAllowed(…, "link", body.Method), which finds "" is not "link" — not
  // responsible —, and no other strategy takes a link flow: NoRecoveryStrategyResponsible (4010005) and
  // NoVerificationStrategyResponsible, 400 with the flow for a native one.
  it("a GET of the submit endpoint without method or token: no strategy is responsible (400 with the flow)", async () => {
    const { data: recovery } = await kratos.frontend.createNativeRecoveryFlow();
    const r = await fetch(`${kratos.publicUrl}/self-service/recovery?flow=${recovery.id}`, { headers: json });
    const rBody = (await r.json()) as RecoveryFlow;
    const { data: verification } = await kratos.frontend.createNativeVerificationFlow();
    const v = await fetch(`${kratos.publicUrl}/self-service/verification?flow=${verification.id}`, { headers: json });
    const vBody = (await v.json()) as VerificationFlow;
    expect([r.status, messageIds(rBody), v.status, messageIds(vBody)]).toEqual([400, [4010005], 400, [4010006]]);
  });
});
