import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";
import { anyString } from "../testing/matchers";

/**
 * PATCH /admin/identities — identity/handler.go batchPatchIdentities, with
 * identity/manager.go CreateIdentities (per-identity validation errors) and
 * persistence/sql/identity/persister_identity.go CreateIdentities (partial
 * inserts: conflicts become 409 entries, the rest is created).
 */
describe("batch PATCH /admin/identities", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_batch")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const batch = (body: unknown) =>
    fetch(`${kratos.adminUrl}/admin/identities`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("creates many identities in one call, one result per patch with patch_id, action and identity (through @ory/client)", async () => {
    const emails = [uniqueEmail("batch"), uniqueEmail("batch"), uniqueEmail("batch")];
    const patchIds = emails.map(() => randomUUID());
    const { status, data } = await kratos.identity.batchPatchIdentities({
      patchIdentitiesBody: {
        identities: emails.map((email, i) => ({
          patch_id: patchIds[i],
          create: {
            schema_id: "default",
            traits: { email },
            metadata_public: { n: i },
            credentials: { password: { config: { password: `batch-secret-${i}` } } },
          },
        })),
      },
    });
    expect(status).toBe(200);
    expect(data.identities?.map((r) => [r.action, r.patch_id])).toEqual(patchIds.map((id) => ["create", id]));
    for (const [i, result] of (data.identities ?? []).entries()) {
      expect(result).not.toHaveProperty("error");
      const { data: identity } = await kratos.identity.getIdentity({ id: result.identity ?? "" });
      expect(identity.traits).toEqual({ email: emails[i] });
      expect(identity.metadata_public).toEqual({ n: i });
      expect(identity.credentials?.password?.identifiers).toEqual([emails[i]]);
    }
  });

  it("answers an error entry per failed identity and creates the others", async () => {
    const taken = uniqueEmail("batch-taken");
    await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email: taken } } });
    const fresh = uniqueEmail("batch-fresh");
    const twice = uniqueEmail("batch-twice");
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const res = await batch({
      identities: [
        { patch_id: ids[0], create: { schema_id: "default", traits: { email: "not-an-email" } } },
        { patch_id: ids[1], create: { schema_id: "default", traits: { email: taken } } },
        { patch_id: ids[2], create: { schema_id: "default", traits: { email: fresh } } },
        { patch_id: ids[3], create: { schema_id: "default", traits: { email: twice } } },
        { patch_id: ids[4], create: { schema_id: "default", traits: { email: twice } } },
        { create: { schema_id: "nope", traits: {} } },
        { patch_id: randomUUID() },
      ],
    });
    expect(res.status).toBe(200);
    const { identities } = (await res.json()) as { identities: (Record<string, unknown> | null)[] };
    expect(identities).toHaveLength(7);
    expect(identities[0]).toEqual({
      action: "error",
      patch_id: ids[0],
      error: {
        code: 400,
        status: "Bad Request",
        reason: 'I[#/traits/email] S[#/properties/traits/properties/email/format] "not-an-email" is not valid "email"',
        message: "The request was malformed or contained invalid parameters",
      },
    });
    const conflict = {
      action: "error",
      error: {
        code: 409,
        status: "Conflict",
        message: "Unable to insert or update resource because a resource with that value exists already",
      },
    };
    expect(identities[1]).toEqual({ ...conflict, patch_id: ids[1] });
    expect(identities[2]).toMatchObject({ action: "create", patch_id: ids[2], identity: anyString() });
    // Within one batch the first of two identical identities wins.
    expect(identities[3]).toMatchObject({ action: "create", patch_id: ids[3] });
    expect(identities[4]).toEqual({ ...conflict, patch_id: ids[4] });
    // No patch_id: none in the answer.
    expect(identities[5]).toEqual({
      action: "error",
      error: {
        code: 400,
        status: "Bad Request",
        reason: "Unable to find JSON Schema ID: nope",
        message: "The request was malformed or contained invalid parameters",
      },
    });
    // A patch without `create` has a null entry.
    expect(identities[6]).toBeNull();

    const found = await kratos.identity.listIdentities({ credentialsIdentifier: fresh });
    expect(found.data.map((i) => i.id)).toEqual([identities[2]?.identity]);
  });

  it("stores the batch in one transaction: a database failure midway creates none (persister_identity.go CreateIdentities)", async () => {
    const boom = uniqueEmail("batch-boom");
    // A failure that is not a conflict, raised by the database for the second identity only.
    await pg.query(
      `CREATE OR REPLACE FUNCTION refuse_boom() RETURNS trigger AS $$
       BEGIN IF NEW.traits->>'email' = '${boom}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
      [],
      "ciam_admin_batch",
    );
    await pg.query(
      "CREATE TRIGGER refuse_boom BEFORE INSERT ON identities FOR EACH ROW EXECUTE FUNCTION refuse_boom()",
      [],
      "ciam_admin_batch",
    );
    try {
      const first = uniqueEmail("batch-first");
      const res = await batch({
        identities: [first, boom, uniqueEmail("batch-last")].map((email) => ({ create: { schema_id: "default", traits: { email } } })),
      });
      expect(res.status).toBe(500);
      const found = await kratos.identity.listIdentities({ credentialsIdentifier: first });
      expect(found.data).toEqual([]);
    } finally {
      await pg.query("DROP TRIGGER refuse_boom ON identities", [], "ciam_admin_batch");
    }
  });

  it("refuses more than 1000 patches, and more than 200 plaintext passwords, before creating anything", async () => {
    const tooMany = await batch({
      identities: Array.from({ length: 1001 }, () => ({ create: { schema_id: "default", traits: { email: uniqueEmail("x") } } })),
    });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({
      error: { code: 400, reason: "The maximum number of identities per request that can be created or deleted at once is 1000." },
    });

    const email = uniqueEmail("batch-plaintext");
    const plaintext = await batch({
      identities: Array.from({ length: 201 }, (_, i) => ({
        create: {
          schema_id: "default",
          traits: { email: i === 0 ? email : uniqueEmail("p") },
          credentials: { password: { config: { password: "plain-secret-1" } } },
        },
      })),
    });
    expect(plaintext.status).toBe(400);
    expect(await plaintext.json()).toMatchObject({
      error: { code: 400, reason: "The maximum number of identities per request that can be created with a plaintext password is 200." },
    });
    expect((await kratos.identity.listIdentities({ credentialsIdentifier: email })).data).toEqual([]);
  });

  it("fails the whole request for a bad state or hash, and decodes strictly", async () => {
    const badState = await batch({
      identities: [
        { create: { schema_id: "default", traits: { email: uniqueEmail("s") } } },
        { create: { schema_id: "default", traits: {}, state: "frozen" } },
      ],
    });
    expect(badState.status).toBe(400);
    expect(await badState.json()).toMatchObject({ error: { code: 400, reason: "identity state is not valid" } });

    const badHash = await batch({
      identities: [{ create: { schema_id: "default", traits: {}, credentials: { password: { config: { hashed_password: "plain" } } } } }],
    });
    expect(badHash.status).toBe(400);

    // A JSON decoding error is written with status 400 and herodot's default body code (500).
    const unknown = await batch({ identities: [], nope: true });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: { code: 500, status: "Internal Server Error", message: 'json: unknown field "nope"' },
    });
    const unknownNested = await batch({ identities: [{ create: { schema_id: "default", traits: {}, credentials: { totp: {} } } }] });
    expect(((await unknownNested.json()) as { error: { message: string } }).error.message).toBe('json: unknown field "totp"');
    const wrongType = await batch({ identities: [{ patch_id: "not-a-uuid" }] });
    expect(((await wrongType.json()) as { error: { message: string } }).error.message).toBe(
      'uuid: incorrect UUID length 10 in string "not-a-uuid"',
    );

    const empty = await batch({});
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ identities: [] });
  });
});
