import type { ContinueWith, RecoveryFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeFrom } from "../../../courier/test-smtp";
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

const NEW_PASSWORD = "another-very-long-passphrase-17";

describe("recovery by one-time code", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    // The continue_with transitions (Kratos' own recovery tests enable them too); Kratos' default is tested below.
    kratos = await startMailKratos(pg, "ciam_code_recovery", smtp, { feature_flags: { use_continue_with_transitions: true } });
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  async function requestCode(email: string): Promise<RecoveryFlow> {
    const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
    const { data } = await kratos.frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: { method: "code", email } });
    return data;
  }

  const submitCode = (flow: RecoveryFlow, code: string) =>
    kratos.frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: { method: "code", code } });

  it("mails a code, signs in with a privileged session, leads to settings where the password is changed", async () => {
    const email = uniqueEmail("recover");
    const identity = await createIdentity(kratos, email, STRONG_PASSWORD);

    const { data: fresh } = await kratos.frontend.createNativeRecoveryFlow();
    expect(fresh.state).toBe("choose_method");
    expect(inputs(fresh).map((n) => [n.group, n.name, n.type])).toEqual([
      ["default", "csrf_token", "hidden"],
      ["code", "email", "email"],
      ["code", "method", "submit"],
    ]);
    expect(fresh.ui.nodes[1]?.meta.label?.id).toBe(1070007);

    const sent = (await kratos.frontend.updateRecoveryFlow({ flow: fresh.id, updateRecoveryFlowBody: { method: "code", email } })).data;
    expect(sent.state).toBe("sent_email");
    expect(sent.active).toBe("code");
    expect(messageIds(sent)).toEqual([1060003]);
    expect(inputs(sent).find((n) => n.name === "code")).toMatchObject({
      type: "text",
      required: true,
      pattern: "[0-9]+",
      maxlength: 6,
    });
    expect(inputs(sent).find((n) => n.name === "code")).not.toHaveProperty("autocomplete");

    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe("Olympus: Recover access to your account");
    expect(mail.from).toBe('"Olympus" <no-reply@ciam.localhost>');
    expect(mail.html).toContain(codeFrom(mail));

    const { data: done } = await submitCode(sent, codeFrom(mail));
    expect(done.state).toBe("passed_challenge");
    const continueWith = done.continue_with as ContinueWith[];
    const token = continueWith.find((c) => c.action === "set_ory_session_token");
    const settingsUi = continueWith.find((c) => c.action === "show_settings_ui");
    expect(token && "ory_session_token" in token).toBe(true);
    expect(settingsUi && "flow" in settingsUi ? settingsUi.flow.url : "").toMatch(/^http:\/\/ciam\.localhost:3000\/settings\?flow=/);
    const sessionToken = token && "ory_session_token" in token ? token.ory_session_token : "";
    const settingsId = settingsUi && "flow" in settingsUi ? settingsUi.flow.id : "";

    const { data: session } = await kratos.frontend.toSession({ xSessionToken: sessionToken });
    expect(session.identity?.id).toBe(identity.id);
    expect(session.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([["code_recovery", "aal1"]]);
    // Proving the inbox verifies the address, as in Kratos.
    expect(session.identity?.verifiable_addresses?.[0]).toMatchObject({ verified: true, status: "completed" });

    const { data: settings } = await kratos.frontend.getSettingsFlow({ id: settingsId, xSessionToken: sessionToken });
    expect(messageIds(settings)).toEqual([1060001]);
    const { data: saved } = await kratos.frontend.updateSettingsFlow({
      flow: settingsId,
      xSessionToken: sessionToken,
      updateSettingsFlowBody: { method: "password", password: NEW_PASSWORD },
    });
    expect(saved.state).toBe("success");

    const login = async (password: string) => {
      const { data: flow } = await kratos.frontend.createNativeLoginFlow();
      return kratos.frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "password", identifier: email, password } });
    };
    const old = await expectFailure(login(STRONG_PASSWORD));
    expect(old.status).toBe(400);
    expect((await login(NEW_PASSWORD)).status).toBe(200);
  });

  /**
   * code.Strategy.retryRecoveryFlow with continue_with transitions, for a JSON client: the retry's error
   * (flow.ErrorWithContinueWith) naming a fresh flow that carries the error as message 4000001.
   */
  async function expectRetried(attempt: Promise<unknown>, reason: string): Promise<void> {
    const failure = await expectFailure(attempt);
    expect(failure.status).toBe(400);
    const error = failure.data.error as { reason: string; details: { continue_with: { action: string; flow: { id: string } }[] } };
    expect(error.reason).toBe(reason);
    const [next] = error.details.continue_with;
    expect(next?.action).toBe("show_recovery_ui");
    expect(Object.keys(next?.flow ?? {})).toEqual(["id"]);
    const { data: fresh } = await kratos.frontend.getRecoveryFlow({ id: next?.flow.id ?? "" });
    expect(fresh.state).toBe("choose_method");
    expect(fresh.ui.messages?.map((m) => [m.id, m.text])).toEqual([[4000001, reason]]);
  }

  it("rejects a wrong code and an expired code with 4060006; a used code and too many attempts start over (useOneTimeCode, retryRecoveryFlow)", async () => {
    const email = uniqueEmail("wrong");
    await createIdentity(kratos, email);

    const flow = await requestCode(email);
    const code = codeFrom(await smtp.waitFor(email));
    const wrong = (await submitCode(flow, code === "000000" ? "111111" : "000000")).data;
    expect(wrong.state).toBe("sent_email");
    expect(messageIds(wrong)).toEqual([4060006]);

    // Used: the right code works once; a second flow can't reuse it, nor can the first.
    expect((await submitCode(flow, code)).data.state).toBe("passed_challenge");
    await expectRetried(submitCode(flow, code), "The code was already used. Please request another code.");
    // A passed flow submitted with an address starts over too, carrying 4060001. Kratos' retry has no error to put
    // continue_with on here (it fails on the missing error); this server answers as without the transitions.
    const resent = await fetch(`${kratos.publicUrl}/self-service/recovery?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "code", email }),
      redirect: "manual",
    });
    expect(resent.status).toBe(303);
    const restarted = (await (await fetch(new URL(resent.headers.get("location") ?? "", kratos.publicUrl))).json()) as RecoveryFlow;
    expect(restarted.id).not.toBe(flow.id);
    expect(messageIds(restarted)).toEqual([4060001]);
    const other = await requestCode(email);
    await smtp.waitFor(email);
    expect(messageIds((await submitCode(other, code)).data)).toEqual([4060006]);

    // Expired.
    const late = await requestCode(email);
    const lateCode = codeFrom(await smtp.waitFor(email));
    await pg.query(
      "UPDATE selfservice_recovery_tokens SET expires_at = now() - interval '1 second' WHERE flow_id = $1",
      [late.id],
      "ciam_code_recovery",
    );
    expect(messageIds((await submitCode(late, lateCode)).data)).toEqual([4060006]);

    // Five guesses per flow, then even the right code is refused.
    const guarded = await requestCode(email);
    const guardedCode = codeFrom(await smtp.waitFor(email));
    for (let i = 0; i < 5; i++) await submitCode(guarded, "999999" === guardedCode ? "888888" : "999999");
    await expectRetried(submitCode(guarded, guardedCode), "The request was submitted too often. Please request another code.");
  });

  it("keeps the v1 screens with feature_flags.choose_recovery_address off; `screen=previous` still turns a flow into a v2 one, as Kratos' Recover checks it before the state", async () => {
    const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
    expect(flow.state).toBe("choose_method");
    expect(inputs(flow).map((n) => n.name)).toEqual(["csrf_token", "email", "method"]);
    // recoveryV2HandleGoBack: no address of an account is named, so the flow restarts at recovery_awaiting_address.
    const res = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "code", screen: "previous" }),
    });
    expect(res.status).toBe(200);
    const back = (await res.json()) as RecoveryFlow;
    expect(back.state).toBe("recovery_awaiting_address");
    expect(inputs(back).map((n) => [n.name, n.type])).toEqual([
      ["csrf_token", "hidden"],
      ["recovery_address", "text"],
      ["method", "submit"],
    ]);
  });

  it("answers an unknown address exactly like a known one and sends it nothing", async () => {
    const known = uniqueEmail("known");
    const unknown = uniqueEmail("nobody");
    await createIdentity(kratos, known);
    const a = await requestCode(unknown);
    const b = await requestCode(known);
    expect(a.state).toBe(b.state);
    expect(a.ui.messages).toEqual(b.ui.messages);
    expect(inputs(a).map((n) => n.name)).toEqual(inputs(b).map((n) => n.name));
    await smtp.waitFor(known); // the worker has run past the unknown address's request
    expect(smtp.mailsTo(unknown)).toEqual([]);
    const { data: queued } = await kratos.courier.listCourierMessages({ recipient: unknown });
    expect(queued).toEqual([]);
    expect(messageIds((await submitCode(a, "123456")).data)).toEqual([4060006]);
  });

  it("works for browsers: CSRF-protected form posts, redirect to the settings UI with a session cookie", async () => {
    const email = uniqueEmail("browser");
    await createIdentity(kratos, email);
    const browser = new TestBrowser();
    // A form post without the token lands on the error UI (security_csrf_violation), nothing is sent. The refusal
    // regenerates the anti-CSRF cookie (Recover → retryRecoveryFlow, recovery-csrf.test.ts): that flow is abandoned.
    const abandoned = await browser.request(`${kratos.publicUrl}/self-service/recovery/browser`);
    const abandonedId = new URL(abandoned.location ?? "").searchParams.get("flow") ?? "";
    const noCsrf = await browser.request(`${kratos.publicUrl}/self-service/recovery?flow=${abandonedId}`, {
      form: { method: "code", email },
    });
    expect(noCsrf.location).toMatch(/^http:\/\/ciam\.localhost:3000\/error\?id=/);
    expect(smtp.mailsTo(email)).toEqual([]);

    const init = await browser.request(`${kratos.publicUrl}/self-service/recovery/browser`);
    expect(init.status).toBe(303);
    expect(init.location).toMatch(/^http:\/\/ciam\.localhost:3000\/recovery\?flow=/);
    const flowId = new URL(init.location ?? "").searchParams.get("flow") ?? "";
    const fetchFlow = async () =>
      (await browser.request(`${kratos.publicUrl}/self-service/recovery/flows?id=${flowId}`, { headers: { Accept: "application/json" } }))
        .body as RecoveryFlow;
    const flow = await fetchFlow();

    const sent = await browser.request(`${kratos.publicUrl}/self-service/recovery?flow=${flowId}`, {
      form: { method: "code", email, csrf_token: csrfOf(flow) },
    });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe(`http://ciam.localhost:3000/recovery?flow=${flowId}`);
    expect((await fetchFlow()).state).toBe("sent_email");

    const code = codeFrom(await smtp.waitFor(email));
    const done = await browser.request(`${kratos.publicUrl}/self-service/recovery?flow=${flowId}`, {
      form: { method: "code", code, csrf_token: csrfOf(flow) },
    });
    expect(done.status).toBe(303);
    expect(done.location).toMatch(/^http:\/\/ciam\.localhost:3000\/settings\?flow=[0-9a-f-]{36}$/);
    expect(browser.cookies.get("ciam_kratos_session")).toBeDefined();
    const whoami = await browser.request(`${kratos.publicUrl}/sessions/whoami`, { headers: { Accept: "application/json" } });
    expect(whoami.status).toBe(200);

    const settingsId = new URL(done.location ?? "").searchParams.get("flow") ?? "";
    const settings = await browser.request(`${kratos.publicUrl}/self-service/settings/flows?id=${settingsId}`, {
      headers: { Accept: "application/json" },
    });
    expect(settings.status).toBe(200);
    expect(messageIds(settings.body as RecoveryFlow)).toEqual([1060001]);
  });

  it("answers an expired native flow with 410 naming its replacement in use_flow_id and continue_with (recovery.ErrorHandler.WriteFlowError)", async () => {
    const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
    await pg.query("UPDATE selfservice_flows SET expires_at = now() - interval '2 minutes' WHERE id = $1", [flow.id], "ciam_code_recovery");
    const failure = await expectFailure(
      kratos.frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: { method: "code", email: uniqueEmail("late") } }),
    );
    expect(failure.status).toBe(410);
    const error = failure.data.error as { id: string; details: { continue_with: ContinueWith[] } };
    expect(error.id).toBe("self_service_flow_expired");
    const replacement = failure.data.use_flow_id as string;
    expect(replacement).not.toBe(flow.id);
    expect(error.details.continue_with).toEqual([{ action: "show_recovery_ui", flow: { id: replacement } }]);
    const { data: fresh } = await kratos.frontend.getRecoveryFlow({ id: replacement });
    expect(fresh.type).toBe("api");
    expect(messageIds(fresh)).toEqual([4060005]);
  });

  it("issues admin recovery codes usable from a browser that never saw the flow", async () => {
    const email = uniqueEmail("admin-code");
    const identity = await createIdentity(kratos, email);
    const { status, data } = await kratos.identity.createRecoveryCodeForIdentity({
      createRecoveryCodeForIdentityBody: { identity_id: identity.id, expires_in: "10m" },
    });
    expect(status).toBe(201);
    expect(data.recovery_code).toMatch(/^\d{6}$/);
    expect(data.recovery_link).toMatch(/^http:\/\/ciam\.localhost:3000\/recovery\?flow=/);
    expect(new Date(data.expires_at ?? "").getTime() - Date.now()).toBeGreaterThan(9 * 60_000);

    const flowId = new URL(data.recovery_link).searchParams.get("flow") ?? "";
    const browser = new TestBrowser();
    const flow = await browser.request(`${kratos.publicUrl}/self-service/recovery/flows?id=${flowId}`, {
      headers: { Accept: "application/json" },
    });
    expect(flow.status).toBe(200);
    expect((flow.body as RecoveryFlow).state).toBe("sent_email");
    expect(inputs(flow.body as RecoveryFlow).some((n) => n.name === "email")).toBe(false);
    const done = await browser.request(`${kratos.publicUrl}/self-service/recovery?flow=${flowId}`, {
      json: { method: "code", code: data.recovery_code },
    });
    expect(done.status).toBe(200);
    expect((done.body as RecoveryFlow).continue_with?.[0]).toMatchObject({ action: "show_settings_ui" });
    expect(browser.cookies.get("ciam_kratos_session")).toBeDefined();

    const unknown = await expectFailure(
      kratos.identity.createRecoveryCodeForIdentity({
        createRecoveryCodeForIdentityBody: { identity_id: "00000000-0000-4000-8000-000000000000" },
      }),
    );
    expect(unknown.status).toBe(404);
    const badExpiry = await expectFailure(
      kratos.identity.createRecoveryCodeForIdentity({ createRecoveryCodeForIdentityBody: { identity_id: identity.id, expires_in: "-5m" } }),
    );
    expect(badExpiry.status).toBe(400);
  });
});

