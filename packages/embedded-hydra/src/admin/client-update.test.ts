import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startHydraWithConfig,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type TestPostgres,
} from "../testing/harness";

/**
 * What PUT and PATCH /admin/clients/{id} store and answer in Hydra v26.2.0:
 * client/handler.go setOAuth2Client, patchOAuth2Client and updateClient
 * (UpdatedAt = time.Now().UTC().Round(time.Second)), then
 * persistence/sql/persister_client.go UpdateClient: client/client.go
 * BeforeSave (a zero CreatedAt becomes time.Now(), both times .UTC()) and
 * persistence/sql/persister.go UpdateWithNetwork, which is ory/pop's
 * Query.UpdateQuery over every column: created_at is never written and
 * updated_at is set to time.Now().Truncate(time.Microsecond) on the struct
 * the handler then answers with. The struct is decoded from the request (or
 * the patched text), so RegistrationAccessTokenSignature (`json:"-"`) is
 * empty and the column is cleared.
 */

let pg: TestPostgres;
let hydra: HydraUnderTest;

type Answer = { status: number; body: Record<string, unknown> };

async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const admin = (method: string, path: string, body?: unknown) => call(hydra.adminUrl, method, path, body);
const register = (method: string, id: string, token: string, body?: unknown) =>
  call(hydra.publicUrl, method, `oauth2/register/${encodeURIComponent(id)}`, body, token);

async function createClient(extra: Record<string, unknown> = {}): Promise<{ id: string; token: string; body: Record<string, unknown> }> {
  const created = await admin("POST", "admin/clients", { client_name: "update-me", redirect_uris: ["http://a.localhost/cb"], ...extra });
  expect(created.status).toBe(201);
  return { id: String(created.body.client_id), token: String(created.body.registration_access_token), body: created.body };
}

/** The stored times as Go writes a time.Time read back from Postgres (UTC, microseconds, trailing zeros trimmed). */
async function storedTimes(id: string): Promise<{ created_at: string; updated_at: string }> {
  const format = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  const { rows } = await pg.query<{ created_at: string; updated_at: string }>(
    `SELECT ${format("created_at")} AS created_at, ${format("updated_at")} AS updated_at FROM hydra_clients WHERE id = $1`,
    [id],
    hydra.dsn.split("/").pop(),
  );
  const go = (text = "") => `${text.replace(/\.?0+$/, "")}Z`;
  return { created_at: go(rows[0]?.created_at), updated_at: go(rows[0]?.updated_at) };
}

async function backdate(id: string): Promise<void> {
  await pg.query(
    "UPDATE hydra_clients SET created_at = '2020-01-02T03:04:05Z', updated_at = '2020-01-02T03:04:05Z' WHERE id = $1",
    [id],
    hydra.dsn.split("/").pop(),
  );
}

