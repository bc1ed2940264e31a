import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeHydra } from "../../testing/fake-hydra";
import { startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../../testing/harness";

/**
 * The JSON fields of each flow kind in Kratos v26.2 (the json tags of the
 * Flow structs in selfservice/flow/{login,registration,settings,recovery,
 * verification}/flow.go). Internal state (strategy context, schema keys,
 * CSRF exemption) must never show up as a public field.
 */
const KRATOS_FIELDS = {
  login: [
    "id",
    "organization_id",
    "oauth2_login_challenge",
    "oauth2_login_request",
    "type",
    "expires_at",
    "issued_at",
    "request_url",
    "return_to",
    "active",
    "ui",
    "created_at",
    "updated_at",
    "refresh",
    "requested_aal",
    "session_token_exchange_code",
    "state",
    "transient_payload",
    "identity_schema",
  ],
  registration: [
    "id",
    "oauth2_login_challenge",
    "oauth2_login_request",
    "type",
    "expires_at",
    "issued_at",
    "request_url",
    "return_to",
    "active",
    "ui",
    "organization_id",
    "transient_payload",
    "session_token_exchange_code",
    "state",
    "identity_schema",
  ],
  settings: [
    "id",
    "type",
    "expires_at",
    "issued_at",
    "request_url",
    "return_to",
    "active",
    "ui",
    "identity",
    "state",
    "continue_with",
    "transient_payload",
  ],
  recovery: [
    "id",
    "type",
    "expires_at",
    "issued_at",
    "request_url",
    "return_to",
    "active",
    "ui",
    "state",
    "continue_with",
    "transient_payload",
  ],
  verification: ["id", "type", "expires_at", "issued_at", "request_url", "return_to", "active", "ui", "state", "transient_payload"],
};

const BASE = ["id", "type", "expires_at", "issued_at", "request_url", "ui", "state"];

/** The json tags of InputAttributes in Kratos v26.2 ui/node/attributes.go. */
const INPUT_ATTRIBUTES = [
  "name",
  "type",
  "value",
  "required",
  "autocomplete",
  "label",
  "pattern",
  "disabled",
  "onclick",
  "onclickTrigger",
  "onload",
  "onloadTrigger",
  "maxlength",
  "node_type",
];

describe("public JSON of every flow kind (Kratos' Flow structs, selfservice/flow/*/flow.go)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let hydra: FakeHydra;

  beforeAll(async () => {
    [pg, hydra] = await Promise.all([startTestPostgres(), FakeHydra.start()]);
    kratos = await startKratos(pg, "ciam_public_json", {
      // `?identity_schema=` may name a schema other than the default only when it is selfservice_selectable.
      configOverrides: {
        // Fetching a flow with a login challenge looks Hydra's login request up (getLoginFlow).
        oauth2_provider: { url: hydra.adminUrl },
        identity: {
          default_schema_id: "default",
          schemas: [
            { id: "default", url: "file:///etc/config/kratos/identity.default.schema.json" },
            { id: "customer", url: "file:///etc/config/kratos/identity.customer.schema.json", selfservice_selectable: true },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await hydra?.close();
    await pg?.stop();
  });

  async function getJson(path: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const res = await fetch(`${kratos.publicUrl}${path}`, { headers: { Accept: "application/json", ...headers } });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  function expectKeys(kind: keyof typeof KRATOS_FIELDS, flow: Record<string, unknown>, expected: string[]): void {
    const keys = Object.keys(flow).sort();
    for (const key of keys) expect(KRATOS_FIELDS[kind], `${kind} renders "${key}"`).toContain(key);
    expect(keys).toEqual([...expected].sort());
  }

  it("login: Kratos' fields only, with the stored login challenge and no strategy state", async () => {
    const created = await getJson(`/self-service/login/api?login_challenge=${hydra.addLoginRequest()}`);
    expectKeys("login", created, [...BASE, "created_at", "updated_at", "refresh", "requested_aal", "oauth2_login_challenge"]);
    const fetched = await getJson(`/self-service/login/flows?id=${String(created.id)}`);
    expectKeys("login", fetched, [
      ...BASE,
      "created_at",
      "updated_at",
      "refresh",
      "requested_aal",
      "oauth2_login_challenge",
      "oauth2_login_request",
    ]);
    const withSchema = await getJson("/self-service/login/api?identity_schema=customer");
    expectKeys("login", withSchema, [...BASE, "created_at", "updated_at", "refresh", "requested_aal", "identity_schema"]);
    expect(withSchema.identity_schema).toBe("customer");
  });

  it("registration: the identity schema and challenge it was started with, nothing else", async () => {
    const challenge = hydra.addLoginRequest();
    const created = await getJson(`/self-service/registration/api?identity_schema=customer&login_challenge=${challenge}`);
    expectKeys("registration", created, [...BASE, "identity_schema", "oauth2_login_challenge"]);
    expect(created).toMatchObject({ identity_schema: "customer", oauth2_login_challenge: challenge });
    // A code sent for sign-up keeps the traits in the flow's internal state, never in its JSON.
    const plain = await getJson("/self-service/registration/api");
    expectKeys("registration", plain, BASE);
  });

  it("settings: the identity, never the schema keys used to sort its nodes", async () => {
    const { data: registration } = await kratos.frontend.createNativeRegistrationFlow();
    const { data: signedUp } = await kratos.frontend.updateRegistrationFlow({
      flow: registration.id,
      updateRegistrationFlowBody: {
        method: "password",
        password: STRONG_PASSWORD,
        traits: { email: uniqueEmail("public-json"), name: { first: "Ada", last: "Lovelace" } },
      },
    });
    const token = signedUp.session_token ?? "";
    const created = await getJson("/self-service/settings/api", { "X-Session-Token": token });
    expectKeys("settings", created, [...BASE, "identity"]);
    const fetched = await getJson(`/self-service/settings/flows?id=${String(created.id)}`, { "X-Session-Token": token });
    expectKeys("settings", fetched, [...BASE, "identity"]);
  });

  it("input nodes: only the InputAttributes fields of ui/node/attributes.go, so an enum trait is a plain input without `options`", async () => {
    // Kratos v26.2 ui/node/attributes_input.go NewInputFieldFromSchema reads type, format, pattern and required;
    // enums become dropdown `options` only after v26.2 (InputAttributesOption is not in ui/node/attributes.go).
    const flow = await getJson("/self-service/registration/api?identity_schema=customer");
    const nodes = (flow.ui as { nodes: { type: string; attributes: Record<string, unknown> }[] }).nodes;
    const inputs = nodes.filter((n) => n.type === "input").map((n) => n.attributes);
    const language = inputs.find((a) => a.name === "traits.preferences.language");
    expect(language).toEqual({ name: "traits.preferences.language", type: "text", disabled: false, node_type: "input" });
    for (const attributes of inputs) for (const key of Object.keys(attributes)) expect(INPUT_ATTRIBUTES).toContain(key);
  });

  it("recovery and verification: the strategy in `active`, no strategy state", async () => {
    const recovery = await getJson("/self-service/recovery/api");
    expectKeys("recovery", recovery, [...BASE, "active"]);
    const sent = await fetch(`${kratos.publicUrl}/self-service/recovery?flow=${String(recovery.id)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "code", email: uniqueEmail("nobody") }),
    });
    expect(sent.status).toBe(200);
    expectKeys("recovery", (await sent.json()) as Record<string, unknown>, [...BASE, "active"]);
    const verification = await getJson("/self-service/verification/api");
    expectKeys("verification", verification, [...BASE, "active"]);
  });
});
