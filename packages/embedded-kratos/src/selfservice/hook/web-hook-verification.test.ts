import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { codeFrom, linkFrom, TestSmtpServer } from "../../courier/test-smtp";
import { startKratos, startTestPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../../testing/harness";
import { TestBrowser } from "../../testing/browser";
import { HookTarget, webHook } from "./testing/hook-target";

/** A can_interrupt refusal: one message for the email trait. */
const REFUSAL = {
  status: 403,
  body: { messages: [{ instance_ptr: "#/traits/email", messages: [{ id: 4711, text: "not from here", type: "error" }] }] },
};

type FlowJson = { id: string; state: string; ui: { action: string; messages?: { id: number }[]; nodes: NodeJson[] } };
type NodeJson = { attributes: { name?: string }; messages: { id: number; text: string }[] };

/**
 * `web_hook` in `selfservice.flows.verification.after.hooks`:
 * verification.HookExecutor.PostVerificationHook (selfservice/flow/verification/hook.go)
 * calling WebHook.ExecutePostVerificationHook (selfservice/hook/web_hook.go) at the end of
 * code.Strategy.verificationUseCode and link.Strategy.verificationUseToken
 * (strategy/{code,link}/strategy_verification.go): after the address is verified and the
 * passed flow stored; a refusal goes through retryVerificationFlowWithError.
 */
describe("web_hook after verification (ExecutePostVerificationHook)", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: TestKratos;
  const target = new HookTarget();

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start(), target.start()]);
    kratos = await startKratos(pg, "web_hook_after_verification", {
      configOverrides: {
        dev: true,
        courier: {
          smtp: { connection_uri: smtp.connectionUri, from_address: "no-reply@ciam.localhost", from_name: "Olympus" },
          worker: { pull_wait: "100ms" },
        },
        selfservice: { flows: { verification: { after: { hooks: [webHook(`${target.url}/verified`, { can_interrupt: true })] } } } },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
    await target.stop();
  });
  beforeEach(() => target.reset());

  const send = async (url: string, init: { method?: string; json?: Record<string, unknown> } = {}) => {
    const response = await fetch(url, {
      method: init.method ?? (init.json ? "POST" : "GET"),
      redirect: "manual",
      headers: { Accept: "application/json", ...(init.json ? { "Content-Type": "application/json" } : {}) },
      ...(init.json ? { body: JSON.stringify(init.json) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      location: response.headers.get("location"),
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  };
  const flowJson = async (id: string) => (await send(`${kratos.publicUrl}/self-service/verification/flows?id=${id}`)).body as FlowJson;

  /** An identity with an unverified address and an API verification flow that mailed it (by `method`). */
  async function mailed(prefix: string, method: "code" | "link") {
    const email = uniqueEmail(prefix);
    const { data: identity } = await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email } } });
    const flow = (await send(`${kratos.publicUrl}/self-service/verification/api`)).body as FlowJson;
    const sent = await send(flow.ui.action, { json: { method, email } });
    expect(sent.status).toBe(200);
    return { email, identityId: identity.id, flowId: flow.id, action: flow.ui.action, mail: await smtp.waitFor(email) };
  }
  const verified = async (identityId: string) =>
    (await kratos.identity.getIdentity({ id: identityId })).data.verifiable_addresses?.[0]?.verified === true;

  it("verificationUseCode: the hook runs once the address is verified, with the passed flow, the identity and the request", async () => {
    const { identityId, flowId, action, mail } = await mailed("after-verify-code", "code");
    const done = await send(action, { json: { method: "code", code: codeFrom(mail) } });
    expect(done.status).toBe(200);
    expect(done.body.state).toBe("passed_challenge");
    const [call] = target.to("/verified");
    expect(call?.body.flow_id).toBe(flowId);
    expect(call?.body.session_id).toBeNull();
    expect(call?.body.method).toBe("POST");
    expect(call?.body.url).toBe(action);
    const identity = call?.body.identity as { id: string; verifiable_addresses: { verified: boolean; status: string }[] };
    expect(identity.id).toBe(identityId);
    expect(identity.verifiable_addresses[0]).toMatchObject({ verified: true, status: "completed" });
  });

  it("verificationUseCode + retryVerificationFlowWithError: a refusal leaves the address verified and answers a new flow carrying its messages", async () => {
    target.answers["/verified"] = REFUSAL;
    const { identityId, flowId, action, mail } = await mailed("after-verify-refused", "code");
    const refused = await send(action, { json: { method: "code", code: codeFrom(mail) } });
    // JSON clients: flow.NewFlowReplacedError naming the new flow.
    expect(refused.status).toBe(410);
    const error = refused.body.error as { id: string; reason: string };
    expect(error.id).toBe("self_service_flow_replaced");
    expect(error.reason).toBe("An error occured, please retry the flow.");
    const retry = await flowJson(refused.body.use_flow_id as string);
    expect(retry.id).not.toBe(flowId);
    expect(retry.state).toBe("choose_method");
    // ui ParseError: the message lands on a node named after the pointer (a new one when the form has none).
    const node = retry.ui.nodes.find((n) => n.attributes.name === "traits.email");
    expect(node?.messages).toEqual([expect.objectContaining({ id: 4711, text: "not from here" })]);
    // The hook ran after the verification was stored: neither is undone.
    expect(await verified(identityId)).toBe(true);
    expect((await flowJson(flowId)).state).toBe("passed_challenge");
  });

  it("verificationUseToken + retryVerificationFlowWithError: a refused link sends the browser to a new browser flow carrying the messages", async () => {
    target.answers["/verified"] = REFUSAL;
    const { identityId, flowId, mail } = await mailed("after-verify-link", "link");
    // A browser (TestBrowser keeps the new CSRF cookie the retry sets, which reading a browser flow needs).
    const browser = new TestBrowser();
    const opened = await browser.request(linkFrom(mail, `${kratos.publicUrl}/self-service/verification?`));
    expect(opened.status).toBe(303);
    const retryId = new URL(opened.location ?? "").searchParams.get("flow") ?? "";
    expect(opened.location).toBe(`http://ciam.localhost:3000/verification?flow=${retryId}`);
    expect(retryId).not.toBe(flowId);
    const retry = (
      await browser.request(`${kratos.publicUrl}/self-service/verification/flows?id=${retryId}`, {
        headers: { Accept: "application/json" },
      })
    ).body as FlowJson;
    expect(retry.ui.nodes.find((n) => n.attributes.name === "traits.email")?.messages).toEqual([expect.objectContaining({ id: 4711 })]);
    expect(target.to("/verified")).toHaveLength(1);
    expect(await verified(identityId)).toBe(true);
  });
});
