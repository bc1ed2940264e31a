import type { RecoveryFlow, VerificationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeFrom } from "../../../courier/test-smtp";
import { TestBrowser } from "../../../testing/browser";
import { startTestPostgres, uniqueEmail, type TestPostgres } from "../../../testing/harness";
import { createIdentity, csrfOf, inputs, messageIds, startMailKratos, TestSmtpServer, type MailKratos } from "./test-helpers";

/** The form as [group, name, type] triples, the order Kratos' snapshots list them in. */
const shape = (flow: VerificationFlow | RecoveryFlow) => inputs(flow).map((n) => [n.group, n.name ?? n.node_type, n.type ?? n.node_type]);

/**
 * Kratos never sorts a verification flow (selfservice/flow/verification has
 * no sort.go): its forms keep the order code.Strategy.PopulateMethod builds
 * them in — the strategy's nodes, then the CSRF token for browser flows only
 * (populateChooseMethodFlow, populateEmailSentFlow, then SetCSRF) — as
 * selfservice/strategy/code/.snapshots/TestVerification-description=should_set_all_the_correct_verification_payloads{,_after_submission}.json
 * show. A passed flow is verificationUseCode's fresh container: the CSRF
 * token (SetCSRFToken), then the `continue` anchor.
 */
describe("code verification: the forms in the order Kratos builds them", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_code_verification_form", smtp);
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  const json = { Accept: "application/json" };

  it("browser flow: email, submit, CSRF token; once sent: hidden method, code, submit, CSRF token, resend; passed: CSRF token, continue", async () => {
    const email = uniqueEmail("verify-form");
    await createIdentity(kratos, email);
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, { headers: json }))
      .body as VerificationFlow;
    expect(shape(flow)).toEqual([
      ["code", "email", "email"],
      ["code", "method", "submit"],
      ["default", "csrf_token", "hidden"],
    ]);

    const sent = await browser.request(flow.ui.action, { json: { method: "code", email, csrf_token: csrfOf(flow) } });
    expect(sent.status).toBe(200);
    const sentFlow = sent.body as VerificationFlow;
    expect(shape(sentFlow)).toEqual([
      ["code", "method", "hidden"],
      ["code", "code", "text"],
      ["code", "method", "submit"],
      ["default", "csrf_token", "hidden"],
      ["code", "email", "submit"],
    ]);
    // strategy.go nodeCodeInputField: required, no autocomplete.
    const code = inputs(sentFlow).find((n) => n.name === "code");
    expect(code).toMatchObject({ type: "text", required: true });
    expect(code).not.toHaveProperty("autocomplete");

    // The stored flow is answered as the submission left it.
    const fetched = await browser.request(`${kratos.publicUrl}/self-service/verification/flows?id=${flow.id}`, { headers: json });
    expect(shape(fetched.body as VerificationFlow)).toEqual(shape(sentFlow));

    const done = await browser.request(flow.ui.action, {
      json: { method: "code", code: codeFrom(await smtp.waitFor(email)), csrf_token: csrfOf(sentFlow) },
    });
    expect(done.status).toBe(200);
    const passed = done.body as VerificationFlow;
    expect(passed.state).toBe("passed_challenge");
    expect(shape(passed)).toEqual([
      ["default", "csrf_token", "hidden"],
      ["code", "a", "a"],
    ]);
  });

  it("a refused submission keeps the form's order (handleVerificationError on the loaded flow)", async () => {
    const browser = new TestBrowser();
    const flow = (await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, { headers: json }))
      .body as VerificationFlow;
    const refused = await browser.request(flow.ui.action, { json: { method: "code", csrf_token: csrfOf(flow) } });
    expect(refused.status).toBe(400);
    expect(shape(refused.body as VerificationFlow)).toEqual([
      ["code", "email", "email"],
      ["code", "method", "submit"],
      ["default", "csrf_token", "hidden"],
    ]);
  });

  it("native flow: no CSRF token at all (PopulateMethod sets it for browser flows only)", async () => {
    const email = uniqueEmail("verify-native");
    const { data: flow } = await kratos.frontend.createNativeVerificationFlow();
    expect(shape(flow)).toEqual([
      ["code", "email", "email"],
      ["code", "method", "submit"],
    ]);
    const { data: sent } = await kratos.frontend.updateVerificationFlow({
      flow: flow.id,
      updateVerificationFlowBody: { method: "code", email },
    });
    expect(messageIds(sent)).toEqual([1080003]);
    expect(shape(sent)).toEqual([
      ["code", "method", "hidden"],
      ["code", "code", "text"],
      ["code", "method", "submit"],
      ["code", "email", "submit"],
    ]);
  });

  // code/strategy_verification.go handleVerificationError on a loaded flow: SetCSRF(GenerateCSRFToken(r)) — nosurf.Token,
  // empty on the submit path (IgnorePath) for a request without the anti-CSRF cookie — then an Upsert of the email input.
  it("native flow refused (no email): the CSRF token node, empty, ends the form; the email input carries an empty value", async () => {
    const { data: flow } = await kratos.frontend.createNativeVerificationFlow();
    const refused = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "code" }),
    });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as VerificationFlow;
    expect(shape(body)).toEqual([
      ["code", "email", "email"],
      ["code", "method", "submit"],
      ["default", "csrf_token", "hidden"],
    ]);
    expect(inputs(body).find((n) => n.name === "csrf_token")).toMatchObject({ value: "", required: true });
    expect(inputs(body).find((n) => n.name === "email")).toMatchObject({ value: "", required: true });
    // The refusal is stored with the flow.
    const { data: fetched } = await kratos.frontend.getVerificationFlow({ id: flow.id });
    expect(shape(fetched)).toEqual(shape(body));
  });

  it("native flow refused once a code was sent: the resend button becomes the email input, the CSRF token is appended", async () => {
    const email = uniqueEmail("verify-native-refused");
    await createIdentity(kratos, email);
    const { data: flow } = await kratos.frontend.createNativeVerificationFlow();
    await kratos.frontend.updateVerificationFlow({ flow: flow.id, updateVerificationFlowBody: { method: "code", email } });
    const refused = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "code" }),
    });
    expect(refused.status).toBe(400);
    expect(shape((await refused.json()) as VerificationFlow)).toEqual([
      ["code", "method", "hidden"],
      ["code", "code", "text"],
      ["code", "method", "submit"],
      ["code", "email", "email"],
      ["default", "csrf_token", "hidden"],
    ]);
  });
});