const near = (text: unknown, ms: number) => Math.abs(Date.parse(String(text)) - ms) < 5_000;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres((postgres) =>
    startHydraWithConfig(postgres, (config) => {
      config.oidc = { ...config.oidc, dynamic_client_registration: { enabled: true } };
    }),
  ));
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("client timestamps (client/handler.go CreateClient, updateClient; ory/pop Create, UpdateQuery)", () => {
  it("creates with created_at rounded to the second and updated_at pop's microsecond stamp, as stored and read back", async () => {
    const { id, body } = await createClient();
    const stored = await storedTimes(id);
    // CreateClient: CreatedAt = time.Now().UTC().Round(time.Second); pop's Create then stamps UpdatedAt (µs), keeps CreatedAt.
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.created_at).toBe(stored.created_at);
    expect(body.updated_at).toBe(stored.updated_at);
    expect(Math.abs(Date.parse(String(body.created_at)) - Date.parse(stored.updated_at))).toBeLessThanOrEqual(500);
    expect((await admin("GET", `admin/clients/${id}`)).body).toMatchObject(stored);
  });

  it("PUT answers pop's updated_at (microseconds, the stored one) and time.Now() for a created_at the body lacks; the row keeps its created_at", async () => {
    const { id } = await createClient();
    await backdate(id);
    const before = Date.now();
    const put = await admin("PUT", `admin/clients/${id}`, { client_name: "replaced", redirect_uris: ["http://a.localhost/cb"] });
    expect(put.status).toBe(200);
    const stored = await storedTimes(id);
    expect(stored.created_at).toBe("2020-01-02T03:04:05Z");
    expect(put.body.updated_at).toBe(stored.updated_at);
    expect(near(put.body.updated_at, before)).toBe(true);
    // client/client.go BeforeSave: a zero CreatedAt becomes time.Now() (nanoseconds), answered but never written.
    expect(near(put.body.created_at, before)).toBe(true);
    expect((await admin("GET", `admin/clients/${id}`)).body).toMatchObject({ client_name: "replaced", ...stored });
  });

  it("PUT answers the body's created_at in UTC (BeforeSave's .UTC()), nanoseconds kept, and does not store it", async () => {
    const { id } = await createClient();
    await backdate(id);
    const put = await admin("PUT", `admin/clients/${id}`, {
      redirect_uris: ["http://a.localhost/cb"],
      created_at: "2021-06-01T12:00:00.123456789+02:00",
      updated_at: "1999-01-01T00:00:00Z",
    });
    expect(put.status).toBe(200);
    expect(put.body.created_at).toBe("2021-06-01T10:00:00.123456789Z");
    expect(put.body.updated_at).toBe((await storedTimes(id)).updated_at);
    expect((await storedTimes(id)).created_at).toBe("2020-01-02T03:04:05Z");
  });

  it("PUT of a zero created_at (any offset) answers time.Now() (time.Time.IsZero)", async () => {
    const { id } = await createClient();
    await backdate(id);
    const put = await admin("PUT", `admin/clients/${id}`, {
      redirect_uris: ["http://a.localhost/cb"],
      created_at: "0001-01-01T01:00:00+01:00",
    });
    expect(put.status).toBe(200);
    expect(near(put.body.created_at, Date.now())).toBe(true);
  });

  it("PUT whose created_at leaves years 0–9999 in UTC stores the update, then fails to write the answer (herodot's unnamed 500)", async () => {
    const { id } = await createClient();
    // Time.MarshalJSON refuses the year -1 json.Encoder meets in the answer; UpdateClient has already run.
    const put = await admin("PUT", `admin/clients/${id}`, {
      client_name: "stored-anyway",
      redirect_uris: ["http://a.localhost/cb"],
      created_at: "0000-01-01T00:00:00+01:00",
    });
    expect(put).toEqual({ status: 500, body: { error: "error", error_description: "The error is unrecognizable" } });
    expect((await admin("GET", `admin/clients/${id}`)).body).toMatchObject({ client_name: "stored-anyway" });
  });

  it("PATCH answers the patched created_at in UTC, time.Now() when the patch removed it, and pop's updated_at", async () => {
    const { id } = await createClient();
    await backdate(id);
    const removed = await admin("PATCH", `admin/clients/${id}`, [{ op: "remove", path: "/created_at" }]);
    expect(removed.status).toBe(200);
    expect(near(removed.body.created_at, Date.now())).toBe(true);
    expect(removed.body.updated_at).toBe((await storedTimes(id)).updated_at);
    const shifted = await admin("PATCH", `admin/clients/${id}`, [
      { op: "replace", path: "/created_at", value: "2022-03-04T05:06:07.5-01:30" },
    ]);
    expect(shifted).toMatchObject({ status: 200, body: { created_at: "2022-03-04T06:36:07.5Z" } });
    // Unpatched, the stored created_at (read by GetConcreteClient) is answered.
    expect((await admin("PATCH", `admin/clients/${id}`, [{ op: "replace", path: "/owner", value: "o" }])).body).toMatchObject({
      created_at: "2020-01-02T03:04:05Z",
    });
    expect((await storedTimes(id)).created_at).toBe("2020-01-02T03:04:05Z");
  });

  it("PUT /lifespans answers the stored created_at and pop's updated_at", async () => {
    const { id } = await createClient();
    await backdate(id);
    const put = await admin("PUT", `admin/clients/${id}/lifespans`, { authorization_code_grant_access_token_lifespan: "1h" });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject(await storedTimes(id));
    expect(put.body.created_at).toBe("2020-01-02T03:04:05Z");
  });
});

describe("the registration access token after an admin update", () => {
  it("stops working after PUT and after PATCH (the decoded client has no RegistrationAccessTokenSignature, the column is cleared)", async () => {
    const put = await createClient();
    expect((await register("GET", put.id, put.token)).status).toBe(200);
    expect((await admin("PUT", `admin/clients/${put.id}`, { redirect_uris: ["http://a.localhost/cb"] })).status).toBe(200);
    // client/handler.go ValidDynamicAuth: "The OAuth2 Client does not have a registration access token." (debug only).
    expect(await register("GET", put.id, put.token)).toEqual({
      status: 401,
      body: {
        error: "The request could not be authorized",
        error_description: "The requested OAuth 2.0 client does not exist or you provided incorrect credentials.",
      },
    });

    const patched = await createClient();
    expect((await admin("PATCH", `admin/clients/${patched.id}`, [{ op: "replace", path: "/owner", value: "o" }])).status).toBe(200);
    expect((await register("GET", patched.id, patched.token)).status).toBe(401);
    expect((await register("PUT", patched.id, patched.token, { redirect_uris: ["http://a.localhost/cb"] })).status).toBe(401);
  });

  it("keeps working after PUT /lifespans (the client is the stored one, GetConcreteClient)", async () => {
    const { id, token } = await createClient();
    expect((await admin("PUT", `admin/clients/${id}/lifespans`, {})).status).toBe(200);
    expect((await register("GET", id, token)).status).toBe(200);
  });

  it('echoes registration_access_token and registration_client_uri a PUT body or a patch carries (db:"-", never stored)', async () => {
    const { id, token } = await createClient();
    const put = await admin("PUT", `admin/clients/${id}`, {
      redirect_uris: ["http://a.localhost/cb"],
      registration_access_token: "chosen-token",
      registration_client_uri: "http://chosen.localhost/",
    });
    expect(put.body).toMatchObject({ registration_access_token: "chosen-token", registration_client_uri: "http://chosen.localhost/" });
    expect((await register("GET", id, "chosen-token")).status).toBe(401);
    expect((await register("GET", id, token)).status).toBe(401);
    const read = await admin("GET", `admin/clients/${id}`);
    expect(read.body).not.toHaveProperty("registration_access_token");
    expect(read.body).not.toHaveProperty("registration_client_uri");

    const patched = await admin("PATCH", `admin/clients/${id}`, [{ op: "add", path: "/registration_client_uri", value: "x" }]);
    expect(patched.body).toMatchObject({ registration_client_uri: "x" });
    expect(patched.body).not.toHaveProperty("registration_access_token");
  });
});

