import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure } from "../../../testing/flow-json";
import {
  CORE_STRATEGIES,
  startKratosInstancesWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";

/**
 * selfservice.methods.password.config.haveibeenpwned_enabled, end to end
 * through @ory/client: where Kratos would find a password in HIBP, this
 * server finds it in its shipped list and answers with Kratos' message.
 */
describe("breached passwords", () => {
  let pg: TestPostgres;
  let checked: TestKratos;
  let unchecked: TestKratos;

  beforeAll(async () => {
    ({
      pg,
      kratos: [checked, unchecked],
    } = await startKratosInstancesWithPostgres([
      // platform/dev enables the check, as Kratos does by default.
      { database: "ciam_breached_on", options: { strategies: CORE_STRATEGIES } },
      {
        database: "ciam_breached_off",
        options: {
          strategies: CORE_STRATEGIES,
          configOverrides: { selfservice: { methods: { password: { config: { haveibeenpwned_enabled: false } } } } },
        },
      },
    ]));
  });
  afterAll(() => stopKratosAndPostgres([checked, unchecked], pg));

  type Node = { attributes: { name?: string }; messages: { id: number; text: string; type: string; context?: Record<string, unknown> }[] };
  const passwordMessages = (flow: Record<string, unknown>) =>
    (flow.ui as { nodes: Node[] }).nodes.find((n) => n.attributes.name === "password")?.messages ?? [];

  const register = async (kratos: TestKratos, password: string, email = uniqueEmail("breach")) => {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    return kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password, traits: { email } },
    });
  };

  const signIn = async (kratos: TestKratos, identifier: string, password: string) => {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    return kratos.frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "password", identifier, password } });
  };

  it("refuses common passwords at registration with Kratos' 4000034, and stores no account", async () => {
    for (const password of ["password", "12345678", "Password1", "00000000"]) {
      const email = uniqueEmail("breach");
      const refused = await expectFailure(register(checked, password, email));
      expect(refused.status, password).toBe(400);
      expect(passwordMessages(refused.data), password).toEqual([
        {
          id: 4000034,
          text: "The password has been found in data breaches and must no longer be used.",
          type: "error",
          context: { breaches: 1 },
        },
      ]);
      expect((await checked.identity.listIdentities({ credentialsIdentifier: email })).data).toEqual([]);
    }
    expect((await register(checked, STRONG_PASSWORD)).status).toBe(200);
  });

  it("refuses a common password as the new password in settings, keeping the old one", async () => {
    const email = uniqueEmail("breach-settings");
    const token = (await register(checked, STRONG_PASSWORD, email)).data.session_token ?? "";
    const { data: flow } = await checked.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const refused = await expectFailure(
      checked.frontend.updateSettingsFlow({
        flow: flow.id,
        xSessionToken: token,
        updateSettingsFlowBody: { method: "password", password: "qwerty123" },
      }),
    );
    expect(refused.status).toBe(400);
    expect(passwordMessages(refused.data).map((m) => m.id)).toEqual([4000034]);
    expect((await signIn(checked, email, STRONG_PASSWORD)).status).toBe(200);
    expect((await expectFailure(signIn(checked, email, "qwerty123"))).status).toBe(400);
  });

  it("accepts them where the config sets haveibeenpwned_enabled: false, as Kratos then skips the lookup", async () => {
    const accepted = await register(unchecked, "12345678");
    expect(accepted.status).toBe(200);
    expect(accepted.data.session_token).toMatch(/^ory_st_/);
  });

  it("never applies to admin-imported passwords, like Kratos' identity import", async () => {
    const email = uniqueEmail("imported");
    const { status } = await checked.identity.createIdentity({
      createIdentityBody: { schema_id: "default", traits: { email }, credentials: { password: { config: { password: "password" } } } },
    });
    expect(status).toBe(201);
    expect((await signIn(checked, email, "password")).status).toBe(200);
  });
});
