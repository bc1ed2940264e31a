import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratos,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";

async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; data: { error: { id?: string; code: number; message: string } } }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: { error: { id?: string; code: number; message: string } } } }).response;
    if (response) return response;
    throw error;
  }
  throw new Error("expected failure");
}

describe("admin API through @ory/client IdentityApi", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_admin")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const create = (email: string, extra: Record<string, unknown> = {}) =>
    kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email }, ...extra } });

  it("creates with a plaintext password (201), gets with include_credential, and the password logs in", async () => {
    const email = uniqueEmail("admin");
    const created = await create(email, {
      credentials: { password: { config: { password: STRONG_PASSWORD } } },
      metadata_public: { plan: "pro" },
      metadata_admin: { note: "vip" },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      schema_id: "default",
      state: "active",
      traits: { email },
      metadata_public: { plan: "pro" },
      metadata_admin: { note: "vip" },
    });
    expect(created.data.schema_url).toBe(`${kratos.publicUrl}/schemas/ZGVmYXVsdA`);
    expect(created.data.credentials?.password?.identifiers).toEqual([email]);
    expect(created.data.credentials?.password?.config).toBeUndefined();

    const withCreds = await kratos.identity.getIdentity({ id: created.data.id, includeCredential: ["password"] });
    const hash = (withCreds.data.credentials?.password?.config as { hashed_password: string }).hashed_password;
    expect(hash).toMatch(/^\$2[ab]\$04\$/);

    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const login = await kratos.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
    });
    expect(login.data.session.identity?.metadata_public).toEqual({ plan: "pro" });
    expect(login.data.session.identity).not.toHaveProperty("metadata_admin");
  });

  it("answers 409 for a duplicate identifier and 400 for invalid traits, storing nothing", async () => {
    const email = uniqueEmail("dup");
    await create(email, { credentials: { password: { config: { password: STRONG_PASSWORD } } } });
    const dup = await failure(create(email.toUpperCase(), { credentials: { password: { config: { password: STRONG_PASSWORD } } } }));
    expect(dup.status).toBe(409);
    expect(dup.data.error.code).toBe(409);
    const invalid = await failure(create("not-an-email"));
    expect(invalid.status).toBe(400);
    const unknownSchema = await failure(kratos.identity.createIdentity({ createIdentityBody: { schema_id: "nope", traits: {} } }));
    expect(unknownSchema.status).toBe(400);
    const { data } = await kratos.identity.listIdentities({ credentialsIdentifier: email });
    expect(data).toHaveLength(1);
  });

  it("lists with keyset pagination (Link header) and finds by credentials_identifier", async () => {
    for (let i = 0; i < 5; i++)
      await create(uniqueEmail("page"), { credentials: { password: { config: { hashed_password: bcrypt.hashSync("x", 4) } } } });
    const all: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await kratos.identity.listIdentities({ pageSize: 2, pageToken });
      pages++;
      all.push(...res.data.map((i) => i.id));
      const link = String(res.headers.link ?? "");
      expect(link).toContain('rel="first"');
      const next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
      pageToken = next ? (new URL(next, kratos.adminUrl).searchParams.get("page_token") ?? undefined) : undefined;
    } while (pageToken);
    expect(new Set(all).size).toBe(all.length);
    expect(pages).toBeGreaterThanOrEqual(3);
    const { data: everyone } = await kratos.identity.listIdentities({ pageSize: 1000 });
    expect(all.sort()).toEqual(everyone.map((i) => i.id).sort());

    const target = uniqueEmail("find");
    const created = await create(target, { credentials: { password: { config: { password: STRONG_PASSWORD } } } });
    const found = await kratos.identity.listIdentities({ credentialsIdentifier: target });
    expect(found.data.map((i) => i.id)).toEqual([created.data.id]);
  });

  it("updates with PUT and JSON Patch, toggles state and deletes", async () => {
    const email = uniqueEmail("update");
    const { data: identity } = await create(email);
    const put = await kratos.identity.updateIdentity({
      id: identity.id,
      updateIdentityBody: { schema_id: "default", traits: { email, name: { first: "Put" } }, state: "inactive", metadata_public: { a: 1 } },
    });
    expect(put.data).toMatchObject({ state: "inactive", traits: { name: { first: "Put" } }, metadata_public: { a: 1 } });

    const patched = await kratos.identity.patchIdentity({
      id: identity.id,
      jsonPatch: [
        { op: "replace", path: "/traits/name/first", value: "Patched" },
        { op: "replace", path: "/state", value: "active" },
        { op: "add", path: "/metadata_admin", value: { reviewed: true } },
      ],
    });
    expect(patched.data).toMatchObject({ state: "active", traits: { name: { first: "Patched" } }, metadata_admin: { reviewed: true } });
    const badPatch = await failure(
      kratos.identity.patchIdentity({ id: identity.id, jsonPatch: [{ op: "replace", path: "/traits/email", value: 7 }] }),
    );
    expect(badPatch.status).toBe(400);
    const badPath = await failure(
      kratos.identity.patchIdentity({ id: identity.id, jsonPatch: [{ op: "remove", path: "/traits/missing" }] }),
    );
    expect(badPath.status).toBe(400);

    // Kratos reads the identity from the database, where unset admin metadata is a JSON null that
    // is present in the patched document; a `replace` of an object member is an `add` anyway
    // (oryx/jsonx/patch.go ApplyJSONPatch), so both set it.
    const { data: plain } = await create(uniqueEmail("no-admin-metadata"));
    const replacedMissing = await kratos.identity.patchIdentity({
      id: plain.id,
      jsonPatch: [{ op: "replace", path: "/metadata_admin", value: { a: 1 } }],
    });
    expect(replacedMissing.data.metadata_admin).toEqual({ a: 1 });
    const publicReplaced = await kratos.identity.patchIdentity({
      id: plain.id,
      jsonPatch: [{ op: "replace", path: "/metadata_public", value: { a: 1 } }],
    });
    expect(publicReplaced.data.metadata_public).toEqual({ a: 1 });

    expect((await kratos.identity.deleteIdentity({ id: identity.id })).status).toBe(204);
    const gone = await failure(kratos.identity.getIdentity({ id: identity.id }));
    expect(gone.status).toBe(404);
  });

  it("blocks login for inactive identities", async () => {
    const email = uniqueEmail("inactive");
    await create(email, { state: "inactive", credentials: { password: { config: { password: STRONG_PASSWORD } } } });
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const res = await failure(
      kratos.frontend.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
      }),
    );
    // Kratos' "identity is disabled" answer (the login flow's own error, not a re-rendered form).
    expect(res.status).toBe(401);
    expect(res.data.error.message).toBe("identity is disabled");
  });

  it("lists, extends and revokes sessions", async () => {
    const email = uniqueEmail("sessions");
    const { data: identity } = await create(email, { credentials: { password: { config: { password: STRONG_PASSWORD } } } });
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { data: flow } = await kratos.frontend.createNativeLoginFlow();
      const { data } = await kratos.frontend.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
      });
      tokens.push(data.session_token ?? "");
    }
    const mine = await kratos.identity.listIdentitySessions({ id: identity.id });
    expect(mine.data).toHaveLength(3);
    const all = await kratos.identity.listSessions({ expand: ["identity"] });
    expect(all.data.some((s) => s.identity?.id === identity.id)).toBe(true);

    const first = mine.data[0];
    if (!first) throw new Error("no session");
    const one = await kratos.identity.getSession({ id: first.id, expand: ["identity"] });
    expect(one.data.identity?.id).toBe(identity.id);
    const extended = await kratos.identity.extendSession({ id: first.id });
    expect(new Date(extended.data.expires_at ?? 0).getTime()).toBeGreaterThan(Date.now());

    const others = await kratos.frontend.listMySessions({ xSessionToken: tokens[0] });
    expect(others.data).toHaveLength(2);
    const revoked = await kratos.frontend.disableMyOtherSessions({ xSessionToken: tokens[0] });
    expect(revoked.data.count).toBe(2);
    expect((await failure(kratos.frontend.toSession({ xSessionToken: tokens[1] }))).status).toBe(401);

    await kratos.identity.disableSession({ id: first.id });
    await kratos.identity.deleteIdentitySessions({ id: identity.id });
    expect((await failure(kratos.frontend.toSession({ xSessionToken: tokens[0] }))).status).toBe(401);
  });

  it("serves identity schemas by id and by base64url id", async () => {
    const { data: list } = await kratos.identity.listIdentitySchemas();
    expect(list.map((s) => s.id)).toEqual(["default", "customer", "company"]);
    const byId = await kratos.identity.getIdentitySchema({ id: "customer" });
    expect((byId.data as { title: string }).title).toBe("Customer (full profile)");
    const byEncoded = await fetch(`${kratos.publicUrl}/schemas/ZGVmYXVsdA`);
    expect(((await byEncoded.json()) as { title: string }).title).toBe("Customer (basic)");
  });

  it("reports health on both ports", async () => {
    for (const base of [kratos.publicUrl, kratos.adminUrl]) {
      expect((await fetch(`${base}/health/alive`)).status).toBe(200);
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    }
  });

  it("requires the admin bearer token when one is configured", async () => {
    const guarded = await startKratos(pg, "ciam_admin_token", { adminToken: "s3cret-admin-token" });
    try {
      const anonymous = await fetch(`${guarded.adminUrl}/admin/identities`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="kratos-admin"');
      expect(((await anonymous.json()) as { error: { code: number } }).error.code).toBe(401);
      const wrong = await fetch(`${guarded.adminUrl}/schemas`, { headers: { Authorization: "Bearer not-the-admin-token" } });
      expect(wrong.status).toBe(401);
      const { status } = await guarded.identity.listIdentities();
      expect(status).toBe(200);
      expect((await fetch(`${guarded.adminUrl}/health/ready`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
