import type { ContinueWith, LoginFlow, RegistrationFlow, VerificationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeFrom, linkFrom } from "../../../courier/test-smtp";
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
} from "./test-helpers";

describe("verification, passwordless login and registration by code", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_code_flows", smtp);
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  it("mails a verification code after registration and points the client at the verification flow", async () => {
    const email = uniqueEmail("verify");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const { data: registered } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email } },
    });
    const show = (registered.continue_with as ContinueWith[]).find((c) => c.action === "show_verification_ui");
    expect(show && "flow" in show ? show.flow : undefined).toMatchObject({ verifiable_address: email });
    const verificationId = show && "flow" in show ? show.flow.id : "";

    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe("Olympus: Confirm your email address");
    const { data: pending } = await kratos.frontend.getVerificationFlow({ id: verificationId });
    expect(pending.state).toBe("sent_email");
    expect(messageIds(pending)).toEqual([1080003]);
    expect((await kratos.identity.getIdentity({ id: registered.identity.id })).data.verifiable_addresses?.[0]?.status).toBe("sent");

    const wrong = (
      await kratos.frontend.updateVerificationFlow({
        flow: verificationId,
        updateVerificationFlowBody: { method: "code", code: "000000" === codeFrom(mail) ? "111111" : "000000" },
      })
    ).data;
    expect(messageIds(wrong)).toEqual([4070006]);

    const { data: done } = await kratos.frontend.updateVerificationFlow({
      flow: verificationId,
      updateVerificationFlowBody: { method: "code", code: codeFrom(mail) },
    });
    expect(done.state).toBe("passed_challenge");
    expect(messageIds(done)).toEqual([1080002]);
    // verificationUseCode: the CSRF token (SetCSRFToken, native flows too), then the `continue` anchor.
    expect(done.ui.nodes.map((n) => n.attributes.node_type)).toEqual(["input", "a"]);
    expect(done.ui.nodes[1]?.attributes).toMatchObject({ node_type: "a", href: "http://ciam.localhost:3000/" });

    const { data: identity } = await kratos.identity.getIdentity({ id: registered.identity.id });
    expect(identity.verifiable_addresses?.[0]).toMatchObject({ value: email, verified: true, status: "completed" });
    expect(identity.verifiable_addresses?.[0]?.verified_at).toBeTruthy();

    const reused = await expectFailure(
      kratos.frontend.updateVerificationFlow({
        flow: verificationId,
        updateVerificationFlowBody: { method: "code", code: codeFrom(mail) },
      }),
    );
    // Verify on passed_challenge → retryVerificationFlowWithMessage: 410 naming a new flow that carries 4070002.
    expect(reused.status).toBe(410);
    const { data: retried } = await kratos.frontend.getVerificationFlow({
      id: (reused.data as unknown as { use_flow_id: string }).use_flow_id,
    });
    expect(messageIds(retried)).toEqual([4070002]);
  });

  it("mails a verification code when the email changes in settings", async () => {
    const email = uniqueEmail("before-change");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const { data: registered } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email } },
    });
    await smtp.waitFor(email);
    const xSessionToken = registered.session_token ?? "";
    const { data: settings } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken });
    const changed = uniqueEmail("after-change");
    const { data: saved } = await kratos.frontend.updateSettingsFlow({
      flow: settings.id,
      xSessionToken,
      updateSettingsFlowBody: { method: "profile", traits: { email: changed } },
    });
    expect(saved.state).toBe("success");
    // hook.Verifier mails the new address; the CIAM config's `settings.after.profile` hook
    // show_verification_ui (hook/show_verification_ui.go) names that flow in continue_with.
    const show = (saved.continue_with ?? []).find((c) => c.action === "show_verification_ui");
    expect(show && "flow" in show ? show.flow : undefined).toMatchObject({ verifiable_address: changed });

    const mail = await smtp.waitFor(changed);
    const verificationId = show && "flow" in show ? show.flow.id : "";
    expect(new URL(linkFrom(mail, `${kratos.publicUrl}/self-service/verification?`)).searchParams.get("flow")).toBe(verificationId);
    await kratos.frontend.updateVerificationFlow({
      flow: verificationId,
      updateVerificationFlowBody: { method: "code", code: codeFrom(mail) },
    });
    const { data: identity } = await kratos.identity.getIdentity({ id: registered.identity.id });
    expect(identity.verifiable_addresses?.find((a) => a.value === changed)).toMatchObject({ verified: true, status: "completed" });
  });

  it("verifies from the link in the mail: the code is pre-filled and the browser lands on the verification UI", async () => {
    const email = uniqueEmail("verify-link");
    await createIdentity(kratos, email);
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/verification/browser`, {
      headers: { Accept: "application/json" },
    });
    const flow = init.body as VerificationFlow;
    const csrf = String(inputs(flow).find((n) => n.name === "csrf_token")?.value);
    const sent = await browser.request(flow.ui.action, { json: { method: "code", email, csrf_token: csrf } });
    expect(sent.status).toBe(200);
    expect(messageIds(sent.body as VerificationFlow)).toEqual([1080003]);

    const mail = await smtp.waitFor(email);
    const link = linkFrom(mail, `${kratos.publicUrl}/self-service/verification?`);
    expect(new URL(link).searchParams.get("code")).toBe(codeFrom(mail));
    const click = await browser.request(link);
    expect(click.status).toBe(303);
    expect(click.location).toBe(`http://ciam.localhost:3000/verification?flow=${flow.id}`);
    const prefilled = await browser.request(`${kratos.publicUrl}/self-service/verification/flows?id=${flow.id}`, {
      headers: { Accept: "application/json" },
    });
    expect(inputs(prefilled.body as VerificationFlow).find((n) => n.name === "code")?.value).toBe(codeFrom(mail));
    const done = await browser.request(flow.ui.action, { json: { method: "code", code: codeFrom(mail), csrf_token: csrf } });
    expect((done.body as VerificationFlow).state).toBe("passed_challenge");
  });

  it("signs in without a password: identifier → mailed code → session with method code at aal1", async () => {
    const email = uniqueEmail("passwordless");
    const identity = await createIdentity(kratos, email, STRONG_PASSWORD);
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    expect(inputs(flow).find((n) => n.group === "code" && n.name === "method")).toMatchObject({ type: "submit", value: "code" });

    const sent = await expectFailure(
      kratos.frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "code", csrf_token: "", identifier: email } }),
    );
    expect(sent.status).toBe(400);
    const sentFlow = sent.data as unknown as LoginFlow;
    expect(sentFlow.state).toBe("sent_email");
    expect(messageIds(sentFlow)).toEqual([1010014]);
    expect(inputs(sentFlow).find((n) => n.name === "identifier")).toMatchObject({ type: "hidden", value: email });
    // strategy.go populateEmailSentFlow: the password form goes (ClearTransientNodes), the code form stays unsorted,
    // and a native flow gets no CSRF token (PopulateMethod sets it for browser flows only).
    expect(inputs(sentFlow).map((n) => `${n.group}/${n.name}/${n.type}`)).toEqual([
      "default/identifier/hidden",
      "code/method/hidden",
      "code/code/text",
      "code/method/submit",
      "code/resend/submit",
    ]);

    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe(`Your sign-in code: ${codeFrom(mail)}`);
    const wrong = await expectFailure(
      kratos.frontend.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: "code", csrf_token: "", identifier: email, code: "000000" === codeFrom(mail) ? "111111" : "000000" },
      }),
    );
    expect(messageIds(wrong.data as unknown as LoginFlow)).toEqual([4010008]);
    // An error's answer is sorted (login/error.go WriteFlowError → sortNodes), the CSRF token set (HandleLoginError).
    // HandleLoginError(hideIdentifier): a bare hidden identifier (no label, not required) replaced the form's.
    const refusedIdentifier = (wrong.data as unknown as LoginFlow).ui.nodes.find(
      (n) => (n.attributes as { name?: string }).name === "identifier",
    );
    expect(refusedIdentifier?.meta).toEqual({});
    expect(refusedIdentifier?.attributes).toEqual({
      name: "identifier",
      type: "hidden",
      value: email,
      disabled: false,
      node_type: "input",
    });
    expect(inputs(wrong.data as unknown as LoginFlow).map((n) => `${n.group}/${n.name}/${n.type}`)).toEqual([
      "default/csrf_token/hidden",
      "default/identifier/hidden",
      "code/code/text",
      "code/resend/submit",
      "code/method/hidden",
      "code/method/submit",
    ]);

    const { data: login } = await kratos.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: "code", csrf_token: "", identifier: email, code: codeFrom(mail) },
    });
    expect(login.session.identity?.id).toBe(identity.id);
    expect(login.session.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([["code", "aal1"]]);
    expect(login.session_token).toMatch(/^ory_st_/);
  });

  it("answers a browser's code-sent form in populateEmailSentFlow's order, the CSRF token last, and a resend alike", async () => {
    const email = uniqueEmail("passwordless-browser");
    await createIdentity(kratos, email, STRONG_PASSWORD);
    const browser = new TestBrowser();
    const created = await browser.request(`${kratos.publicUrl}/self-service/login/browser`, { headers: { Accept: "application/json" } });
    const flow = created.body as LoginFlow;
    const expected = [
      "default/identifier/hidden",
      "code/method/hidden",
      "code/code/text",
      "code/method/submit",
      "code/resend/submit",
      "default/csrf_token/hidden",
    ];
    const sent = await browser.request(flow.ui.action, { json: { method: "code", identifier: email, csrf_token: csrfOf(flow) } });
    expect(sent.status).toBe(400);
    expect(inputs(sent.body as LoginFlow).map((n) => `${n.group}/${n.name}/${n.type}`)).toEqual(expected);
    expect(inputs(sent.body as LoginFlow).find((n) => n.name === "code")).not.toHaveProperty("autocomplete");
    const resent = await browser.request(flow.ui.action, { json: { method: "code", resend: "code", csrf_token: csrfOf(flow) } });
    expect(resent.status).toBe(400);
    expect(inputs(resent.body as LoginFlow).map((n) => `${n.group}/${n.name}/${n.type}`)).toEqual(expected);
  });

  it("refuses an unknown identifier with 4000035 and mails nothing (code/strategy_login.go findIdentityByIdentifier)", async () => {
    const unknown = uniqueEmail("ghost");
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const sent = await expectFailure(
      kratos.frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "code", csrf_token: "", identifier: unknown } }),
    );
    expect(sent.status).toBe(400);
    expect(messageIds(sent.data as unknown as LoginFlow)).toEqual([4000035]);
    const { data: queued } = await kratos.courier.listCourierMessages({ recipient: unknown });
    expect(queued).toEqual([]);
  });

  it("registers without a password: traits → mailed code → identity with the address verified", async () => {
    const email = uniqueEmail("signup");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const traits = { email, name: { first: "Grace", last: "Hopper" } };
    const sent = await expectFailure(
      kratos.frontend.updateRegistrationFlow({ flow: flow.id, updateRegistrationFlowBody: { method: "code", traits } }),
    );
    expect(sent.status).toBe(400);
    const sentFlow = sent.data as unknown as RegistrationFlow;
    expect(sentFlow.state).toBe("sent_email");
    expect(messageIds(sentFlow)).toEqual([1040005]);
    expect(inputs(sentFlow).find((n) => n.name === "traits.email")).toMatchObject({ type: "hidden", value: email });
    // strategy.go populateEmailSentFlow: the other methods' nodes go, the form's `default` inputs (CSRF token first)
    // stay in its order, hidden, then the code form — unsorted, as Register answers it.
    const sentOrder = [
      "default/csrf_token/hidden",
      "default/traits.email/hidden",
      "default/traits.name.first/hidden",
      "default/traits.name.last/hidden",
      "code/method/hidden",
      "code/code/text",
      "code/method/submit",
      "code/resend/submit",
    ];
    expect(inputs(sentFlow).map((n) => `${n.group}/${n.name}/${n.type}`)).toEqual(sentOrder);
    expect(inputs(sentFlow).find((n) => n.name === "code")).not.toHaveProperty("autocomplete");

    const mail = await smtp.waitFor(email);
    const code = codeFrom(mail);
    const wrong = await expectFailure(
      kratos.frontend.updateRegistrationFlow({
        flow: flow.id,
        updateRegistrationFlowBody: { method: "code", traits, code: code === "000000" ? "111111" : "000000" },
      }),
    );
    expect(messageIds(wrong.data as unknown as RegistrationFlow)).toEqual([4040003]);
    // An error's answer is sorted (registration/error.go WriteFlowError → SortNodes): `method` nodes last.
    expect(inputs(wrong.data as unknown as RegistrationFlow).map((n) => `${n.group}/${n.name}/${n.type}`)).toEqual([
      ...sentOrder.slice(0, 4),
      "code/code/text",
      "code/resend/submit",
      "code/method/hidden",
      "code/method/submit",
    ]);
    const changed = await expectFailure(
      kratos.frontend.updateRegistrationFlow({
        flow: flow.id,
        updateRegistrationFlowBody: { method: "code", traits: { ...traits, email: uniqueEmail("other") }, code },
      }),
    );
    expect(messageIds(changed.data as unknown as RegistrationFlow)).toEqual([4000036]);

    const { data: done } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "code", traits, code },
    });
    expect(done.identity.traits).toEqual(traits);
    expect(done.identity.verifiable_addresses?.[0]).toMatchObject({ value: email, verified: true, status: "completed" });
  });
});
