import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";

/**
 * The admin endpoints read their bodies as bytes, as Kratos' handlers do
 * with Go's encoding/json (decode.go, scanner.go; identity/handler.go
 * create, update, patch, batchPatchIdentities), and answer patched times as
 * Kratos on Postgres does.
 */
describe("admin bodies decoded from their bytes, as Go does", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_go_decoding")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));
  const send = (method: string, path: string, body: Buffer | string) =>
    fetch(`${kratos.adminUrl}${path}`, { method, headers: { "Content-Type": "application/json" }, body });
  const errorOf = async (res: Response) => ((await res.json()) as { error: Record<string, unknown> }).error;
  const identityJson = (email: string, rest = "") => `{"schema_id":"default","traits":{"email":${JSON.stringify(email)}}${rest}}`;
  const countByExternalId = async (externalId: string) =>
    (await fetch(`${kratos.adminUrl}/admin/identities/by/external/${encodeURIComponent(externalId)}`)).status;

  it("a stray byte is quoted as the rune of its value (scanner.go quoteChar): 0xff is 'ÿ', not the U+FFFD a text read makes", async () => {
    const create = await send("POST", "/admin/identities", bytes([0xff]));
    expect(create.status).toBe(400);
    expect((await errorOf(create)).message).toBe("invalid character 'ÿ' looking for beginning of value");

    const email = uniqueEmail("stray");
    const { id } = (await (await send("POST", "/admin/identities", identityJson(email))).json()) as { id: string };
    const update = await send("PUT", `/admin/identities/${id}`, bytes('{"traits":', [0xfe]));
    expect(update.status).toBe(400);
    expect((await errorOf(update)).reason).toBe("Unable to decode JSON payload: invalid character 'þ' looking for beginning of value");
  });

  it("strings: each byte that is not UTF-8 and each unpaired surrogate escape is U+FFFD (decode.go unquoteBytes)", async () => {
    const email = uniqueEmail("fffd");
    const res = await send(
      "POST",
      "/admin/identities",
      bytes(identityJson(email, `,"external_id":"x`).slice(0, -1), [0xe2, 0x82], 'y\\ud800"}'),
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { external_id: string }).external_id).toBe("x\uFFFD\uFFFDy\uFFFD");
  });

  it("json.RawMessage keeps the bytes as sent, which Postgres refuses: 400 here (Kratos' insert fails with 500), nothing stored", async () => {
    const externalId = `raw-${Date.now()}`;
    const res = await send(
      "POST",
      "/admin/identities",
      bytes(identityJson(uniqueEmail("raw"), `,"external_id":"${externalId}","metadata_public":{"note":"a`).slice(0, -1), [0xff], '"}}'),
    );
    expect(res.status).toBe(400);
    expect(await countByExternalId(externalId)).toBe(404);
  });

  it("a time is parsed from the literal as written (time.Time UnmarshalJSON): escapes are not undone", async () => {
    const email = uniqueEmail("escaped-time");
    const body = identityJson(
      email,
      `,"verifiable_addresses":[{"value":"${email}","via":"email","created_at":"2020\\u002d01-02T03:04:05Z"}]`,
    );
    const message =
      'parsing time "2020\\\\u002d01-02T03:04:05Z" as "2006-01-02T15:04:05Z07:00": cannot parse "\\\\u002d01-02T03:04:05Z" as "-"';
    const create = await send("POST", "/admin/identities", body);
    expect(create.status).toBe(400);
    expect((await errorOf(create)).message).toBe(message);
    const batch = await send("PATCH", "/admin/identities", `{"identities":[{"create":${body}}]}`);
    expect(batch.status).toBe(400);
    expect((await errorOf(batch)).message).toBe(message);
  });

  it("repeated keys decode into the same field: a second `credentials` object merges into the first (decode.go object)", async () => {
    const email = uniqueEmail("repeated");
    const res = await send(
      "POST",
      "/admin/identities",
      identityJson(email, `,"credentials":{"password":{"config":{"password":"${STRONG_PASSWORD}"}}},"Credentials":{}`),
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const read = (await (await fetch(`${kratos.adminUrl}/admin/identities/${id}?include_credential=password`)).json()) as {
      credentials?: { password?: { config?: { hashed_password?: string } } };
    };
    expect(read.credentials?.password?.config?.hashed_password).toMatch(/^\$2a\$/);
  });

  it("the admin recovery endpoints decode with decoderx's HTTPJSONDecoder too (strategy/code createRecoveryCodeForIdentity)", async () => {
    const res = await send("POST", "/admin/recovery/code", '{"identity_id":"nope"}');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).reason).toBe('Unable to decode JSON payload: uuid: incorrect UUID length 4 in string "nope"');
    // A missing identity_id is the nil UUID, which names no identity.
    const missing = await send("POST", "/admin/recovery/code", "{}");
    expect(missing.status).toBe(404);
  });

  it("patched times: the answer keeps the given offset and nanoseconds, Postgres the wall clock (handler.go patch, pgx timestamp)", async () => {
    const email = uniqueEmail("patched-time");
    const { id } = (await (await send("POST", "/admin/identities", identityJson(email))).json()) as { id: string };
    const res = await send(
      "PATCH",
      `/admin/identities/${id}`,
      JSON.stringify([
        { op: "replace", path: "/created_at", value: "2019-01-02T03:04:05.123456789+02:00" },
        { op: "replace", path: "/state_changed_at", value: "2019-02-03T04:05:06.5-07:00" },
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      created_at: "2019-01-02T03:04:05.123456789+02:00",
      state_changed_at: "2019-02-03T04:05:06.5-07:00",
    });
    const read = (await (await fetch(`${kratos.adminUrl}/admin/identities/${id}`)).json()) as Record<string, unknown>;
    // Postgres keeps the wall clock's microseconds (pgx truncates the nanoseconds), printed as RFC3339Nano.
    expect(read).toMatchObject({ created_at: "2019-01-02T03:04:05.123456Z", state_changed_at: "2019-02-03T04:05:06.5Z" });
  });

  it("imported address times: answered as decoded (offset, nanoseconds), stored as Postgres keeps them (handler.go create, batch.Create)", async () => {
    const email = uniqueEmail("imported-time");
    const address = `{"value":${JSON.stringify(email)},"via":"email","verified":true,"status":"completed","verified_at":"2019-01-02T03:04:05.123456789+02:00","created_at":"2019-01-01T00:00:00.5-07:00"}`;
    const created = await send("POST", "/admin/identities", identityJson(email, `,"verifiable_addresses":[${address}]`));
    const body = (await created.json()) as { id: string; verifiable_addresses: Record<string, unknown>[] };
    expect(created.status, JSON.stringify(body)).toBe(201);
    expect(body.verifiable_addresses[0]).toMatchObject({
      verified_at: "2019-01-02T03:04:05.123456789+02:00",
      created_at: "2019-01-01T00:00:00.5-07:00",
    });
    const read = (await (await fetch(`${kratos.adminUrl}/admin/identities/${body.id}`)).json()) as typeof body;
    expect(read.verifiable_addresses[0]).toMatchObject({
      verified_at: "2019-01-02T03:04:05.123456Z",
      created_at: "2019-01-01T00:00:00.5Z",
    });
  });
});
