import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../../../testing/harness";

type Node = { group: string; attributes: { name?: string; type?: string; value?: unknown }; meta: { label?: { id: number } } };
type FlowJson = { id: string; ui: { nodes: Node[] } };

/** A generic provider the form only names: no test here reaches it. */
const unreachable = (id: string) => ({
  id,
  provider: "generic",
  label: id.toUpperCase(),
  client_id: "client",
  client_secret: "secret",
  issuer_url: "https://idp.invalid/",
  mapper_url: `base64://${Buffer.from("function(ctx) { identity: { traits: {} } }").toString("base64")}`,
});

const providerButtons = (flow: FlowJson) =>
  flow.ui.nodes
    .filter((n) => n.group === "oidc")
    .map((n) => `${n.attributes.name}:${n.attributes.type}:${String(n.attributes.value)}:${n.meta.label?.id ?? ""}`);

/**
 * The "Sign up with …" buttons of Kratos v26.2 with two providers:
 * selfservice/strategy/oidc/strategy_registration.go PopulateRegistrationMethod,
 * PopulateRegistrationMethodProfile and PopulateRegistrationMethodCredentials
 * all run strategy.go populateMethod → types.go AddProviders, whose
 * AddProvider removes only the nodes matching that provider's own button
 * (ui/node/node.go Nodes.RemoveMatching) before appending it — every
 * provider keeps its button, on the profile-first credential-selection
 * screen too (selfservice/strategy/profile/registration.go
 * showCredentialsSelection, over the profile screen's nodes).
 */
describe("oidc registration buttons with two providers", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres("oidc_registration_buttons", {
      configOverrides: {
        selfservice: {
          flows: { registration: { style: "profile_first" } },
          methods: { oidc: { enabled: true, config: { providers: [unreachable("zeta"), unreachable("alpha")] } } },
        },
      },
    }));
  });
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function newFlow(): Promise<FlowJson> {
    const res = await fetch(`${kratos.publicUrl}/self-service/registration/api`);
    expect(res.status).toBe(200);
    return (await res.json()) as FlowJson;
  }

  it("the profile screen has one button per provider (1040002)", async () => {
    expect(providerButtons(await newFlow())).toEqual(["provider:submit:alpha:1040002", "provider:submit:zeta:1040002"]);
  });

  it("the credential-selection screen keeps both providers' buttons", async () => {
    const flow = await newFlow();
    const res = await fetch(`${kratos.publicUrl}/self-service/registration?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        method: "profile",
        screen: "credential-selection",
        traits: { email: uniqueEmail("two-providers"), name: { first: "Ada", last: "Lovelace" } },
      }),
    });
    expect(res.status).toBe(400);
    expect(providerButtons((await res.json()) as FlowJson)).toEqual(["provider:submit:alpha:1040002", "provider:submit:zeta:1040002"]);
  });
});
