import type { LoginFlow, RegistrationFlow, UiNodeInputAttributes } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CORE_STRATEGIES,
  startKratos,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";
import { expectFailure } from "../../testing/flow-json";

const inputNames = (flow: { ui: { nodes: { attributes: unknown }[] } }) =>
  flow.ui.nodes.map((n) => (n.attributes as UiNodeInputAttributes).name);

describe("self-service flows in API mode through @ory/client (core strategies: password + profile)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_api_flows", { strategies: CORE_STRATEGIES })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function register(email: string, password = STRONG_PASSWORD) {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    return kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password, traits: { email, name: { first: "Ada", last: "Lovelace" } } },
    });
  }

  it("creates a registration flow with schema trait nodes, labels and Kratos' node shape", async () => {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    expect(flow.type).toBe("api");
    expect(flow.state).toBe("choose_method");
    expect(flow.ui.action).toBe(`${kratos.publicUrl}/self-service/registration?flow=${flow.id}`);
    expect(inputNames(flow)).toEqual(["csrf_token", "traits.email", "password", "traits.name.first", "traits.name.last", "method"]);
    const email = flow.ui.nodes.find((n) => (n.attributes as UiNodeInputAttributes).name === "traits.email");
    expect(email).toEqual({
      type: "input",
      group: "default",
      attributes: { name: "traits.email", type: "email", required: true, autocomplete: "email", disabled: false, node_type: "input" },
      messages: [],
      meta: { label: { id: 1070002, text: "Email", type: "info", context: { title: "Email", name: "traits.email" } } },
    });
    const submit = flow.ui.nodes.at(-1);
    expect(submit?.attributes).toMatchObject({ name: "method", type: "submit", value: "password" });
    expect(submit?.meta.label).toEqual({ id: 1040001, text: "Sign up", type: "info" });
  });

  it("registers, returns a session token, and whoami accepts it", async () => {
    const email = uniqueEmail();
    const { data } = await register(email);
    expect(data.identity.traits).toMatchObject({ email });
    expect(data.session_token).toMatch(/^ory_st_[A-Za-z0-9]{32}$/);
    expect(data.session?.authenticator_assurance_level).toBe("aal1");
    expect(data.identity.verifiable_addresses?.[0]).toMatchObject({ value: email, verified: false, status: "pending", via: "email" });
    const continueWith = data.continue_with ?? [];
    // driver.getHooks runs the `session` hook last whatever its configured place, and hook.SessionIssuer appends the token.
    expect(continueWith.map((c) => c.action)).toEqual(["show_verification_ui", "set_ory_session_token"]);

    const whoami = await kratos.frontend.toSession({ xSessionToken: data.session_token ?? "" });
    expect(whoami.data.identity?.id).toBe(data.identity.id);
    expect(whoami.headers["x-kratos-authenticated-identity-id"]).toBe(data.identity.id);
    expect(whoami.data.authentication_methods?.[0]?.method).toBe("password");
  });

  it("logs in with the password and rejects a wrong one with flow-level 4000006", async () => {
    const email = uniqueEmail();
    await register(email);
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    expect(inputNames(flow)).toEqual(["csrf_token", "identifier", "password", "method"]);

    const wrong = await expectFailure(
      kratos.frontend.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: "password", identifier: email, password: "not-the-password" },
      }),
    );
    expect(wrong.status).toBe(400);
    const failed = wrong.data as unknown as LoginFlow;
    expect(failed.id).toBe(flow.id);
    expect(failed.ui.messages?.map((m) => m.id)).toEqual([4000006]);
    expect(failed.ui.nodes.find((n) => (n.attributes as UiNodeInputAttributes).name === "identifier")?.attributes).toMatchObject({
      value: email,
    });

    const { data } = await kratos.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: "password", identifier: email.toUpperCase(), password: STRONG_PASSWORD },
    });
    expect(data.session.identity?.traits).toMatchObject({ email });
    expect(data.session_token).toMatch(/^ory_st_/);
  });

  it("reports missing fields with 4000002 on the node and unknown identifiers as invalid credentials", async () => {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const missing = await expectFailure(
      kratos.frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "password", identifier: "", password: "" } }),
    );
    const nodes = (missing.data as unknown as LoginFlow).ui.nodes;
    expect(nodes.find((n) => (n.attributes as UiNodeInputAttributes).name === "identifier")?.messages[0]).toMatchObject({
      id: 4000002,
      context: { property: "identifier" },
    });
    const unknown = await expectFailure(
      kratos.frontend.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: "password", identifier: uniqueEmail("ghost"), password: "whatever-123" },
      }),
    );
    expect((unknown.data as unknown as LoginFlow).ui.messages?.[0]?.id).toBe(4000006);
  });

  it("refuses duplicate registration and invalid traits without storing anything", async () => {
    const email = uniqueEmail();
    await register(email);
    const dup = await expectFailure(register(email.toUpperCase()));
    expect(dup.status).toBe(400);
    expect((dup.data as unknown as RegistrationFlow).ui.messages?.[0]?.id).toBe(4000007);

    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const invalid = await expectFailure(
      kratos.frontend.updateRegistrationFlow({
        flow: flow.id,
        updateRegistrationFlowBody: {
          method: "password",
          password: STRONG_PASSWORD,
          traits: { email: "not-an-email", name: { first: 42 } },
        },
      }),
    );
    expect(invalid.status).toBe(400);
    const nodes = (invalid.data as unknown as RegistrationFlow).ui.nodes;
    const messagesOf = (name: string) =>
      nodes.find((n) => (n.attributes as UiNodeInputAttributes).name === name)?.messages.map((m) => m.id);
    expect(messagesOf("traits.email")).toEqual([4000040]);
    expect(messagesOf("traits.name.first")).toEqual([4000026]);

    const missingEmail = await expectFailure(
      kratos.frontend.updateRegistrationFlow({
        flow: flow.id,
        updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: {} },
      }),
    );
    const emailNode = (missingEmail.data as unknown as RegistrationFlow).ui.nodes.find(
      (n) => (n.attributes as UiNodeInputAttributes).name === "traits.email",
    );
    expect(emailNode?.messages[0]).toMatchObject({ id: 4000002, text: "Property email is missing.", context: { property: "email" } });

    const { data: list } = await kratos.identity.listIdentities({ credentialsIdentifier: "not-an-email" });
    expect(list).toEqual([]);
  });

  it("enforces the password policy: minimum length (4000032) and similarity to the identifier (4000031)", async () => {
    const email = uniqueEmail("policy");
    const short = await expectFailure(register(email, "short"));
    const pw = (short.data as unknown as RegistrationFlow).ui.nodes.find(
      (n) => (n.attributes as UiNodeInputAttributes).name === "password",
    );
    expect(pw?.messages[0]).toMatchObject({ id: 4000032, context: { min_length: 8, actual_length: 5 } });
    const similar = await expectFailure(register(email, email));
    const pw2 = (similar.data as unknown as RegistrationFlow).ui.nodes.find(
      (n) => (n.attributes as UiNodeInputAttributes).name === "password",
    );
    expect(pw2?.messages[0]?.id).toBe(4000031);
  });

  it("answers 400 session_already_available when a session exists, and 404/400 for unknown flows and methods", async () => {
    const { data } = await register(uniqueEmail());
    const already = await expectFailure(kratos.frontend.createNativeLoginFlow({ xSessionToken: data.session_token }));
    expect(already.status).toBe(400);
    expect((already.data.error as Record<string, unknown>).id).toBe("session_already_available");

    const unknown = await expectFailure(kratos.frontend.getLoginFlow({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(unknown.status).toBe(404);
    expect(unknown.data.error).toMatchObject({ code: 404, status: "Not Found" });

    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const noStrategy = await expectFailure(
      kratos.frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "totp", totp_code: "123456" } }),
    );
    expect((noStrategy.data as unknown as LoginFlow).ui.messages?.[0]?.id).toBe(4010002);
  });

  it("revokes the session with the API logout", async () => {
    const { data } = await register(uniqueEmail());
    const token = data.session_token ?? "";
    await kratos.frontend.performNativeLogout({ performNativeLogoutBody: { session_token: token } });
    const after = await expectFailure(kratos.frontend.toSession({ xSessionToken: token }));
    expect(after.status).toBe(401);
    expect((after.data.error as Record<string, unknown>).id).toBe("session_inactive");
  });

  it("creates recovery and verification flows with an email form; without a code/link strategy submissions answer 4010005", async () => {
    const { data: recovery } = await kratos.frontend.createNativeRecoveryFlow();
    expect(recovery.state).toBe("choose_method");
    expect(inputNames(recovery)).toEqual(["csrf_token", "email", "method"]);
    const submitted = await expectFailure(
      kratos.frontend.updateRecoveryFlow({ flow: recovery.id, updateRecoveryFlowBody: { method: "code", email: "a@example.com" } }),
    );
    expect(submitted.status).toBe(400);
    expect((submitted.data as { ui: { messages: { id: number }[] } }).ui.messages[0]?.id).toBe(4010005);

    const { data: verification } = await kratos.frontend.createNativeVerificationFlow();
    const fetched = await kratos.frontend.getVerificationFlow({ id: verification.id });
    expect(fetched.data.id).toBe(verification.id);
  });

  it("updates the profile and the password through an API settings flow", async () => {
    const email = uniqueEmail("settings");
    const { data } = await register(email);
    const token = data.session_token ?? "";
    const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    expect(flow.state).toBe("show_form");
    expect(flow.identity.traits).toMatchObject({ email });
    const groups = new Set(flow.ui.nodes.map((n) => n.group));
    expect(groups).toEqual(new Set(["default", "profile", "password"]));

    const { data: updated } = await kratos.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: token,
      updateSettingsFlowBody: { method: "profile", traits: { email, name: { first: "Grace", last: "Hopper" } } },
    });
    expect(updated.state).toBe("success");
    expect(updated.ui.messages?.[0]?.id).toBe(1050001);
    expect(updated.identity.traits).toMatchObject({ name: { first: "Grace" } });

    const newPassword = "an-entirely-new-passphrase-99";
    await kratos.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: token,
      updateSettingsFlowBody: { method: "password", password: newPassword },
    });
    const { data: login } = await kratos.frontend.createNativeLoginFlow();
    const ok = await kratos.frontend.updateLoginFlow({
      flow: login.id,
      updateLoginFlowBody: { method: "password", identifier: email, password: newPassword },
    });
    expect(ok.status).toBe(200);
  });

  it("answers 410 with use_flow_id for an expired flow", async () => {
    const short = await startKratos(pg, "ciam_expiry", {
      strategies: CORE_STRATEGIES,
      configOverrides: { selfservice: { flows: { login: { lifespan: "1ms" } } } },
    });
    try {
      const { data: flow } = await short.frontend.createNativeLoginFlow();
      await new Promise((r) => setTimeout(r, 20));
      const submitted = await expectFailure(
        short.frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "password", identifier: "a@b.co", password: "x" } }),
      );
      expect(submitted.status).toBe(410);
      expect((submitted.data.error as Record<string, unknown>).id).toBe("self_service_flow_expired");
      expect(submitted.data.use_flow_id).toEqual(expect.any(String));
      const fetched = await expectFailure(short.frontend.getLoginFlow({ id: flow.id }));
      expect(fetched.status).toBe(410);
      expect((fetched.data.error as { details: Record<string, unknown> }).details.api).toContain("/self-service/login/api");
    } finally {
      await short.close();
    }
  });
});
