import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CORE_STRATEGIES,
  startKratosInstancesWithPostgres,
  stopKratosAndPostgres,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { expectFailure } from "../../../testing/flow-json";

/** selfservice.methods.password.config.identifier_similarity_check_enabled, end to end through @ory/client. */
describe("password similar to the identifier", () => {
  let pg: TestPostgres;
  let checked: TestKratos;
  let unchecked: TestKratos;

  beforeAll(async () => {
    ({
      pg,
      kratos: [checked, unchecked],
    } = await startKratosInstancesWithPostgres([
      { database: "ciam_similarity_on", options: { strategies: CORE_STRATEGIES } },
      {
        database: "ciam_similarity_off",
        options: {
          strategies: CORE_STRATEGIES,
          configOverrides: { selfservice: { methods: { password: { config: { identifier_similarity_check_enabled: false } } } } },
        },
      },
    ]));
  });
  afterAll(() => stopKratosAndPostgres([checked, unchecked], pg));

  const register = async (kratos: TestKratos, email: string) => {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    // The address itself plus a suffix: too similar under Kratos' rule.
    return kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password: `${email}-1`, traits: { email } },
    });
  };

  it("refuses it with 4000031 by default and accepts it where the domain disabled the check", async () => {
    const refused = await expectFailure(register(checked, uniqueEmail("similar")));
    expect(refused.status).toBe(400);
    const nodes = (refused.data.ui as { nodes: { attributes: { name?: string }; messages: { id: number }[] }[] }).nodes;
    expect(nodes.find((n) => n.attributes.name === "password")?.messages.map((m) => m.id)).toEqual([4000031]);

    const accepted = await register(unchecked, uniqueEmail("similar"));
    expect(accepted.status).toBe(200);
    expect(accepted.data.session_token).toMatch(/^ory_st_/);
  });
});
