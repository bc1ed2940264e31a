import type { ContinueWith, VerificationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeFrom, linkFrom } from "../../../courier/test-smtp";
import { TestBrowser } from "../../../testing/browser";
import { startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestPostgres } from "../../../testing/harness";
import { csrfOf, inputs, messageIds, startMailKratos, TestSmtpServer, type MailKratos } from "./test-helpers";

const DATABASE = "ciam_code_link";
const CSRF_COOKIE = /^csrf_token_[0-9a-f]{64}$/;

// The mail of the code method carries a link as well as the code. These follow
// selfservice/strategy/code/strategy_verification.go (Verify, handleLinkClick,
// verificationUseCode, retryVerificationFlowWith{Message,Error}),
// code_sender.go (constructVerificationLink) and
// selfservice/flow/verification/{handler.go (updateVerificationFlow), error.go (WriteFlowError)}.
describe("verification by the link in a code mail", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, DATABASE, smtp);
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  /** A browser sign-up (its verification flow is a browser flow, as Hera's are); returns the flow id, the mail and the identity. */
  async function signUp(prefix: string) {
    const email = uniqueEmail(prefix);
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/registration/browser`, {
      headers: { Accept: "application/json" },
    });
    const flow = init.body as { ui: { action: string; nodes: unknown[] } };
    const done = await browser.request(flow.ui.action, {
      json: {
        method: "password",
        password: STRONG_PASSWORD,
        traits: { email },
        csrf_token: csrfOf(flow as { ui: { nodes: { attributes: unknown }[] } }),
      },
    });
    expect(done.status).toBe(200);
    const body = done.body as { identity: { id: string }; continue_with: ContinueWith[] };
    const show = body.continue_with.find((c) => c.action === "show_verification_ui");
    const flowId = show && "flow" in show ? show.flow.id : "";
    const mail = await smtp.waitFor(email);
    return { email, flowId, mail, identityId: body.identity.id, link: linkFrom(mail, `${kratos.publicUrl}/self-service/verification?`) };
  }

  const verified = async (identityId: string) =>
    (await kratos.identity.getIdentity({ id: identityId })).data.verifiable_addresses?.[0]?.verified === true;
  const fetchFlow = (browser: TestBrowser, id: string) =>
    browser.request(`${kratos.publicUrl}/self-service/verification/flows?id=${id}`, { headers: { Accept: "application/json" } });

  it("constructVerificationLink: <link base_url>self-service/verification?code=…&flow=… (Go's url.Values order)", async () => {
    const { link, flowId, mail } = await signUp("link-url");
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe(`${kratos.publicUrl}/self-service/verification`);
    expect([...url.searchParams.keys()]).toEqual(["code", "flow"]);
    expect(url.searchParams.get("flow")).toBe(flowId);
    expect(url.searchParams.get("code")).toBe(codeFrom(mail));
  });

  it("handleLinkClick: another browser opening the link gets a CSRF cookie the flow accepts and the pre-filled code; only the submission verifies", async () => {
    const { link, flowId, mail, identityId, email } = await signUp("other-device");
    const phone = new TestBrowser();
    const opened = await phone.request(link);
    expect(opened.status).toBe(303);
    expect(opened.location).toBe(`http://ciam.localhost:3000/verification?flow=${flowId}`);
    expect([...phone.cookies.keys()].some((name) => CSRF_COOKIE.test(name))).toBe(true);
    // Opening the link verifies nothing by itself (mail scanners open links too).
    expect(await verified(identityId)).toBe(false);

    const fetched = await fetchFlow(phone, flowId);
    expect(fetched.status).toBe(200);
    const flow = fetched.body as VerificationFlow;
    expect(flow.state).toBe("sent_email");
    expect(inputs(flow).find((n) => n.name === "code")?.value).toBe(codeFrom(mail));
    // The resend button keeps the address (hook.Verifier appends it), so a UI can offer a new mail.
    expect(inputs(flow).find((n) => n.name === "email")).toMatchObject({ type: "submit", value: email });

    const submitted = await phone.request(flow.ui.action, {
      form: { method: "code", code: codeFrom(mail), csrf_token: csrfOf(flow) },
      headers: { Accept: "text/html" },
    });
    expect(submitted.status).toBe(303);
    expect(submitted.location).toBe(`http://ciam.localhost:3000/verification?flow=${flowId}`);
    const done = (await fetchFlow(phone, flowId)).body as VerificationFlow;
    expect(done.state).toBe("passed_challenge");
    expect(messageIds(done)).toEqual([1080002]);
    expect(await verified(identityId)).toBe(true);
  });

  it("handleLinkClick on an API flow appends the new CSRF node after the code form (container.go SetCSRF: Nodes.Upsert)", async () => {
    const { email } = await signUp("link-api");
    const started = await fetch(`${kratos.publicUrl}/self-service/verification/api`);
    const flow = (await started.json()) as VerificationFlow;
    const sent = await fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "code", email }),
    });
    expect(sent.status).toBe(200);
    const mail = await smtp.waitFor(email);
    // The code strategy gives an API flow no CSRF node (PopulateMethod sets it for browser flows only).
    const before = (await sent.json()) as VerificationFlow;
    expect(inputs(before).some((n) => n.name === "csrf_token")).toBe(false);

    const opened = await new TestBrowser().request(linkFrom(mail, `${kratos.publicUrl}/self-service/verification?`));
    expect(opened.status).toBe(303);
    const after = (await (await fetch(`${kratos.publicUrl}/self-service/verification/flows?id=${flow.id}`)).json()) as VerificationFlow;
    expect(inputs(after).map((n) => n.name)).toEqual([...inputs(before).map((n) => n.name), "csrf_token"]);
  });

  it("handleLinkClick redirects JSON clients as well (it always answers with the UI)", async () => {
    const { link, flowId } = await signUp("link-json");
    const opened = await new TestBrowser().request(link, { headers: { Accept: "application/json" } });
    expect(opened.status).toBe(303);
    expect(opened.location).toBe(`http://ciam.localhost:3000/verification?flow=${flowId}`);
  });

  it("Verify on passed_challenge: the link opened again starts a new flow with 4070002 (retryVerificationFlowWithMessage)", async () => {
    const { link, flowId, mail } = await signUp("link-twice");
    const browser = new TestBrowser();
    await browser.request(link);
    await browser.request(`${kratos.publicUrl}/self-service/verification?flow=${flowId}`, {
      json: { method: "code", code: codeFrom(mail) },
    });
    const again = await browser.request(link);
    expect(again.status).toBe(303);
    const retryId = new URL(again.location ?? "").searchParams.get("flow") ?? "";
    expect(again.location).toBe(`http://ciam.localhost:3000/verification?flow=${retryId}`);
    expect(retryId).not.toBe(flowId);
    expect(messageIds((await fetchFlow(browser, retryId)).body as VerificationFlow)).toEqual([4070002]);

    // JSON clients get 410 self_service_flow_replaced naming the new flow.
    const json = await browser.request(`${kratos.publicUrl}/self-service/verification?flow=${flowId}`, {
      json: { method: "code", code: codeFrom(mail) },
    });
    expect(json.status).toBe(410);
    expect(json.body).toMatchObject({
      error: { id: "self_service_flow_replaced", code: 410, reason: "An error occured, please use the new flow." },
    });
    const replacement = (json.body as { use_flow_id: string }).use_flow_id;
    expect(messageIds((await fetchFlow(browser, replacement)).body as VerificationFlow)).toEqual([4070002]);
  });

  it("verificationUseCode: an expired code starts a new flow saying 4070005 (retryVerificationFlowWithError); the address stays unverified", async () => {
    const { link, flowId, mail, identityId } = await signUp("code-expired");
    await pg.query(
      "UPDATE selfservice_verification_tokens SET expires_at = now() - interval '1 second' WHERE flow_id = $1",
      [flowId],
      DATABASE,
    );
    const phone = new TestBrowser();
    expect((await phone.request(link)).status).toBe(303);
    const flow = (await fetchFlow(phone, flowId)).body as VerificationFlow;
    const submitted = await phone.request(flow.ui.action, {
      form: { method: "code", code: codeFrom(mail), csrf_token: csrfOf(flow) },
      headers: { Accept: "text/html" },
    });
    expect(submitted.status).toBe(303);
    const newId = new URL(submitted.location ?? "").searchParams.get("flow") ?? "";
    expect(newId).not.toBe(flowId);
    const replacement = (await fetchFlow(phone, newId)).body as VerificationFlow;
    expect(replacement.state).toBe("choose_method");
    expect(messageIds(replacement)).toEqual([4070005]);
    expect(await verified(identityId)).toBe(false);

    // JSON: 410 self_service_flow_expired with the new flow's id.
    const json = await phone.request(flow.ui.action, { json: { method: "code", code: codeFrom(mail) } });
    expect(json.status).toBe(410);
    expect(json.body).toMatchObject({ error: { id: "self_service_flow_expired" } });
    expect((json.body as { use_flow_id: string }).use_flow_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("ErrorHandler.WriteFlowError: a link to an expired flow sends the browser to a new flow saying 4070005", async () => {
    const { link, flowId, identityId } = await signUp("flow-expired");
    await pg.query("UPDATE selfservice_flows SET expires_at = now() - interval '2 minutes' WHERE id = $1", [flowId], DATABASE);
    const phone = new TestBrowser();
    const opened = await phone.request(link);
    expect(opened.status).toBe(303);
    const newId = new URL(opened.location ?? "").searchParams.get("flow") ?? "";
    expect(opened.location).toBe(`http://ciam.localhost:3000/verification?flow=${newId}`);
    expect(newId).not.toBe(flowId);
    const replacement = await fetchFlow(phone, newId);
    expect(replacement.status).toBe(200);
    expect(messageIds(replacement.body as VerificationFlow)).toEqual([4070005]);
    expect(await verified(identityId)).toBe(false);
  });
});
