import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";

/**
 * PATCH /admin/clients/{id} as Hydra v26.2.0 runs it (client/handler.go
 * patchOAuth2Client): jsonx.ApplyJSONPatch(body, client, "/id") — the
 * client json.Marshal'ed, evanphx/json-patch v5.9.11 DecodePatch and
 * ApplyWithOptions (EnsurePathExistsOnAdd) on that text, the result
 * json.Unmarshal'ed into a client.Client — then the secret kept unless the
 * patch changed it, updateClient with ClientValidator().Validate and the
 * persister's UpdateClient (the patched client_id names the row).
 */
const UNNAMED = { error: "error", error_description: "The error is unrecognizable" };
const METADATA =
  "The value of one of the Client Metadata fields is invalid and the server has rejected this request. Note that an Authorization Server MAY choose to substitute a valid value for any requested parameter of a Client's Metadata.";

let pg: TestPostgres;
let hydra: HydraUnderTest;

async function send(method: string, path: string, body?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, hydra.adminUrl), {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function createClient(extra: Record<string, unknown> = {}): Promise<string> {
  const created = await send(
    "POST",
    "admin/clients",
    JSON.stringify({ client_name: "patch-me", redirect_uris: ["http://a.localhost/cb"], ...extra }),
  );
  expect(created.status).toBe(201);
  return String(created.body.client_id);
}

const patch = (id: string, operations: unknown) =>
  send("PATCH", `admin/clients/${encodeURIComponent(id)}`, typeof operations === "string" ? operations : JSON.stringify(operations));

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("client/handler.go patchOAuth2Client: the patched text into client.Client", () => {
  it("keeps a value's number text, which json.Unmarshal into an int refuses (evanphx/json-patch keeps the json.RawMessage)", async () => {
    const id = await createClient();
    // 1e2 stays `1e2` in json-patch's output; Go's decoder does not read it into the int client_secret_expires_at.
    expect(await patch(id, `[{"op":"replace","path":"/client_secret_expires_at","value":1e2}]`)).toEqual({ status: 500, body: UNNAMED });
    expect(await patch(id, `[{"op":"replace","path":"/client_secret_expires_at","value":1.0}]`)).toEqual({ status: 500, body: UNNAMED });
    // An int is taken, and client/validator.go Validate sets it back to 0.
    expect(await patch(id, `[{"op":"replace","path":"/client_secret_expires_at","value":7}]`)).toMatchObject({
      status: 200,
      body: { client_secret_expires_at: 0 },
    });
  });

  it("answers a patched document that does not decode into a client as ApplyJSONPatch's bare error (500), not a 400", async () => {
    const id = await createClient();
    for (const operations of [
      [{ op: "replace", path: "/client_name", value: 5 }],
      [{ op: "add", path: "/redirect_uris/-", value: { uri: "x" } }],
      [{ op: "replace", path: "/created_at", value: "yesterday" }],
      [{ op: "add", path: "", value: [] }],
    ]) {
      expect(await patch(id, operations), JSON.stringify(operations)).toEqual({ status: 500, body: UNNAMED });
    }
    expect((await send("GET", `admin/clients/${id}`)).body).toMatchObject({ client_name: "patch-me" });
  });

  it("patches the marshalled client, created_at and updated_at included", async () => {
    const id = await createClient();
    const removed = await patch(id, [
      { op: "remove", path: "/updated_at" },
      { op: "add", path: "/owner", value: "ops" },
    ]);
    expect(removed).toMatchObject({ status: 200, body: { owner: "ops" } });
  });

  it("takes a key in another case as Go's decoder does: the later one wins (partialDoc.set adds new keys last)", async () => {
    const id = await createClient();
    expect(await patch(id, [{ op: "add", path: "/CLIENT_NAME", value: "upper" }])).toMatchObject({
      status: 200,
      body: { client_name: "upper" },
    });
  });
});

describe("client/handler.go patchOAuth2Client: paths", () => {
  it("denies only /id (v26.2.0 passes no other deny path)", async () => {
    const id = await createClient();
    expect(await patch(id, [{ op: "add", path: "/Id", value: "x" }])).toEqual({ status: 500, body: UNNAMED });
    // Not denied: json-patch adds the member, json.Unmarshal ignores it (client.Client has no such field in v26.2.0).
    expect(await patch(id, [{ op: "add", path: "/RotatedSecrets", value: ["x"] }])).toMatchObject({ status: 200, body: { client_id: id } });
    expect(await patch(id, [{ op: "add", path: "/rotated_secrets", value: ["x"] }])).toMatchObject({
      status: 200,
      body: { client_id: id },
    });
  });

  it("sets a patched client_secret (re-validated, echoed once) and keeps the stored one otherwise", async () => {
    const id = await createClient({ client_secret: "the-first-secret" });
    expect(await patch(id, [{ op: "replace", path: "/client_secret", value: "short" }])).toMatchObject({
      status: 400,
      body: {
        error: "invalid_client_metadata",
        error_description: `${METADATA} Field client_secret must contain a secret that is at least 6 characters long.`,
      },
    });
    const kept = await patch(id, [{ op: "replace", path: "/owner", value: "o" }]);
    expect(kept.status).toBe(200);
    expect(kept.body).not.toHaveProperty("client_secret");
    const changed = await patch(id, [{ op: "replace", path: "/client_secret", value: "the-second-secret" }]);
    expect(changed).toMatchObject({ status: 200, body: { client_secret: "the-second-secret" } });
  });

  it("validates the patched client before UpdateClient looks up the patched client_id", async () => {
    const id = await createClient();
    // Validate runs first: the invalid client is refused before the missing row is noticed.
    expect(
      await patch(id, [
        { op: "replace", path: "/client_id", value: "no-such-client" },
        { op: "replace", path: "/token_endpoint_auth_method", value: "private_key_jwt" },
      ]),
    ).toMatchObject({ status: 400, body: { error: "invalid_client_metadata" } });
    expect(await patch(id, [{ op: "replace", path: "/client_id", value: "no-such-client" }])).toMatchObject({ status: 404 });
  });

  it("updates the client the patched client_id names (UpdateClient: GetConcreteClient(cl.GetID()), which keeps its own secret)", async () => {
    const a = await createClient({ client_name: "a", client_secret: "secret-of-client-a" });
    const b = await createClient({ client_name: "b", client_secret: "secret-of-client-b" });
    const moved = await patch(a, [
      { op: "replace", path: "/client_id", value: b },
      { op: "replace", path: "/owner", value: "from-a" },
    ]);
    expect(moved).toMatchObject({ status: 200, body: { client_id: b, client_name: "a", owner: "from-a" } });
    expect(moved.body).not.toHaveProperty("client_secret");
    expect((await send("GET", `admin/clients/${b}`)).body).toMatchObject({ client_name: "a", owner: "from-a" });
    expect((await send("GET", `admin/clients/${a}`)).body).toMatchObject({ client_name: "a", owner: "" });
    // b kept its secret: b authenticates with it at the token endpoint (a client_credentials refusal, not invalid_client).
    const token = await fetch(new URL("oauth2/token", hydra.publicUrl), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${b}:secret-of-client-b`).toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    });
    expect(((await token.json()) as { error: string }).error).not.toBe("invalid_client");
  });

  it("answers with the patched client as decoded, created_at included (pop's UpdateQuery never writes created_at)", async () => {
    const id = await createClient();
    const before = (await send("GET", `admin/clients/${id}`)).body;
    // persister_client.go UpdateClient runs client/client.go BeforeSave first: a zero created_at becomes time.Now().
    const removed = await patch(id, [{ op: "remove", path: "/created_at" }]);
    expect(removed.status).toBe(200);
    expect(Math.abs(Date.parse(String(removed.body.created_at)) - Date.now())).toBeLessThan(5_000);
    expect(await patch(id, [{ op: "replace", path: "/created_at", value: "2020-01-02T03:04:05.500+00:00" }])).toMatchObject({
      status: 200,
      body: { created_at: "2020-01-02T03:04:05.5Z" },
    });
    expect((await send("GET", `admin/clients/${id}`)).body).toMatchObject({ created_at: before.created_at });
  });

  it("answers a patch that does not decode with json-patch's error as Hydra's unnamed 500", async () => {
    const id = await createClient();
    for (const body of ["", "[", "{}", "[1]", `[{"op":"add","path":"/a"}]`, `[{"op":"replace","path":"/redirect_uris/9","value":"x"}]`]) {
      expect(await patch(id, body), body).toEqual({ status: 500, body: UNNAMED });
    }
  });
});

describe("limits (deliberate: json-patch pads and nests without bound)", () => {
  it("refuses padding arrays with more than 10,000 nulls (500, a failing patch) and paths nested 100 deep (400)", async () => {
    const id = await createClient();
    expect(await patch(id, [{ op: "add", path: "/metadata/a/20000/b", value: 1 }])).toEqual({ status: 500, body: UNNAMED });
    const deep = await patch(id, [{ op: "add", path: `/metadata${"/a".repeat(120)}`, value: 1 }]);
    expect(deep.status).toBe(400);
    expect(String(deep.body.error_description)).toContain("The request body is nested too deeply");
    expect(await patch(id, [{ op: "add", path: "/metadata/a/3/b", value: 1 }])).toMatchObject({
      status: 200,
      body: { metadata: { a: [null, null, null, { b: 1 }] } },
    });
  });
});
