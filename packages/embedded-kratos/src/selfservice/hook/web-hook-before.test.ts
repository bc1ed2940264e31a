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

const REFUSAL = {
  status: 403,
  body: { messages: [{ instance_ptr: "#/traits/email", messages: [{ id: 4711, text: "not from here", type: "error" }] }] },
};
/** ValidationListError.Error() of REFUSAL, as herodot writes it (a 500: the list carries no status). */
const REFUSAL_TEXT = "1 validation errors occurred:\n(0) I[#/traits/email] S[] a webhook target returned an error";

/**
 * `web_hook` in `selfservice.flows.<flow>.before.hooks`: each flow's
 * Pre…Hook (selfservice/flow/*\/hook.go) calls WebHook.Execute…PreHook
 * (selfservice/hook/web_hook.go) on a new flow before it is stored, and the
 * flow's handler writes a refusal as Kratos does.
 */
describe("web_hook before a flow (Execute…PreHook)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const target = new HookTarget();

  beforeAll(async () => {
    await target.start();
    const t = target.url;
    const before = (path: string, extra: Record<string, unknown> = { can_interrupt: true }) => ({ hooks: [webHook(`${t}${path}`, extra)] });
    ({ pg, kratos } = await startKratosWithPostgres("web_hook_before", {
      configOverrides: {
        selfservice: {
          flows: {
            login: { before: before("/login") },
            registration: { before: before("/registration"), after: { password: { hooks: [{ hook: "session" }] } } },
            // Without can_interrupt: a failing target is the 502.
            settings: { before: before("/settings", {}) },
            recovery: { before: before("/recovery") },
            verification: { before: before("/verification") },
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

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${kratos.publicUrl}${path}`, { redirect: "manual", headers });
    const json = (response.headers.get("content-type") ?? "").startsWith("application/json");
    const body = json ? ((await response.json()) as Record<string, unknown>) : {};
    return { status: response.status, location: response.headers.get("location"), body };
  };
  const errorOf = (body: Record<string, unknown>) => body.error as { code: number; message: string };

  it("ExecuteLoginPreHook, ExecuteRegistrationPreHook, ExecuteRecoveryPreHook, ExecuteVerificationPreHook: the new flow and the request, no identity, no session", async () => {
    for (const kind of ["login", "registration", "recovery", "verification"]) {
      const answer = await get(`/self-service/${kind}/api`, { "User-Agent": "before-hook-test" });
      expect(answer.status).toBe(200);
      const [call] = target.to(`/${kind}`);
      expect(call?.body.flow_id).toBe(answer.body.id);
      expect(call?.body.flow_type).toBe("api");
      // The flow is complete (its form built) when the hook sees it.
      expect(call?.body.flow_ui_nodes).toBe((answer.body.ui as { nodes: unknown[] }).nodes.length);
      expect(call?.body.identity).toBeNull();
      expect(call?.body.session_id).toBeNull();
      expect(call?.body.method).toBe("GET");
      expect(call?.body.url).toBe(`${kratos.publicUrl}/self-service/${kind}/api`);
      expect((call?.body.headers as Record<string, string[]>)["User-Agent"]).toEqual(["before-hook-test"]);
    }
  });

  it("ExecuteSettingsPreHook: the session, and the flow before the strategies fill its form", async () => {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const registered = await fetch(`${kratos.publicUrl}/self-service/registration?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", traits: { email: uniqueEmail("before-settings") }, password: STRONG_PASSWORD }),
    });
    const { session_token: token, session } = (await registered.json()) as { session_token: string; session: { id: string } };
    const answer = await get("/self-service/settings/api", { "X-Session-Token": token });
    expect(answer.status).toBe(200);
    const [call] = target.to("/settings");
    expect(call?.body.flow_id).toBe(answer.body.id);
    expect(call?.body.session_id).toBe(session.id);
    expect(call?.body.identity).toBeNull();
    expect(call?.body.flow_ui_nodes).toBe(0);

    // A target that fails (no can_interrupt) is web_hook.go's 502, written by the handler (Writer().WriteError).
    target.answers["/settings"] = { status: 404 };
    const failed = await get("/self-service/settings/api", { "X-Session-Token": token });
    expect(failed.status).toBe(502);
    expect(errorOf(failed.body).message).toBe("webhook failed with status code 404");
  });

  it("PreRegistrationHook: a refusal's messages reach no flow; the API answers herodot's 500 with the list's text, a browser goes to the error UI", async () => {
    target.answers["/registration"] = REFUSAL;
    const api = await get("/self-service/registration/api");
    expect(api.status).toBe(500);
    expect(errorOf(api.body)).toEqual({ code: 500, status: "Internal Server Error", message: REFUSAL_TEXT });

    // createBrowserRegistrationFlow: SelfServiceErrorManager().Forward — the error UI with the stored error.
    const browser = await get("/self-service/registration/browser");
    expect(browser.status).toBe(303);
    const errorId = new URL(browser.location ?? "").searchParams.get("id");
    expect(browser.location).toMatch(/^http:\/\/ciam\.localhost:3000\/error\?id=/);
    const stored = await get(`/self-service/errors?id=${errorId}`);
    expect(errorOf(stored.body).message).toBe(REFUSAL_TEXT);
  });

  it("PreLoginHook: a refusal is handed to WriteFlowError with a flow never stored — 404 Unable to locate the resource; nothing stored", async () => {
    target.answers["/login"] = REFUSAL;
    const api = await get("/self-service/login/api");
    expect(api.status).toBe(404);
    expect(errorOf(api.body)).toEqual({ code: 404, status: "Not Found", message: "Unable to locate the resource" });
    const [call] = target.to("/login");
    const flowId = call?.body.flow_id as string;
    const fetched = await get(`/self-service/login/flows?id=${flowId}`);
    expect(fetched.status).toBe(404);

    // A browser flow is forwarded to the error UI (ErrorManager.Forward), 404 or not.
    const browser = await get("/self-service/login/browser");
    expect(browser.status).toBe(303);
    expect(browser.location).toMatch(/^http:\/\/ciam\.localhost:3000\/error\?id=/);
  });

  it("PreRecoveryHook and PreVerificationHook: the error is written as it is, to a browser too (Writer().WriteError)", async () => {
    target.answers["/recovery"] = REFUSAL;
    target.answers["/verification"] = { status: 403, body: { messages: [] } };
    const recovery = await get("/self-service/recovery/browser");
    expect(recovery.status).toBe(500);
    expect(errorOf(recovery.body).message).toBe(REFUSAL_TEXT);
    const verification = await get("/self-service/verification/browser");
    expect(verification.status).toBe(500);
    expect(errorOf(verification.body).message).toBe("error while parsing webhook response: got no validation errors");
  });
});
