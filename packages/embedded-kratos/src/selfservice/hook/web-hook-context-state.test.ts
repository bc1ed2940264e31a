import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";
import { HookTarget, webHook } from "./testing/hook-target";

/**
 * selfservice/hook/web_hook.go parseWebhookResponse end to end: a message's
 * `context` (detailedMessage.Context, a json.RawMessage) as the flow answers
 * show it, and a 200's identity `state` stored unchecked (then judged by
 * Identity.IsActive, and by identity/handler.go's State.IsValid only when the
 * admin API changes it).
 */
describe("web_hook answers: message context and identity state (selfservice/hook/web_hook.go)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const target = new HookTarget();

  beforeAll(async () => {
    await target.start();
    ({ pg, kratos } = await startKratosWithPostgres("web_hook_context_state", {
      configOverrides: {
        selfservice: {
          flows: {
            registration: {
              after: { password: { hooks: [webHook(`${target.url}/registration`, { response: { parse: true } }), { hook: "session" }] } },
            },
          },
        },
      },
    }));
  });
  afterAll(async () => {
    await stopKratosAndPostgres(kratos, pg);
    await target.stop();
  });
  beforeEach(() => target.reset());

  async function register(email: string) {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const response = await fetch(`${kratos.publicUrl}/self-service/registration?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", traits: { email }, password: STRONG_PASSWORD }),
    });
    return { flowId: flow.id, status: response.status, text: await response.text() };
  }

  it("parseWebhookResponse → text.Message: any JSON context is kept (null too) and answered as Kratos' re-read flow shows it", async () => {
    target.answers["/registration"] = {
      status: 422,
      text:
        '{"messages":[{"instance_ptr":"#/traits/email","messages":[{"id":4711,"text":"blocked","type":"error",' +
        '"context": {"why": "<spam>", "a": [1, "x"], "n": 1e2}}]},' +
        '{"instance_ptr":"#/","messages":[{"id":4712,"text":"n","type":"info","context":null},' +
        '{"id":4713,"text":"s","type":"info","context":"later"},{"id":4714,"text":"none","type":"info"}]}]}',
    };
    const { flowId, status, text } = await register(uniqueEmail("hook-context"));
    expect(status).toBe(400);
    // The error handlers answer the flow read back from jsonb: keys by length then bytes, `1e2` as 100, Go's HTML escapes.
    const onEmail = '{"id":4711,"text":"blocked","type":"error","context":{"a":[1,"x"],"n":100,"why":"\\u003cspam\\u003e"}}';
    const onFlow =
      '"messages":[{"id":4712,"text":"n","type":"info","context":null},{"id":4713,"text":"s","type":"info","context":"later"},' +
      '{"id":4714,"text":"none","type":"info"}]';
    expect(text).toContain(onEmail);
    expect(text).toContain(onFlow);

    // The stored flow answers the same texts.
    const stored = await (await fetch(`${kratos.publicUrl}/self-service/registration/flows?id=${flowId}`)).text();
    expect(stored).toContain(onEmail);
    expect(stored).toContain(onFlow);
  });

  it("a context read back from the stored flow (a later GET) is jsonb's text too: integer-like keys by length, numbers' text kept", async () => {
    target.answers["/registration"] = {
      status: 422,
      text: '{"messages":[{"instance_ptr":"#/","messages":[{"id":4715,"text":"t","type":"error","context":{"10":1,"b":2.50,"a":[1e2]}}]}]}',
    };
    const { flowId, status, text } = await register(uniqueEmail("hook-context-reread"));
    expect(status).toBe(400);
    // text.Message.Context (json.RawMessage) scanned from the ui jsonb column: jsonb's key order and numeric's text.
    const shown = '{"id":4715,"text":"t","type":"error","context":{"a":[100],"b":2.50,"10":1}}';
    expect(text).toContain(shown);
    const stored = await (await fetch(`${kratos.publicUrl}/self-service/registration/flows?id=${flowId}`)).text();
    expect(stored).toContain(shown);
  });

  it("parseWebhookResponse: a 200's state beyond active/inactive is stored; only `active` is active, and the admin API keeps State.IsValid", async () => {
    target.answers["/registration"] = { status: 200, body: { identity: { state: "blocked" } } };
    const email = uniqueEmail("hook-state");
    const { status, text } = await register(email);
    // The session hook's ActivateSession: !Identity.IsActive() is ErrIdentityDisabled.
    expect(status).toBe(401);
    const refusal = JSON.parse(text) as { error: { reason: string; details: { identity_id: string } } };
    expect(refusal.error.reason).toBe("This account was disabled.");
    const id = refusal.error.details.identity_id;

    // Stored and answered as the hook set it.
    const { data: stored } = await kratos.identity.getIdentity({ id });
    expect(stored.state).toBe("blocked");

    // Signing in: the login's session activation refuses it as disabled.
    const { data: loginFlow } = await kratos.frontend.createNativeLoginFlow();
    const login = await fetch(`${kratos.publicUrl}/self-service/login?flow=${loginFlow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", identifier: email, password: STRONG_PASSWORD }),
    });
    expect(login.status).toBe(401);

    // identity/handler.go update: the unchanged state is not checked again; another one must be valid.
    const put = (state: string) =>
      fetch(`${kratos.adminUrl}/admin/identities/${id}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ schema_id: stored.schema_id, traits: { email }, state }),
      });
    const same = await put("blocked");
    expect(same.status).toBe(200);
    expect(((await same.json()) as { state: string }).state).toBe("blocked");
    const other = await put("frozen");
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: { reason: string } }).error.reason).toBe("identity state is not valid");
    expect((await kratos.identity.getIdentity({ id })).data.state).toBe("blocked");
  });

  it("identities.state is VARCHAR(255) as in Kratos: 255 characters are stored, a longer state fails the store (a 500)", async () => {
    target.answers["/registration"] = { status: 200, body: { identity: { state: "é".repeat(255) } } };
    const stored = await register(uniqueEmail("hook-state-255"));
    expect(stored.status).toBe(401);
    target.answers["/registration"] = { status: 200, body: { identity: { state: "é".repeat(256) } } };
    const failed = await register(uniqueEmail("hook-state-256"));
    // Kratos' answer carries the database's error text; this server never puts SQL errors in answers.
    expect(failed.status).toBe(500);
  });
});
