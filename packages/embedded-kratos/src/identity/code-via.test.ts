import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

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
const schema = {
  $id: "https://example.com/no-channel.schema.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    traits: {
      type: "object",
      properties: {
        email: { type: "string", format: "email", "ory.sh/kratos": { credentials: { password: { identifier: true } } } },
        phone: { type: "string", "ory.sh/kratos": { credentials: { code: { identifier: true } } } },
      },
      required: ["email"],
    },
  },
};

const REASON =
  'I[#/traits/phone] S[#/properties/traits/properties/phone/ory.sh~/kratos/credentials/code/via] channel type "" must be one of email, sms';
const NODE_MESSAGE = { id: 4000001, text: 'channel type "" must be one of email, sms', type: "error" };

type Flow = { id: string; ui: { nodes: { attributes: { name?: string }; messages: { id: number; text: string; type: string }[] }[] } };
const messagesAt = (flow: Flow, name: string) =>
  flow.ui.nodes.find((n) => n.attributes.name === name)?.messages.map(({ id, text, type }) => ({ id, text, type }));

describe("code identifiers without a via (SchemaExtensionCredentials.Run)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kratos-code-via-"));
    const file = path.join(dir, "no-channel.schema.json");
    await writeFile(file, JSON.stringify(schema));
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_code_via", {
      configOverrides: {
        identity: {
          default_schema_id: "default",
          schemas: [
            { id: "default", url: "file:///etc/config/kratos/identity.default.schema.json" },
            { id: "nochannel", url: `file://${file}`, selfservice_selectable: true },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

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