describe("PUT /oauth2/register/{id} (client/handler.go setOidcDynamicClient, then the same updateClient)", () => {
  it("answers the body's created_at (time.Now() without one), pop's updated_at and the body's registration_client_uri", async () => {
    const { id, token } = await createClient();
    await backdate(id);
    const put = await register("PUT", id, token, {
      redirect_uris: ["http://a.localhost/cb"],
      registration_client_uri: "http://uri.localhost/",
    });
    expect(put).toMatchObject({ status: 200, body: { registration_client_uri: "http://uri.localhost/" } });
    expect(near(put.body.created_at, Date.now())).toBe(true);
    expect(put.body.updated_at).toBe((await storedTimes(id)).updated_at);
    const again = await register("PUT", id, String(put.body.registration_access_token), {
      redirect_uris: ["http://a.localhost/cb"],
      created_at: "2023-01-01T00:00:00-05:00",
    });
    expect(again).toMatchObject({ status: 200, body: { created_at: "2023-01-01T05:00:00Z" } });
    expect(again.body).not.toHaveProperty("registration_client_uri");
    expect((await storedTimes(id)).created_at).toBe("2020-01-02T03:04:05Z");
  });
});

describe("PUT replaces the client with the body (client/handler.go setOAuth2Client, updateClient; validator.go Validate)", () => {
  it("keeps the stored secret for an empty client_secret, echoes a new one, and resets what the body leaves out", async () => {
    const { id } = await createClient({ client_secret: "the-first-secret", owner: "team", metadata: { a: 1 } });
    const put = await admin("PUT", `admin/clients/${id}`, {
      redirect_uris: ["http://a.localhost/cb"],
      client_secret: "",
      metadata: null,
      client_secret_expires_at: 99,
    });
    // UpdateClient: an empty Secret takes the stored hash; BeforeSave: nil Metadata is {}; Validate: SecretExpiresAt = 0.
    expect(put).toMatchObject({ status: 200, body: { owner: "", client_name: "", metadata: {}, client_secret_expires_at: 0 } });
    expect(put.body).not.toHaveProperty("client_secret");
    expect((await admin("GET", `admin/clients/${id}`)).body).toMatchObject({ owner: "", metadata: {}, client_secret_expires_at: 0 });
    const token = (secret: string) =>
      fetch(new URL("oauth2/token", hydra.publicUrl), {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`,
        },
        body: "grant_type=client_credentials",
      }).then(async (response) => ((await response.json()) as { error?: string }).error);
    expect(await token("the-first-secret")).not.toBe("invalid_client");
    // updateClient echoes a secret the request set, whatever the client's authentication method.
    const publicPut = await admin("PUT", `admin/clients/${id}`, {
      redirect_uris: ["http://a.localhost/cb"],
      token_endpoint_auth_method: "none",
      client_secret: "the-second-secret",
    });
    expect(publicPut).toMatchObject({ status: 200, body: { client_secret: "the-second-secret", token_endpoint_auth_method: "none" } });
  });
});

describe("PUT order (client/handler.go setOAuth2Client: decode, Validate, then UpdateClient's GetConcreteClient)", () => {
  it("refuses an invalid body for an unknown client with the validation error, not 404", async () => {
    const invalid = await admin("PUT", "admin/clients/no-such-client", { token_endpoint_auth_method: "private_key_jwt" });
    expect(invalid).toMatchObject({ status: 400, body: { error: "invalid_client_metadata" } });
    expect((await admin("PUT", "admin/clients/no-such-client", { redirect_uris: ["http://a.localhost/cb"] })).status).toBe(404);
    expect((await admin("PUT", "admin/clients/no-such-client", "{")).status).toBe(400);
  });
});