describe("recovery with Kratos' default transitions (feature_flags.use_continue_with_transitions unset)", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_code_recovery_legacy", smtp);
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  async function adminCode(flowType: "browser" | "api") {
    const identity = await createIdentity(kratos, uniqueEmail(`legacy-${flowType}`), STRONG_PASSWORD);
    const { data } = await kratos.identity.createRecoveryCodeForIdentity({
      createRecoveryCodeForIdentityBody: { identity_id: identity.id, flow_type: flowType },
    });
    return { identity, flowId: new URL(data.recovery_link).searchParams.get("flow") ?? "", code: data.recovery_code };
  }

  it("tells an SPA to move the browser to the settings UI (422 browser_location_change_required) and signs it in", async () => {
    const { identity, flowId, code } = await adminCode("browser");
    const browser = new TestBrowser();
    const done = await browser.request(`${kratos.publicUrl}/self-service/recovery?flow=${flowId}`, { json: { method: "code", code } });
    expect(done.status).toBe(422);
    const body = done.body as { error: { id: string; code: number; reason: string }; redirect_browser_to: string };
    expect(body.error).toMatchObject({ id: "browser_location_change_required", code: 422 });
    expect(body.redirect_browser_to).toMatch(/^http:\/\/ciam\.localhost:3000\/settings\?flow=[0-9a-f-]{36}$/);
    expect(body.error.reason).toContain(body.redirect_browser_to);

    const whoami = await browser.request(`${kratos.publicUrl}/sessions/whoami`);
    expect((whoami.body as { identity: { id: string } }).identity.id).toBe(identity.id);
    const settingsId = new URL(body.redirect_browser_to).searchParams.get("flow") ?? "";
    const settings = await browser.request(`${kratos.publicUrl}/self-service/settings/flows?id=${settingsId}`, {
      headers: { Accept: "application/json" },
    });
    expect(settings.status).toBe(200);
    expect(messageIds(settings.body as RecoveryFlow)).toEqual([1060001]);
  });

  it("answers a native app's JSON submission the same way, through @ory/client (no session token without the transitions)", async () => {
    const { flowId, code } = await adminCode("api");
    const done = await expectFailure(
      kratos.frontend.updateRecoveryFlow({ flow: flowId, updateRecoveryFlowBody: { method: "code", code } }),
    );
    expect(done.status).toBe(422);
    expect((done.data.error as { id: string }).id).toBe("browser_location_change_required");
    expect(done.data.redirect_browser_to).toMatch(/^http:\/\/ciam\.localhost:3000\/settings\?flow=/);
    expect(done.data).not.toHaveProperty("continue_with");
  });

  it("still redirects a classic form post (303 to the settings UI)", async () => {
    const { flowId, code } = await adminCode("browser");
    const browser = new TestBrowser();
    const flow = await browser.request(`${kratos.publicUrl}/self-service/recovery/flows?id=${flowId}`, {
      headers: { Accept: "application/json" },
    });
    const done = await browser.request(`${kratos.publicUrl}/self-service/recovery?flow=${flowId}`, {
      form: { method: "code", code, csrf_token: csrfOf(flow.body as RecoveryFlow) },
    });
    expect(done.status).toBe(303);
    expect(done.location).toMatch(/^http:\/\/ciam\.localhost:3000\/settings\?flow=/);
    expect(browser.cookies.get("ciam_kratos_session")).toBeDefined();
  });
});