/** Small items of code/strategy_recovery.go's v1 screens. */
describe("code recovery v1: the code input and a GET of the flow", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_code_recovery_v1_items", smtp);
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  it("recoveryHandleFormSubmission's code input: required, pattern [0-9]+, maxlength 6, no autocomplete", async () => {
    const email = uniqueEmail("recover-input");
    await createIdentity(kratos, email);
    const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
    const { data: sent } = await kratos.frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: { method: "code", email } });
    const code = inputs(sent).find((n) => n.name === "code");
    expect(code).toMatchObject({ type: "text", required: true, pattern: "[0-9]+", maxlength: 6 });
    expect(code).not.toHaveProperty("autocomplete");
  });

  it("decodeRecovery allows POST only: a GET of the submit endpoint is the flow's 400 carrying the decoder's reason", async () => {
    for (const state of ["choose_method", "sent_email"]) {
      const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
      if (state === "sent_email")
        await kratos.frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: { method: "code", email: uniqueEmail("get") } });
      const res = await fetch(`${kratos.publicUrl}/self-service/recovery?flow=${flow.id}`, { headers: { Accept: "application/json" } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as RecoveryFlow;
      expect(body.id).toBe(flow.id);
      expect(body.state).toBe(state);
      expect(body.ui.messages?.map((m) => [m.id, m.text])).toEqual([
        [4000001, 'Unable to decode body because HTTP Request Method was "GET" but only [POST] are supported.'],
      ]);
    }
  });
});
