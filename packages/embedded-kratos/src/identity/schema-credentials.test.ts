import type { LoginFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure, messageIds } from "../testing/flow-json";
import { startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * Credentials derived from the identity schema: identity/extension_credentials.go
 * (SchemaExtensionCredentials.Run, setIdentifier), run by identity/manager.go
 * ValidateIdentity on every Create and Update — admin create/update/patch,
 * registration and settings alike. The CIAM schemas mark `email` as the
 * password, webauthn and code (`via: email`) identifier.
 */
describe("schema-derived credentials", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_schema_credentials");
  });
  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
  });

  const ALL_TYPES = ["password", "webauthn", "code"] as const;
  const credentialsOf = async (id: string) =>
    (await kratos.identity.getIdentity({ id, includeCredential: [...ALL_TYPES] })).data.credentials ?? {};
  const codeCredential = (...emails: string[]) => ({
    type: "code",
    identifiers: emails,
    config: { addresses: emails.map((address) => ({ channel: "email", address })) },
    version: 1,
  });

  it("gives an identity created without credentials a password, webauthn and code credential holding its identifier (SchemaExtensionCredentials.Run)", async () => {
    const email = uniqueEmail("schema-creds");
    const { data } = await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email } } });
    const credentials = await credentialsOf(data.id);
    expect(Object.keys(credentials).sort()).toEqual(["code", "password", "webauthn"]);
    // setIdentifier: a new credential with an empty config; the code credential lists its addresses (version 1).
    expect(credentials.password).toMatchObject({ type: "password", identifiers: [email], config: {}, version: 0 });
    expect(credentials.webauthn).toMatchObject({ type: "webauthn", identifiers: [email], config: {}, version: 0 });
    expect(credentials.code).toMatchObject(codeCredential(email));
    // An identifier given in capitals is stored lower-cased (x.NormalizeIdentifier).
    const loud = uniqueEmail("schema-loud");
    const { data: upper } = await kratos.identity.createIdentity({
      createIdentityBody: { schema_id: "default", traits: { email: loud.toUpperCase() } },
    });
    expect((await credentialsOf(upper.id)).code).toMatchObject(codeCredential(loud));
  });

  it("moves every schema credential to a changed identifier on update, and credentials_identifier follows (Manager.Update → ValidateIdentity)", async () => {
    const before = uniqueEmail("schema-before");
    const after = uniqueEmail("schema-after");
    const { data } = await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email: before },
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
    const created = await credentialsOf(data.id);
    await kratos.identity.updateIdentity({
      id: data.id,
      updateIdentityBody: { schema_id: "default", state: "active", traits: { email: after } },
    });
    const updated = await credentialsOf(data.id);
    expect(updated.password).toMatchObject({ identifiers: [after], version: 0 });
    // The password itself is kept, and so is each credential's row (created_at).
    expect((updated.password?.config as { hashed_password?: string }).hashed_password).toMatch(/^\$2a\$/);
    expect(updated.code).toMatchObject({ ...codeCredential(after), created_at: created.code?.created_at });
    expect(updated.webauthn).toMatchObject({ identifiers: [after], created_at: created.webauthn?.created_at });

    const list = async (identifier: string) =>
      (await kratos.identity.listIdentities({ credentialsIdentifier: identifier })).data.map((i) => i.id);
    expect(await list(after)).toEqual([data.id]);
    expect(await list(before)).toEqual([]);
  });

  it("gives a password sign-up its webauthn and code credentials too (registration persists through Manager.Create)", async () => {
    const email = uniqueEmail("schema-signup");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const { data: done } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email } },
    });
    const credentials = await credentialsOf(done.identity.id);
    expect(Object.keys(credentials).sort()).toEqual(["code", "password", "webauthn"]);
    expect(credentials.code).toMatchObject(codeCredential(email));
    expect(credentials.webauthn).toMatchObject({ identifiers: [email], config: {} });
  });

  it("lets an admin-created identity without a password sign in by code: its code credential holds the address (code strategy findIdentityByIdentifier)", async () => {
    const email = uniqueEmail("schema-code-login");
    await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email } } });
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const sent = await expectFailure(
      kratos.frontend.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: "code", identifier: email.toUpperCase(), csrf_token: "" },
      }),
    );
    // The code is sent (1010014) and the flow waits for it.
    expect(sent.status).toBe(400);
    const body = sent.data as unknown as LoginFlow;
    expect(body.state).toBe("sent_email");
    expect(messageIds(body)).toEqual([1010014]);

    // An address no identity holds a code credential for is refused (missing_credential_fallback_enabled off).
    const { data: other } = await kratos.frontend.createNativeLoginFlow();
    const unknown = await expectFailure(
      kratos.frontend.updateLoginFlow({
        flow: other.id,
        updateLoginFlowBody: { method: "code", identifier: uniqueEmail("nobody"), csrf_token: "" },
      }),
    );
    expect(messageIds(unknown.data as unknown as LoginFlow)).toEqual([4000035]);
  });
});
