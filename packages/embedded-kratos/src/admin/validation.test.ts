import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";
import { anyString, objectContaining, stringMatching } from "../testing/matchers";

/**
 * How strictly the admin endpoints read their input and how they answer,
 * endpoint by endpoint, as Kratos' handlers do (each `it` names its source).
 */
describe("admin API input validation and error answers", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_validation")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
    fetch(`${kratos.adminUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
  const errorOf = async (res: Response) => {
    const { error } = (await res.json()) as { error: Record<string, unknown> };
    delete error.request;
    return error;
  };
  const BAD_REQUEST = { code: 400, status: "Bad Request" };
  const MALFORMED = "The request was malformed or contained invalid parameters";
  const create = (traits: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    send("POST", "/admin/identities", { schema_id: "default", traits, ...extra });

  it("POST /admin/identities decodes strictly with Go's messages (identity/handler.go create: jsonx.NewStrictDecoder)", async () => {
    const cases: [unknown, string][] = [
      [{ schema_id: "default", traits: {}, unknown: 1 }, 'json: unknown field "unknown"'],
      [{ schema_id: "default", traits: {}, credentials: { totp: {} } }, 'json: unknown field "totp"'],
      [{ schema_id: 7 }, "json: cannot unmarshal number into Go struct field CreateIdentityBody.schema_id of type string"],
      [{ state: true }, "json: cannot unmarshal bool into Go struct field CreateIdentityBody.state of type identity.State"],
      [
        { credentials: { password: { config: { password: 1 } } } },
        "json: cannot unmarshal number into Go struct field AdminIdentityImportCredentialsPasswordConfig.credentials.password.config.password of type string",
      ],
      [
        { verifiable_addresses: [{ verified: "yes" }] },
        "json: cannot unmarshal string into Go struct field VerifiableAddress.verifiable_addresses.verified of type bool",
      ],
      [{ organization_id: "nope" }, 'uuid: incorrect UUID length 4 in string "nope"'],
      [[], "json: cannot unmarshal array into Go value of type identity.CreateIdentityBody"],
      ["", "EOF"],
    ];
    for (const [body, message] of cases) {
      const res = await send("POST", "/admin/identities", body);
      expect(res.status, message).toBe(400);
      expect(await errorOf(res)).toEqual({ ...BAD_REQUEST, message });
    }
    // Go matches keys without regard to case.
    const email = uniqueEmail("case");
    const res = await send("POST", "/admin/identities", { Schema_ID: "default", TRAITS: { email } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { traits: unknown }).traits).toEqual({ email });
  });

  it("error bodies carry `request` only as an echo of X-Request-ID (herodot json.go defaultJSONErrorEnhancer, ToDefaultError)", async () => {
    const missing = `/admin/identities/${randomUUID()}`;
    const plain = (await (await send("GET", missing)).json()) as { error: Record<string, unknown> };
    expect(plain.error).not.toHaveProperty("request");
    const tagged = (await (await send("GET", missing, undefined, { "X-Request-ID": "req-42" })).json()) as {
      error: Record<string, unknown>;
    };
    expect(tagged.error).toEqual({ code: 404, status: "Not Found", request: "req-42", message: "Unable to locate the resource" });
  });

  it("create answers omit metadata_admin unless the body has it (identity/handler.go create; identity.go MetadataAdmin omitempty)", async () => {
    const absent = (await (await create({ email: uniqueEmail("meta") })).json()) as Record<string, unknown>;
    expect(absent).not.toHaveProperty("metadata_admin");
    expect(absent.metadata_public).toBeNull();
    const explicit = (await (await create({ email: uniqueEmail("meta") }, { metadata_admin: null })).json()) as Record<string, unknown>;
    expect(explicit.metadata_admin).toBeNull();
    const read = (await (await send("GET", `/admin/identities/${String(absent.id)}`)).json()) as Record<string, unknown>;
    expect(read.metadata_admin).toBeNull();
    const removed = await send("PATCH", `/admin/identities/${String(absent.id)}`, [{ op: "remove", path: "/metadata_admin" }]);
    expect(removed.status).toBe(200);
    expect((await removed.json()) as Record<string, unknown>).not.toHaveProperty("metadata_admin");
    const kept = await send("PATCH", `/admin/identities/${String(absent.id)}`, [
      { op: "replace", path: "/metadata_public", value: { a: 1 } },
    ]);
    expect(((await kept.json()) as Record<string, unknown>).metadata_admin).toBeNull();
  });

  it("POST /admin/identities checks state, schema and traits with Kratos' reasons (identityFromCreateIdentityBody, Manager.Create)", async () => {
    expect(await errorOf(await create({ email: uniqueEmail("s") }, { state: "frozen" }))).toEqual({
      ...BAD_REQUEST,
      reason: "identity state is not valid",
      message: MALFORMED,
    });
    expect(await errorOf(await send("POST", "/admin/identities", { schema_id: "nope", traits: {} }))).toEqual({
      ...BAD_REQUEST,
      reason: "Unable to find JSON Schema ID: nope",
      message: MALFORMED,
    });
    expect(await errorOf(await create({ email: "not-an-email" }))).toEqual({
      ...BAD_REQUEST,
      reason: 'I[#/traits/email] S[#/properties/traits/properties/email/format] "not-an-email" is not valid "email"',
      message: MALFORMED,
    });
    expect(await errorOf(await create({}))).toEqual({
      ...BAD_REQUEST,
      reason: 'I[#/traits] S[#/properties/traits/required] missing properties: "email"',
      message: MALFORMED,
    });
    // An empty schema_id is the default schema.
    const email = uniqueEmail("default-schema");
    const res = await send("POST", "/admin/identities", { traits: { email } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ schema_id: "default", organization_id: null, state: "active" });
    expect(body.state_changed_at).toEqual(expect.any(String));
    // The schema's identifiers give every identity a password, webauthn and code credential (extension_credentials.go
    // SchemaExtensionCredentials.Run), the first two empty until a password or key is set.
    expect(body.credentials).toEqual({
      password: objectContaining({ type: "password", identifiers: [email], version: 0 }),
      webauthn: objectContaining({ type: "webauthn", identifiers: [email], version: 0 }),
      code: objectContaining({ type: "code", identifiers: [email], version: 1 }),
    });
    const dup = await send("POST", "/admin/identities", { traits: { email } });
    expect(dup.status).toBe(409);
    expect(await errorOf(dup)).toEqual({
      code: 409,
      status: "Conflict",
      reason: "This identity conflicts with another identity that already exists.",
      message: "The resource could not be created due to a conflict",
    });
  });

  it("imports verifiable addresses only when value and via match the schema's (identity/extension_verification.go)", async () => {
    const email = uniqueEmail("verified");
    const res = await send("POST", "/admin/identities", {
      schema_id: "customer",
      traits: { email: email.toUpperCase() },
      verifiable_addresses: [{ value: email.toUpperCase(), via: "email", verified: true }],
    });
    expect(res.status).toBe(201);
    const [address] = ((await res.json()) as { verifiable_addresses: Record<string, unknown>[] }).verifiable_addresses;
    expect(address).toMatchObject({ value: email, via: "email", verified: true, status: "completed", verified_at: anyString() });

    const noVia = uniqueEmail("no-via");
    const other = await send("POST", "/admin/identities", {
      schema_id: "customer",
      traits: { email: noVia },
      verifiable_addresses: [{ value: noVia, verified: true }],
    });
    const [unverified] = ((await other.json()) as { verifiable_addresses: Record<string, unknown>[] }).verifiable_addresses;
    expect(unverified).toMatchObject({ value: noVia, verified: false, status: "pending" });
  });

  it("keeps imported address objects whole: ids, created_at, any status, recovery addresses (handler.go identityFromCreateIdentityBody, extension_recovery.go, persister batch.Create)", async () => {
    const email = uniqueEmail("imported");
    const [verifiableId, recoveryId] = [randomUUID(), randomUUID()];
    const createdAt = "2020-05-06T07:08:09Z";
    const res = await send("POST", "/admin/identities", {
      schema_id: "customer",
      traits: { email },
      verifiable_addresses: [
        {
          id: verifiableId,
          value: email,
          via: "email",
          verified: false,
          status: "custom-status",
          created_at: createdAt,
          updated_at: createdAt,
        },
      ],
      recovery_addresses: [{ id: recoveryId, value: email.toUpperCase(), via: "email", created_at: createdAt, updated_at: createdAt }],
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      id: string;
      verifiable_addresses: Record<string, unknown>[];
      recovery_addresses: Record<string, unknown>[];
    };
    const read = (await (await send("GET", `/admin/identities/${created.id}`)).json()) as typeof created;
    for (const body of [created, read]) {
      expect(body.verifiable_addresses).toEqual([
        expect.objectContaining({
          id: verifiableId,
          value: email,
          verified: false,
          status: "custom-status",
          created_at: "2020-05-06T07:08:09Z",
        }),
      ]);
      expect(body.recovery_addresses).toEqual([
        expect.objectContaining({ id: recoveryId, value: email, created_at: "2020-05-06T07:08:09Z" }),
      ]);
      // batch.Create stamps updated_at itself.
      expect(body.recovery_addresses[0]?.updated_at).not.toBe("2020-05-06T07:08:09Z");
    }
  });

  it("GET answers 404 with sqlcon's message and checks include_credential (identity/handler.go get, getByExternalID)", async () => {
    expect(await errorOf(await send("GET", `/admin/identities/${randomUUID()}`))).toEqual({
      code: 404,
      status: "Not Found",
      message: "Unable to locate the resource",
    });
    expect((await send("GET", "/admin/identities/not-a-uuid")).status).toBe(404);
    const { id } = (await (await create({ email: uniqueEmail("get") }, { external_id: `ext-${randomUUID()}` })).json()) as {
      id: string;
      external_id: string;
    };
    // Kratos' message prints the types accepted so far, not the refused one.
    expect(await errorOf(await send("GET", `/admin/identities/${id}?include_credential=password&include_credential=secret`))).toEqual({
      ...BAD_REQUEST,
      reason: "Invalid value `[password]` for parameter `include_credential`.",
      message: MALFORMED,
    });
    const { data } = await kratos.identity.getIdentity({ id });
    const byExternal = await send("GET", `/admin/identities/by/external/${encodeURIComponent(data.external_id ?? "")}`);
    expect(((await byExternal.json()) as { id: string }).id).toBe(id);
    expect((await send("GET", `/admin/identities/by/external/nope-${randomUUID()}`)).status).toBe(404);
  });

  it("PUT /admin/identities/{id} reads with decoderx and replaces what it is given (identity/handler.go update)", async () => {
    const email = uniqueEmail("put");
    const { id } = (await (await create({ email }, { external_id: `ext-${randomUUID()}`, metadata_admin: { a: 1 } })).json()) as {
      id: string;
    };
    const noType = await send("PUT", `/admin/identities/${id}`, { traits: { email } }, {});
    expect(await errorOf(noType)).toMatchObject({
      ...BAD_REQUEST,
      reason: 'HTTP PUT Request used unknown HTTP Header "Content-Type: text/plain;charset=UTF-8", only [application/json] are supported.',
    });
    expect(await errorOf(await send("PUT", `/admin/identities/${id}`, { traits: 5 }))).toMatchObject({
      ...BAD_REQUEST,
      reason: stringMatching(/expected object, but got number$/),
    });
    expect(await errorOf(await send("PUT", `/admin/identities/${id}`, { state: 1 }))).toMatchObject({
      ...BAD_REQUEST,
      reason:
        "Unable to decode JSON payload: json: cannot unmarshal number into Go struct field UpdateIdentityBody.state of type identity.State",
    });
    // Unknown fields are ignored; metadata and external_id not given are cleared.
    const res = await send("PUT", `/admin/identities/${id}`, {
      traits: { email },
      whatever: true,
      credentials: { password: { config: { password: STRONG_PASSWORD } } },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    // Identity.MetadataAdmin is `omitempty` (identity/identity.go): the update answer leaves it out, a read shows null.
    expect(body).not.toHaveProperty("metadata_admin");
    expect(body).not.toHaveProperty("external_id");
    expect(((await (await send("GET", `/admin/identities/${id}`)).json()) as Record<string, unknown>).metadata_admin).toBeNull();
    expect(await errorOf(await send("PUT", `/admin/identities/${id}`, { traits: { email }, state: "gone" }))).toEqual({
      ...BAD_REQUEST,
      reason: "identity state is not valid",
      message: MALFORMED,
    });
    // Another identity's address: sqlcon's conflict (no reason).
    const taken = uniqueEmail("put-taken");
    await create({ email: taken });
    expect(await errorOf(await send("PUT", `/admin/identities/${id}`, { traits: { email: taken } }))).toEqual({
      code: 409,
      status: "Conflict",
      message: "Unable to insert or update resource because a resource with that value exists already",
    });
  });

  it("PUT imports credentials before the traits are validated (identity/handler.go update: importCredentials, then IdentityManager.Update)", async () => {
    const email = uniqueEmail("put-order");
    const { id } = (await (await create({ email })).json()) as { id: string };
    const both = await send("PUT", `/admin/identities/${id}`, {
      traits: { email: "not-an-address" },
      credentials: { password: { config: { hashed_password: "plain" } } },
    });
    expect(await errorOf(both)).toEqual({
      ...BAD_REQUEST,
      reason: "The imported password does not match any known hash format. For more information see https://www.ory.sh/dr/2",
      message: MALFORMED,
    });
    // A hash that imports leaves the traits' refusal to the manager's validation.
    const traitsOnly = await send("PUT", `/admin/identities/${id}`, { traits: { email: "not-an-address" } });
    expect(traitsOnly.status).toBe(400);
    expect(((await (await send("GET", `/admin/identities/${id}`)).json()) as { traits: unknown }).traits).toEqual({ email });
  });

  it("PATCH looks the identity up before it reads the patch (identity/handler.go patch: GetIdentityConfidential first)", async () => {
    const unstorable = [{ op: "replace", path: "/traits/email", value: "a\u0000b@example.com" }];
    const res = await send("PATCH", `/admin/identities/${randomUUID()}`, unstorable);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe(404);
  });

  it("PATCH /admin/identities/{id} applies Kratos' JSON Patch and answers its errors (identity/handler.go patch)", async () => {
    const email = uniqueEmail("patch");
    const { id } = (await (await send("POST", "/admin/identities", { schema_id: "customer", traits: { email } })).json()) as { id: string };
    const patch = (ops: unknown) => send("PATCH", `/admin/identities/${id}`, ops);
    const PATCH_REASON = "An error occured when applying the JSON patch";

    expect(await errorOf(await send("PATCH", `/admin/identities/${id}`, ""))).toEqual({
      ...BAD_REQUEST,
      reason: PATCH_REASON,
      message: "invalid state detected",
    });
    expect(await errorOf(await patch([{ op: "test", path: "/state", value: "active" }]))).toEqual({
      ...BAD_REQUEST,
      reason: PATCH_REASON,
      message: "unsupported operation: test",
    });
    expect(await errorOf(await patch([{ op: "replace", path: "/id", value: randomUUID() }]))).toEqual({
      ...BAD_REQUEST,
      reason: PATCH_REASON,
      message: "patch includes denied path: /id",
    });
    expect(await errorOf(await patch([{ op: "replace", path: "/state", value: "frozen" }]))).toEqual({
      ...BAD_REQUEST,
      reason: "The supplied state ('frozen') was not valid. Valid states are ('active', 'inactive').",
      message: "identity state is not valid",
    });
    expect(await errorOf(await patch([{ op: "replace", path: "/schema_id", value: 5 }]))).toEqual({
      ...BAD_REQUEST,
      reason: PATCH_REASON,
      message: "json: cannot unmarshal number into Go struct field WithCredentialsAndAdminMetadataInJSON.schema_id of type string",
    });
    expect((await errorOf(await patch([{ op: "replace", path: "/schema_id", value: "invalid-id" }]))).reason).toBe(
      "Unable to find JSON Schema ID: invalid-id",
    );

    // Address states and credential configs can be patched.
    const verified = await patch([{ op: "replace", path: "/verifiable_addresses/0/verified", value: true }]);
    expect(verified.status).toBe(200);
    const [address] = ((await verified.json()) as { verifiable_addresses: Record<string, unknown>[] }).verifiable_addresses;
    expect(address).toMatchObject({ verified: true, verified_at: anyString() });
    expect(
      (await patch([{ op: "add", path: "/credentials/password/config/hashed_password", value: "$md5$CY9rzUYh03PK3k6DJie09g==" }])).status,
    ).toBe(200);
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    expect(
      (
        await kratos.frontend.updateLoginFlow({
          flow: flow.id,
          updateLoginFlowBody: { method: "password", identifier: email, password: "test" },
        })
      ).status,
    ).toBe(200);
  });

  it("JSON Patch of created_at, state_changed_at, schema_url and recovery addresses as Kratos takes them (handler.go patch, update.Generic, persister UpdateIdentity)", async () => {
    const email = uniqueEmail("patched-fields");
    const { id } = (await (await create({ email })).json()) as { id: string };
    const patch = (ops: unknown[]) => send("PATCH", `/admin/identities/${id}`, ops);
    const res = await patch([
      { op: "replace", path: "/created_at", value: "2019-01-02T03:04:05Z" },
      { op: "replace", path: "/state_changed_at", value: "2019-02-03T04:05:06Z" },
      { op: "replace", path: "/schema_url", value: "https://elsewhere.example/schema" },
    ]);
    expect(res.status).toBe(200);
    const patched = (await res.json()) as Record<string, unknown>;
    // Stored (every column is written); the answer is the patched struct, which Go writes back as it was given …
    expect(patched).toMatchObject({ created_at: "2019-01-02T03:04:05Z", state_changed_at: "2019-02-03T04:05:06Z" });
    // … but the schema URL only answered: it is no column, reads compute it.
    expect(patched.schema_url).toBe("https://elsewhere.example/schema");
    const read = (await (await send("GET", `/admin/identities/${id}`)).json()) as Record<string, unknown>;
    expect(read).toMatchObject({ created_at: "2019-01-02T03:04:05Z", state_changed_at: "2019-02-03T04:05:06Z" });
    expect(read.schema_url).not.toBe("https://elsewhere.example/schema");

    // A recovery address with the stored one's value and via is that row, kept as stored (persister_identity.go
    // diffAssociations on RecoveryAddress.Signature): the patched created_at is not written (patched-addresses.test.ts).
    const [recovery] = read.recovery_addresses as { created_at: string }[];
    expect(recovery).toBeDefined();
    const moved = await patch([{ op: "replace", path: "/recovery_addresses/0/created_at", value: "2018-01-01T00:00:00Z" }]);
    expect(((await moved.json()) as { recovery_addresses: { created_at: string }[] }).recovery_addresses[0]?.created_at).toBe(
      recovery?.created_at,
    );
  });

  it("admin sessions check UUIDs, `active` and `expand` as session/handler.go does", async () => {
    expect(await errorOf(await send("GET", "/admin/sessions/not-a-uuid"))).toEqual({
      ...BAD_REQUEST,
      message: 'uuid: incorrect UUID length 10 in string "not-a-uuid"',
    });
    expect(await errorOf(await send("GET", `/admin/sessions/${randomUUID()}`))).toEqual({
      code: 404,
      status: "Not Found",
      message: "Unable to locate the resource",
    });
    expect(await errorOf(await send("GET", "/admin/sessions?active=maybe"))).toEqual({
      ...BAD_REQUEST,
      message: "could not parse parameter active",
    });
    expect(await errorOf(await send("GET", "/admin/sessions?page_size=x"))).toEqual({
      ...BAD_REQUEST,
      message: "could not parse parameter page_size",
    });
    expect(await errorOf(await send("GET", "/admin/sessions?expand=everything"))).toEqual({
      ...BAD_REQUEST,
      reason: "Could not parse expand option: everything",
      message: MALFORMED,
    });
    expect((await send("GET", "/admin/sessions?active=T&expand=Identity")).status).toBe(200);
    // An identity Kratos does not know has no sessions: the list is 200 [], while DeleteSessionsByIdentity deleting no row is 404.
    const unknown = await send("GET", `/admin/identities/${randomUUID()}/sessions`);
    expect(unknown.status).toBe(200);
    expect(unknown.headers.get("x-total-count")).toBe("0");
    expect(await unknown.json()).toEqual([]);
    expect(await errorOf(await send("DELETE", `/admin/identities/${randomUUID()}/sessions`))).toEqual({
      code: 404,
      status: "Not Found",
      message: "Unable to locate the resource",
    });
    expect((await send("DELETE", "/admin/identities/nope/sessions")).status).toBe(400);
    // redir.RedirectToPublicRoute
    const whoami = await fetch(`${kratos.adminUrl}/admin/sessions/whoami?x=1`, { redirect: "manual" });
    expect(whoami.status).toBe(307);
    expect(whoami.headers.get("location")).toBe(`${kratos.publicUrl}/sessions/whoami?x=1`);
  });

  it("courier messages and schemas answer as courier/handler.go and schema/handler.go do", async () => {
    expect(await errorOf(await send("GET", "/admin/courier/messages?status=lost"))).toEqual({
      ...BAD_REQUEST,
      reason: "Message status is not valid",
      message: MALFORMED,
    });
    const badSize = await send("GET", "/admin/courier/messages?page_size=ten");
    expect(badSize.status).toBe(400);
    expect(await errorOf(badSize)).toEqual({
      code: 500,
      status: "Internal Server Error",
      message: 'strconv.Atoi: parsing "ten": invalid syntax',
    });
    expect(await errorOf(await send("GET", "/admin/courier/messages/nope"))).toEqual({
      ...BAD_REQUEST,
      message: 'uuid: incorrect UUID length 4 in string "nope"',
    });

    expect(await errorOf(await send("GET", "/admin/schemas/nope"))).toEqual({
      code: 404,
      status: "Not Found",
      reason: "Identity schema `nope` could not be found.",
      message: "The requested resource could not be found",
    });
    const page = await send("GET", "/admin/schemas?per_page=1&page=1");
    expect(((await page.json()) as { id: string }[]).map((s) => s.id)).toEqual(["customer"]);
    expect(page.headers.get("x-total-count")).toBe("3");
  });
});
