import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestKratos } from "../../../testing/harness";
import { traitsSchema } from "../../../testing/identity-schema-documents";
import { PLATFORM_DEFAULT_SCHEMA, startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../../../testing/identity-schema-files";

type Node = { group: string; attributes: { name?: string }; meta: { label?: { id: number; text: string } } };
type FlowJson = { id: string; identity_schema?: string; ui: { nodes: Node[] } };

const staffSchema = traitsSchema(
  { username: { type: "string", title: "Username", "ory.sh/kratos": { credentials: { password: { identifier: true } } } } },
  { $id: "https://example.com/staff.schema.json", required: ["username"] },
);

/**
 * Login flows carry `identity_schema` as Kratos v26.2's do
 * (selfservice/flow/login/flow.go Flow.IdentitySchema, set by
 * login.Handler.NewLoginFlow from `?identity_schema=` through
 * config.SelfServiceFlowIdentitySchema), and the identifier is labelled from
 * that schema (login.GetIdentifierLabelFromSchema reads the flow's schema).
 */
describe("login flows' identity_schema", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles("ciam_login_identity_schema", [
      PLATFORM_DEFAULT_SCHEMA,
      { id: "staff", document: staffSchema, selfservice_selectable: true },
      { id: "company", url: "file:///etc/config/kratos/identity.company.schema.json" },
    ]);
    kratos = started.kratos;
  });
  afterAll(() => started?.stop());

  const label = (flow: FlowJson) => flow.ui.nodes.find((n) => n.attributes.name === "identifier")?.meta.label;

  it("is stored, rendered and fetched, and labels the identifier from that schema", async () => {
    const res = await fetch(`${kratos.publicUrl}/self-service/login/api?identity_schema=staff`);
    expect(res.status).toBe(200);
    const created = (await res.json()) as FlowJson;
    expect(created.identity_schema).toBe("staff");
    expect(label(created)).toMatchObject({ id: 1070002, text: "Username" });
    const fetched = (await (await fetch(`${kratos.publicUrl}/self-service/login/flows?id=${created.id}`)).json()) as FlowJson;
    expect(fetched.identity_schema).toBe("staff");
    expect(label(fetched)).toMatchObject({ id: 1070002, text: "Username" });
  });

  it("is left out (omitempty) without the parameter; the default schema labels the identifier", async () => {
    const flow = (await (await fetch(`${kratos.publicUrl}/self-service/login/api`)).json()) as FlowJson;
    expect("identity_schema" in flow).toBe(false);
    expect(label(flow)).toMatchObject({ id: 1070002, text: "Email" });
  });

  it("the default schema may always be named", async () => {
    const flow = (await (await fetch(`${kratos.publicUrl}/self-service/login/api?identity_schema=default`)).json()) as FlowJson;
    expect(flow.identity_schema).toBe("default");
  });

  it("refuses unknown and non-selectable schemas with SelfServiceFlowIdentitySchema's 400s, for login and registration", async () => {
    for (const kind of ["login", "registration"]) {
      const unknown = await fetch(`${kratos.publicUrl}/self-service/${kind}/api?identity_schema=nope`);
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: { reason: string } }).error.reason).toBe(
        'Requested identity schema "nope" does not exist.',
      );
      const hidden = await fetch(`${kratos.publicUrl}/self-service/${kind}/api?identity_schema=company`);
      expect(hidden.status).toBe(400);
      expect(((await hidden.json()) as { error: { reason: string } }).error.reason).toBe(
        'Requested identity schema "company" is not enabled for self-service flows.',
      );
    }
  });

  it("an aal2 flow takes no schema (NewLoginFlow reads it for aal1 only)", async () => {
    // Without a session aal2 is refused first; the parameter does not change that answer.
    const res = await fetch(`${kratos.publicUrl}/self-service/login/api?aal=aal2&identity_schema=nope`);
    expect(res.status).toBe(401);
  });
});
