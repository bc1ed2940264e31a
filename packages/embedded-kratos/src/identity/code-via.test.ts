import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRONG_PASSWORD, uniqueEmail, type TestKratos } from "../testing/harness";
import { PASSWORD_EMAIL_TRAIT, traitsSchema } from "../testing/identity-schema-documents";
import { PLATFORM_DEFAULT_SCHEMA, startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";

/**
 * A `code` identifier without a channel: Kratos' identity/extension_credentials.go
 * SchemaExtensionCredentials.Run (NewCodeChannel in identity/credentials_code.go)
 * fails the trait with `channel type "" must be one of email, sms` at the
 * keyword `ory.sh~/kratos/credentials/code/via`, through identity/manager.go
 * ValidateIdentity on every write: the admin API answers 400 with the
 * ValidationError's text (identity/handler.go create/update), registration
 * and settings put 4000001 on the trait's node (ui/container ParseError).
 * The identity-meta schema (embedx/identity_extension.schema.json) lets
 * `via` be absent, so Kratos starts with such a schema.
 */
const schema = traitsSchema(
  { email: PASSWORD_EMAIL_TRAIT, phone: { type: "string", "ory.sh/kratos": { credentials: { code: { identifier: true } } } } },
  { $id: "https://example.com/no-channel.schema.json", required: ["email"] },
);

const REASON =
  'I[#/traits/phone] S[#/properties/traits/properties/phone/ory.sh~/kratos/credentials/code/via] channel type "" must be one of email, sms';
const NODE_MESSAGE = { id: 4000001, text: 'channel type "" must be one of email, sms', type: "error" };

type Flow = { id: string; ui: { nodes: { attributes: { name?: string }; messages: { id: number; text: string; type: string }[] }[] } };
const messagesAt = (flow: Flow, name: string) =>
  flow.ui.nodes.find((n) => n.attributes.name === name)?.messages.map(({ id, text, type }) => ({ id, text, type }));

describe("code identifiers without a via (SchemaExtensionCredentials.Run)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles("ciam_code_via", [
      PLATFORM_DEFAULT_SCHEMA,
      { id: "nochannel", document: schema, selfservice_selectable: true },
    ]);
    kratos = started.kratos;
  });
  afterAll(() => started?.stop());

  const admin = async (method: string, route: string, body: unknown) => {
    const res = await fetch(`${kratos.adminUrl}${route}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { id?: string; error?: { reason?: string } } };
  };
  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Flow & { session_token?: string } };
  };

  it("admin create and update answer 400 with the validator's text (identity/handler.go create, update)", async () => {
    const email = uniqueEmail("code-via");
    const created = await admin("POST", "/admin/identities", { schema_id: "nochannel", traits: { email, phone: "+4915112345678" } });
    expect(created.status).toBe(400);
    expect(created.body.error?.reason).toBe(REASON);

    // Without the trait the extension never runs, so the identity is valid.
    const plain = await admin("POST", "/admin/identities", { schema_id: "nochannel", traits: { email } });
    expect(plain.status).toBe(201);
    const id = plain.body.id ?? "";
    const updated = await admin("PUT", `/admin/identities/${id}`, { schema_id: "nochannel", traits: { email, phone: "+4915112345678" } });
    expect(updated.status).toBe(400);
    expect(updated.body.error?.reason).toBe(REASON);
    expect((await kratos.identity.getIdentity({ id })).data.traits).toEqual({ email });
  });

  it("registration and settings put 4000001 on the trait's node (ui/container/container.go ParseError)", async () => {
    const email = uniqueEmail("code-via-flow");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow({ identitySchema: "nochannel" });
    const action = `${kratos.publicUrl}/self-service/registration?flow=${flow.id}`;
    const refused = await post(action, { method: "password", password: STRONG_PASSWORD, traits: { email, phone: "+4915112345678" } });
    expect(refused.status).toBe(400);
    expect(messagesAt(refused.body, "traits.phone")).toEqual([NODE_MESSAGE]);
    expect((await kratos.identity.listIdentities({ credentialsIdentifier: email })).data).toEqual([]);

    const registered = await post(action, { method: "password", password: STRONG_PASSWORD, traits: { email } });
    expect(registered.status).toBe(200);
    const token = registered.body.session_token ?? "";
    const { data: settings } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const profile = await post(
      `${kratos.publicUrl}/self-service/settings?flow=${settings.id}`,
      { method: "profile", traits: { email, phone: "+4915112345678" } },
      { "X-Session-Token": token },
    );
    expect(profile.status).toBe(400);
    expect(messagesAt(profile.body, "traits.phone")).toEqual([NODE_MESSAGE]);
  });
});
