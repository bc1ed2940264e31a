import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { expectFailure } from "../testing/flow-json";
import { startKratos, startKratosWithPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * DELETE /admin/identities/{id}/credentials/{type}: identity/handler.go
 * deleteIdentityCredentials, identity/identity.go deleteCredential*, and the
 * first-factor count of identity/manager.go CountActiveFirstFactorCredentials
 * (selfservice/strategy/code/strategy.go counts one for everybody when
 * passwordless code login is enabled).
 */
describe("deleting identity credentials through the admin API", () => {
  let pg: TestPostgres;
  /** passwordless_enabled: false — the code strategy counts nothing. */
  let kratos: TestKratos;
  /** The CIAM config as it is: passwordless code login on. */
  let passwordless: TestKratos;

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_credentials", {
      configOverrides: { selfservice: { methods: { code: { passwordless_enabled: false } } } },
    }));
    passwordless = await startKratos(pg, "ciam_admin_credentials_code");
  });
  afterAll(async () => {
    await kratos?.close();
    await passwordless?.close();
    await pg?.stop();
  });

  const create = (k: TestKratos, credentials: Record<string, unknown> = { password: { config: { password: STRONG_PASSWORD } } }) =>
    k.identity
      .createIdentity({ createIdentityBody: { schema_id: "default", traits: { email: uniqueEmail("creds") }, credentials } })
      .then((r) => r.data);
  /** Kratos lets a JSON patch add any credential type but OIDC (only /credentials itself and /credentials/oidc/** are denied). */
  const addCredential = (k: TestKratos, id: string, type: string, value: Record<string, unknown>) =>
    k.identity.patchIdentity({ id, jsonPatch: [{ op: "add", path: `/credentials/${type}`, value: { type, version: 0, ...value } }] });
  const remove = (k: TestKratos, id: string, type: string, identifier?: string) =>
    k.identity.deleteIdentityCredentials({ id, type: type as "password", identifier });
  const credentialsOf = async (k: TestKratos, id: string) =>
    (await k.identity.getIdentity({ id, includeCredential: ["password", "webauthn", "oidc"] })).data.credentials ?? {};

  const reason = async (promise: Promise<unknown>) => {
    const res = await expectFailure(promise);
    return [
      res.status,
      (res.data.error as { reason?: string; message?: string }).reason ?? (res.data.error as { message?: string }).message,
    ];
  };

  it("removes TOTP and lookup secrets, and answers 404 for a type the identity does not have", async () => {
    const identity = await create(kratos);
    await addCredential(kratos, identity.id, "totp", {
      identifiers: [identity.id],
      config: { totp_url: "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP" },
    });
    await addCredential(kratos, identity.id, "lookup_secret", {
      identifiers: [identity.id],
      config: { recovery_codes: [{ code: "abcd" }] },
    });
    expect((await remove(kratos, identity.id, "totp")).status).toBe(204);
    expect((await remove(kratos, identity.id, "lookup_secret")).status).toBe(204);
    const left = await credentialsOf(kratos, identity.id);
    expect(Object.keys(left).sort()).toEqual(["code", "password", "webauthn"]);
    expect(await reason(remove(kratos, identity.id, "totp"))).toEqual([
      404,
      "You tried to remove a totp but this user have no totp set up.",
    ]);
    expect(await reason(remove(kratos, "8b3f5a4e-8d1c-4f47-9a33-0c4b6e1c2f10", "totp"))).toEqual([404, "Unable to locate the resource"]);
  });

  it("removes second-factor security keys and keeps passwordless ones", async () => {
    const key = (id: string, passwordless: boolean) => ({
      id,
      public_key: "cHVi",
      display_name: id,
      is_passwordless: passwordless,
      attestation_type: "none",
    });
    const mixed = await create(kratos);
    await addCredential(kratos, mixed.id, "webauthn", {
      identifiers: [],
      config: { credentials: [key("a2Vi", true), key("a2V5", false)], user_handle: "aGFuZGxl" },
    });
    expect((await remove(kratos, mixed.id, "webauthn")).status).toBe(204);
    const keys = ((await credentialsOf(kratos, mixed.id)).webauthn?.config as { credentials: { id: string }[] }).credentials;
    expect(keys.map((k) => k.id)).toEqual(["a2Vi"]);

    const mfaOnly = await create(kratos);
    await addCredential(kratos, mfaOnly.id, "webauthn", { identifiers: [], config: { credentials: [key("a2V5", false)] } });
    expect((await remove(kratos, mfaOnly.id, "webauthn")).status).toBe(204);
    // The credential goes, and Manager.Update's schema extension (extension_credentials.go) gives it back empty,
    // holding the schema's webauthn identifier.
    const email = z.object({ email: z.string() }).parse(mfaOnly.traits).email;
    expect((await credentialsOf(kratos, mfaOnly.id)).webauthn).toMatchObject({ identifiers: [email], config: {}, version: 0 });
  });

  it("keeps the last first factor, unless passwordless code login counts as another", async () => {
    const only = await create(kratos);
    expect(await reason(remove(kratos, only.id, "password"))).toEqual([400, "You cannot remove the last first factor credential."]);

    const codeUser = await create(passwordless);
    expect((await remove(passwordless, codeUser.id, "password")).status).toBe(204);
    // The credential stays with its identifiers and an empty config (identity.go deleteCredentialPassword).
    const password = (await credentialsOf(passwordless, codeUser.id)).password;
    expect(password?.config).toEqual({});
    expect(password?.identifiers).toEqual([z.object({ email: z.string() }).parse(codeUser.traits).email]);
  });

  it("removes one OIDC connection named by `identifier` while another first factor remains", async () => {
    const identity = await create(kratos, {
      password: { config: { password: STRONG_PASSWORD } },
      oidc: {
        config: {
          providers: [
            { provider: "google", subject: "g-1" },
            { provider: "github", subject: "h-1" },
          ],
        },
      },
    });
    expect(await reason(remove(kratos, identity.id, "oidc"))).toEqual([400, "You must provide an identifier to delete this credential."]);
    expect(await reason(remove(kratos, identity.id, "oidc", "google:nope"))).toEqual([
      404,
      "The identifier `google:nope` was not found among OIDC credentials.",
    ]);
    expect((await remove(kratos, identity.id, "oidc", "google:g-1")).status).toBe(204);
    const oidc = (await credentialsOf(kratos, identity.id)).oidc;
    expect(oidc?.identifiers).toEqual(["github:h-1"]);
    expect((oidc?.config as { providers: { provider: string }[] }).providers.map((p) => p.provider)).toEqual(["github"]);
    // The password and the last connection are two first factors: the password may go, then the connection may not.
    expect((await remove(kratos, identity.id, "password")).status).toBe(204);
    expect(await reason(remove(kratos, identity.id, "oidc", "github:h-1"))).toEqual([
      400,
      "You cannot remove the last first factor credential.",
    ]);
  });

  it("refuses the types Kratos cannot delete", async () => {
    const identity = await create(kratos);
    await addCredential(kratos, identity.id, "passkey", { identifiers: [identity.id], config: { credentials: [] } });
    expect(await reason(remove(kratos, identity.id, "passkey"))).toEqual([400, "Credentials type passkey cannot be deleted."]);
  });
});
