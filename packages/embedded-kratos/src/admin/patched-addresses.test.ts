import { randomUUID } from "node:crypto";
import { Client as PgClient } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

interface Address {
  id: string;
  value: string;
  verified?: boolean;
  status?: string;
  created_at: string;
}

/**
 * Addresses of an updated identity as Kratos' persister stores them
 * (persistence/sql/identity/persister_identity.go UpdateIdentity with
 * updateAssociationWith and diffAssociations; identity_verification.go and
 * identity_recovery.go Signature): a stored row whose signature the new
 * address shares is kept as it is — a new `id` or `created_at` is ignored —
 * and any other is deleted, with its tokens, and inserted again.
 */
describe("patched addresses against the stored rows", () => {
  const database = "ciam_admin_patched_addresses";
  let pg: TestPostgres;
  let kratos: TestKratos;
  let db: PgClient;

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres(database));
    db = new PgClient({ connectionString: pg.url(database) });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stopKratosAndPostgres(kratos, pg);
  });

  const send = (method: string, path: string, body: unknown) =>
    fetch(`${kratos.adminUrl}${path}`, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const created = async () => {
    const res = await send("POST", "/admin/identities", { schema_id: "default", traits: { email: uniqueEmail("addresses") } });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; verifiable_addresses: Address[]; recovery_addresses: Address[] };
  };
  const addToken = async (addressId: string) => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO selfservice_verification_tokens (id, strategy, secret_hash, verifiable_address_id, expires_at)
       VALUES ($1, 'code', '\\x00', $2, now() + interval '1 hour')`,
      [id, addressId],
    );
    return id;
  };
  const tokenExists = async (id: string) =>
    (await db.query("SELECT 1 FROM selfservice_verification_tokens WHERE id = $1", [id])).rowCount === 1;

  it("a new id alone changes no signature: the stored address, its id and its tokens stay", async () => {
    const identity = await created();
    const [address] = identity.verifiable_addresses;
    if (!address) throw new Error("the schema gives every identity a verifiable address");
    const token = await addToken(address.id);
    const res = await send("PATCH", `/admin/identities/${identity.id}`, [
      { op: "replace", path: "/verifiable_addresses/0/id", value: randomUUID() },
      { op: "replace", path: "/recovery_addresses/0/created_at", value: "2018-01-01T00:00:00Z" },
    ]);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as typeof identity;
    expect(answer.verifiable_addresses[0]?.id).toBe(address.id);
    // A recovery address's signature is its value and via: a patched created_at is not stored.
    expect(answer.recovery_addresses[0]?.created_at).toBe(identity.recovery_addresses[0]?.created_at);
    const read = (await (await fetch(`${kratos.adminUrl}/admin/identities/${identity.id}`)).json()) as typeof identity;
    expect(read.verifiable_addresses[0]?.id).toBe(address.id);
    expect(read.recovery_addresses[0]?.created_at).toBe(identity.recovery_addresses[0]?.created_at);
    expect(await tokenExists(token)).toBe(true);
  });

  it("a changed verified state deletes the stored row, and its verification tokens, before inserting the address again", async () => {
    const identity = await created();
    const [address] = identity.verifiable_addresses;
    if (!address) throw new Error("the schema gives every identity a verifiable address");
    const token = await addToken(address.id);
    const renamed = randomUUID();
    const res = await send("PATCH", `/admin/identities/${identity.id}`, [
      { op: "replace", path: "/verifiable_addresses/0/verified", value: true },
      { op: "replace", path: "/verifiable_addresses/0/id", value: renamed },
    ]);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as typeof identity;
    expect(answer.verifiable_addresses[0]).toMatchObject({ id: renamed, verified: true, status: "pending" });
    expect(await tokenExists(token)).toBe(false);
  });

  it("a patched address whose value is not the trait's exactly is passed over: the trait's address starts afresh (extension_verification.go has)", async () => {
    const identity = await created();
    const [address] = identity.verifiable_addresses;
    if (!address) throw new Error("the schema gives every identity a verifiable address");
    const verified = await send("PATCH", `/admin/identities/${identity.id}`, [
      { op: "replace", path: "/verifiable_addresses/0/verified", value: true },
    ]);
    expect(((await verified.json()) as typeof identity).verifiable_addresses[0]).toMatchObject({ verified: true });
    const spaced = await send("PATCH", `/admin/identities/${identity.id}`, [
      { op: "replace", path: "/verifiable_addresses/0/value", value: ` ${address.value} ` },
    ]);
    expect(spaced.status).toBe(200);
    const answer = ((await spaced.json()) as typeof identity).verifiable_addresses[0];
    expect(answer).toMatchObject({ value: address.value, verified: false, status: "pending" });
    expect(answer?.id).not.toBe(address.id);
  });
});
