import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadKratosConfig } from "../../config/load";
import {
  CIAM_CONFIG,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";
import { configuredHookEntries, unsupportedHooks } from "./registry";
import { HookTarget, TEMPLATE, webHook } from "./testing/hook-target";

const TEMPLATE_PATH = "/template.jsonnet";

/**
 * selfservice/hook/web_hook.go WebHook, run by the embedded Kratos against a
 * real target: the request (execute, templateContext, RemoveDisallowedHeaders,
 * request.Builder auth and body), and what the answer does to the flow
 * (parseWebhookResponse, the 502 for a failed target).
 */
describe("web_hook (selfservice/hook/web_hook.go)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const target = new HookTarget();

  beforeAll(async () => {
    target.templates[TEMPLATE_PATH] = TEMPLATE;
    await target.start();
    const t = target.url;
    ({ pg, kratos } = await startKratosWithPostgres("web_hook", {
      configOverrides: {
        selfservice: {
          flows: {
            registration: {
              after: {
                password: {
                  hooks: [
                    webHook(`${t}/registration`, { response: { parse: true } }),
                    webHook(`${t}/registration-post`, {
                      auth: { type: "api_key", config: { name: "X-Hook-Key", value: "k1", in: "header" } },
                    }),
                    { hook: "session" },
                  ],
                },
              },
            },
            login: {
              after: {
                password: {
                  hooks: [
                    webHook(`${t}/login`, { can_interrupt: true }),
                    webHook(`${t}/login-ignored`, { response: { ignore: true }, body: `${t}${TEMPLATE_PATH}` }),
                  ],
                },
              },
            },
            settings: { after: { profile: { hooks: [webHook(`${t}/settings`)] } } },
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

  async function post(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await fetch(`${kratos.publicUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function register(email: string) {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const answer = await post(
      `/self-service/registration?flow=${flow.id}`,
      { method: "password", traits: { email }, password: STRONG_PASSWORD },
      { "User-Agent": "hook-test", "X-Secret": "not-for-hooks" },
    );
    return { flow, ...answer };
  }

  async function login(email: string) {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const answer = await post(`/self-service/login?flow=${flow.id}`, { method: "password", identifier: email, password: STRONG_PASSWORD });
    return { flow, ...answer };
  }

  const uiMessages = (flow: Record<string, unknown>) => (flow.ui as { messages?: unknown[] }).messages ?? [];
  const nodeMessages = (flow: Record<string, unknown>, name: string) =>
    (flow.ui as { nodes: { attributes: { name?: string }; messages: unknown[] }[] }).nodes.find((n) => n.attributes.name === name)
      ?.messages;

  it("ExecutePostRegistrationPrePersistHook + parseWebhookResponse: a 200 with parse replaces metadata before the identity is stored", async () => {
    target.answers["/registration"] = { status: 200, body: { identity: { metadata_public: { plan: "gold" } } } };
    const email = uniqueEmail("hook-parse");
    const { flow, status, body } = await register(email);
    expect(status).toBe(200);
    const id = (body.identity as { id: string }).id;
    const { data: stored } = await kratos.identity.getIdentity({ id });
    expect(stored.metadata_public).toEqual({ plan: "gold" });

    // The pre-persist call sees the identity as it will be stored; the flow is the API's flow JSON.
    const [pre] = target.to("/registration");
    expect(pre?.body.flow_id).toBe(flow.id);
    expect(pre?.body.flow_type).toBe("api");
    expect((pre?.body.identity as { traits: unknown }).traits).toEqual({ email });
    expect(pre?.body.session_id).toBeNull();
    // RemoveDisallowedHeaders: only the allow-listed request headers reach the template.
    const headers = pre?.body.headers as Record<string, string[]>;
    expect(headers).toMatchObject({ Accept: ["application/json"], "Content-Type": ["application/json"], "User-Agent": ["hook-test"] });
    expect(headers["X-Secret"]).toBeUndefined();
    expect(pre?.body.cookies).toEqual({});
    expect(pre?.body.method).toBe("POST");
    expect(pre?.headers["ory-webhook-trigger-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("ExecutePostRegistrationPrePersistHook: traits a 200 replaces are validated against the schema again before the identity is stored", async () => {
    target.answers["/registration"] = { status: 200, body: { identity: { traits: { email: "not-an-address" } } } };
    const email = uniqueEmail("hook-traits");
    const { status, body } = await register(email);
    expect(status).toBe(400);
    // The schema's own message for the address, as a sign-up with that address gets it.
    expect(nodeMessages(body, "traits.email")).toEqual([expect.objectContaining({ id: 4000040, type: "error" })]);
    const { data: found } = await kratos.identity.listIdentities({ credentialsIdentifier: email });
    expect(found).toEqual([]);

    target.answers["/registration"] = { status: 200, body: { identity: { traits: { email: `changed-${email}` } } } };
    const changed = await register(email);
    expect(changed.status).toBe(200);
    expect((changed.body.identity as { traits: unknown }).traits).toEqual({ email: `changed-${email}` });
  });

  it("ExecutePostRegistrationPostPersistHook: a hook without parse / can_interrupt is called after the identity is stored, with its auth", async () => {
    const email = uniqueEmail("hook-post");
    const { status, body } = await register(email);
    expect(status).toBe(200);
    await expect.poll(() => target.to("/registration-post").length).toBe(1);
    const [call] = target.to("/registration-post");
    expect(call?.headers["x-hook-key"]).toBe("k1");
    expect((call?.body.identity as { id: string }).id).toBe((body.identity as { id: string }).id);
  });

  it("parseWebhookResponse: a status ≥ 400 with messages stops the sign-up with them, on the node the instance_ptr names", async () => {
    target.answers["/registration"] = {
      status: 409,
      body: {
        messages: [
          {
            instance_ptr: "#/traits/email",
            messages: [{ id: 1234, text: "this address is blocked", type: "error", context: { why: "spam" } }],
          },
          { instance_ptr: "#/", messages: [{ id: 1235, text: "come back later", type: "validation" }] },
        ],
      },
    };
    const email = uniqueEmail("hook-refused");
    const { status, body } = await register(email);
    expect(status).toBe(400);
    expect(nodeMessages(body, "traits.email")).toEqual([
      { id: 1234, text: "this address is blocked", type: "error", context: { why: "spam" } },
    ]);
    // Any type but "error" is info (text.Info).
    expect(uiMessages(body)).toEqual([{ id: 1235, text: "come back later", type: "info" }]);
    const { data: found } = await kratos.identity.listIdentities({ credentialsIdentifier: email });
    expect(found).toEqual([]);
    expect(target.to("/registration-post")).toEqual([]);
  });

  it('request.Builder BuildRequest: a template answering error "cancel" sends nothing and the flow goes on', async () => {
    const { status } = await register(uniqueEmail("cancel"));
    expect(status).toBe(200);
    expect(target.received).toEqual([]);
    // The same template sends for any other address.
    expect((await register(uniqueEmail("go-on"))).status).toBe(200);
    expect(target.to("/registration")).toHaveLength(1);
  });

  it("ExecuteLoginPostHook: the call carries the identity and the session; can_interrupt stops the login with the messages", async () => {
    const email = uniqueEmail("hook-login");
    await register(email);
    target.received.length = 0;

    const ok = await login(email);
    expect(ok.status).toBe(200);
    const [call] = target.to("/login");
    expect((call?.body.identity as { traits: unknown }).traits).toEqual({ email });
    expect(call?.body.session_id).toBe((ok.body.session as { id: string }).id);

    target.answers["/login"] = {
      status: 403,
      body: { messages: [{ instance_ptr: "", messages: [{ id: 7, text: "not today", type: "error" }] }] },
    };
    const refused = await login(email);
    expect(refused.status).toBe(400);
    expect(uiMessages(refused.body)).toEqual([{ id: 7, text: "not today", type: "error" }]);

    target.answers["/login"] = { status: 403, body: { messages: [] } };
    const empty = await login(email);
    expect(empty.status).toBe(500);
    expect((empty.body.error as { message: string }).message).toBe("error while parsing webhook response: got no validation errors");

    target.answers["/login"] = { status: 403, body: { messages: "nope" } };
    const unreadable = await login(email);
    expect(unreadable.status).toBe(500);
    expect((unreadable.body.error as { message: string }).message).toBe(
      "webhook response could not be unmarshalled properly from JSON: json: cannot unmarshal string into Go struct field rawHookResponse.messages of type []hook.errorMessage",
    );
  });

  it("PostLoginHook: a login the hook stops stores nothing — no new session, and a refresh leaves the session as it was", async () => {
    const email = uniqueEmail("hook-login-stored");
    const { body: registered } = await register(email);
    const token = registered.session_token as string;
    const identityId = (registered.identity as { id: string }).id;
    const whoami = async () => (await kratos.frontend.toSession({ xSessionToken: token })).data;
    const before = await whoami();
    target.answers["/login"] = {
      status: 403,
      body: { messages: [{ instance_ptr: "", messages: [{ id: 7, text: "not today", type: "error" }] }] },
    };

    // ExecuteLoginPostHook runs before UpsertSession: the refreshed session is not saved.
    const { data: refresh } = await kratos.frontend.createNativeLoginFlow({ refresh: true, xSessionToken: token });
    const refused = await post(
      `/self-service/login?flow=${refresh.id}`,
      { method: "password", identifier: email, password: STRONG_PASSWORD },
      { "X-Session-Token": token },
    );
    expect(refused.status).toBe(400);
    const after = await whoami();
    expect(after.authenticated_at).toBe(before.authenticated_at);
    expect(after.authentication_methods).toEqual(before.authentication_methods);

    // A fresh login the hook stops leaves no session row behind.
    expect((await login(email)).status).toBe(400);
    const { data: sessions } = await kratos.identity.listIdentitySessions({ id: identityId });
    expect(sessions.map((session) => session.id)).toEqual([before.id]);
  });

  it("execute with response.ignore: the login does not wait for the target", async () => {
    const email = uniqueEmail("hook-ignore");
    await register(email);
    let release = () => {};
    // A 400 (not a status the client retries: a retry would reach the next test's target).
    target.answers["/login-ignored"] = { status: 400, until: new Promise<void>((resolve) => (release = resolve)) };
    // The target holds its answer until the login is done: a login that waited for it would never finish.
    expect((await login(email)).status).toBe(200);
    await expect.poll(() => target.to("/login-ignored").length).toBeGreaterThan(0);
    release();
  });

  it("request.Builder readTemplate with web_hook.go's jsonnetCache: an http(s) body template is fetched once for many calls", async () => {
    const email = uniqueEmail("hook-template-cache");
    await register(email);
    const fetchesBefore = target.templateFetches;
    for (let round = 1; round <= 2; round += 1) {
      expect((await login(email)).status).toBe(200);
      await expect.poll(() => target.to("/login-ignored").length).toBe(round);
    }
    expect(target.to("/login-ignored").map((call) => call.body.flow_type)).toEqual(["api", "api"]);
    expect(target.templateFetches - fetchesBefore).toBeLessThanOrEqual(1);
  });

  it("InstrumentHTTPClientForEvents: each attempt carries a new Ory-Webhook-Request-ID, every attempt of a call the same Ory-Webhook-Trigger-ID", async () => {
    const email = uniqueEmail("hook-retry");
    const { body } = await register(email);
    const token = body.session_token as string;
    // A 503 makes the resilient client try again (go-retryablehttp DefaultRetryPolicy); RequestLogHook runs before each attempt.
    target.queued["/settings"] = [{ status: 503 }];
    const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const answer = await post(
      `/self-service/settings?flow=${flow.id}`,
      { method: "profile", traits: { email, name: { first: "Ada" } } },
      { "X-Session-Token": token },
    );
    expect(answer.status).toBe(200);
    const attempts = target.to("/settings");
    expect(attempts).toHaveLength(2);
    const [first, second] = attempts.map((call) => call.headers);
    expect(first?.["ory-webhook-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.["ory-webhook-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.["ory-webhook-request-id"]).not.toBe(first?.["ory-webhook-request-id"]);
    expect(second?.["ory-webhook-trigger-id"]).toBe(first?.["ory-webhook-trigger-id"]);
  });

  it("parseWebhookResponse + the schema extensions' merge: answered verifiable_addresses matching a trait are stored as answered (verified)", async () => {
    const email = uniqueEmail("hook-verified");
    target.answers["/registration"] = {
      status: 200,
      body: { identity: { verifiable_addresses: [{ value: email, via: "email", verified: true, status: "completed" }] } },
    };
    const { status, body } = await register(email);
    expect(status).toBe(200);
    const { data: stored } = await kratos.identity.getIdentity({ id: (body.identity as { id: string }).id });
    expect(stored.verifiable_addresses).toEqual([
      expect.objectContaining({ value: email, via: "email", verified: true, status: "completed" }),
    ]);

    // An address no trait names is not kept (extension_verification.go merge keeps only what the traits derive).
    const other = uniqueEmail("hook-unverified");
    target.answers["/registration"] = {
      status: 200,
      body: { identity: { verifiable_addresses: [{ value: `x-${other}`, via: "email", verified: true }] } },
    };
    const second = await register(other);
    const { data: unrelated } = await kratos.identity.getIdentity({ id: (second.body.identity as { id: string }).id });
    expect(unrelated.verifiable_addresses).toEqual([expect.objectContaining({ value: other, verified: false })]);
  });

  it("parseWebhookResponse + IdentityValidator.Validate: traits answered as something other than an object are taken over and refused", async () => {
    target.answers["/registration"] = { status: 200, body: { identity: { traits: "not-an-object" } } };
    const email = uniqueEmail("hook-string-traits");
    const { status, body } = await register(email);
    expect(status).toBe(400);
    expect(JSON.stringify((body.ui as { messages?: unknown }).messages ?? body.ui)).toContain("expected object, but got string");
    const { data: found } = await kratos.identity.listIdentities({ credentialsIdentifier: email });
    expect(found).toEqual([]);
  });

  it("ExecuteSettingsPostPersistHook: a failing target is Kratos' 502 (webhook failed with status code …)", async () => {
    const email = uniqueEmail("hook-settings");
    const { body } = await register(email);
    const token = body.session_token as string;
    target.answers["/settings"] = { status: 404 };
    const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const answer = await post(
      `/self-service/settings?flow=${flow.id}`,
      { method: "profile", traits: { email, name: { first: "Ada" } } },
      { "X-Session-Token": token },
    );
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({
      code: 502,
      reason: "A third-party upstream service responded improperly. Please try again later.",
      message: "webhook failed with status code 404",
    });
    const [call] = target.to("/settings");
    expect(call?.body.session_id).toEqual(expect.any(String));
  });
});

describe("web_hook configuration (embedx/config.schema.json selfServiceWebHook)", () => {
  const load = (hook: Record<string, unknown>) => () =>
    loadKratosConfig(CIAM_CONFIG, {
      warn: () => {},
      overrides: { selfservice: { flows: { login: { after: { password: { hooks: [hook] } } } } } },
    });

  it("refuses a web hook without url or method, with unknown keys, or with ignore together with parse or can_interrupt", () => {
    expect(load({ hook: "web_hook", config: { method: "POST" } })).toThrow(/url/);
    expect(load({ hook: "web_hook", config: { url: "https://example.com" } })).toThrow(/method/);
    expect(load({ hook: "web_hook", config: { url: "https://example.com", method: "POST", retries: 3 } })).toThrow(/retries/);
    expect(load({ hook: "web_hook", config: { url: "example.com/x", method: "POST" } })).toThrow(/uri/);
    expect(load({ hook: "web_hook", config: { url: "https://e.com", method: "POST", response: { ignore: true, parse: true } } })).toThrow();
    expect(
      load({ hook: "web_hook", config: { url: "https://e.com", method: "POST", response: { ignore: true }, can_interrupt: true } }),
    ).toThrow();
    expect(load({ hook: "web_hook" })).toThrow();
    expect(load({ hook: "web_hook", config: { url: "https://e.com", method: "POST", response: { parse: true } } })).not.toThrow();
  });

  it("no longer reports after-hooks of login, registration, settings and recovery as skipped", () => {
    const config = load({ hook: "web_hook", config: { url: "https://e.com", method: "POST" } })();
    expect(unsupportedHooks(config).filter((line) => line.includes("web_hook"))).toEqual([]);
  });

  it("no longer reports a web hook after verification as skipped (PostVerificationHooks runs it; start-up no longer refuses it)", () => {
    const config = loadKratosConfig(CIAM_CONFIG, {
      warn: () => {},
      overrides: {
        selfservice: {
          flows: { verification: { after: { hooks: [{ hook: "web_hook", config: { url: "https://e.com", method: "POST" } }] } } },
        },
      },
    });
    expect(unsupportedHooks(config)).toEqual([]);
  });

  it("getHooks: web hooks in before.hooks run (no longer reported); other hooks there are skipped, as no other hook is a Pre…HookExecutor", () => {
    const config = loadKratosConfig(CIAM_CONFIG, {
      warn: () => {},
      overrides: {
        selfservice: {
          flows: {
            login: { before: { hooks: [{ hook: "web_hook", config: { url: "https://e.com", method: "POST" } }, { hook: "session" }] } },
          },
        },
      },
    });
    expect(unsupportedHooks(config)).toEqual(["selfservice.flows.login.before.hooks: session"]);
  });

  it("config is parsed once at start-up: each web hook entry carries its checked config with Kratos' defaults (request.Config)", () => {
    const config = load({ hook: "web_hook", config: { url: "https://e.com", method: "POST" } })();
    const [entry] = configuredHookEntries(config, "login", "password");
    expect(entry?.webHook).toEqual({
      url: "https://e.com",
      method: "POST",
      can_interrupt: false,
      emit_analytics_event: true,
      response: { ignore: false, parse: false },
    });
  });
});
