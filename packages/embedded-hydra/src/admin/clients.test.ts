import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startHydraUnderTest,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type TestPostgres,
} from "../testing/harness";

const ADMIN_TOKEN = "test-admin-token-0123456789";

let pg: TestPostgres;
let hydra: HydraUnderTest;

function admin(path: string, init: RequestInit = {}, token: string | null = ADMIN_TOKEN): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (init.body) headers.set("content-type", "application/json");
  return fetch(new URL(path, hydra.adminUrl), { ...init, headers });
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres((postgres) => startHydraUnderTest(postgres, { adminToken: ADMIN_TOKEN })));
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("admin authentication", () => {
  it("answers /admin requests without the bearer token with 401 Hydra error JSON", async () => {
    for (const token of [null, "wrong-token"]) {
      const response = await admin("admin/clients", {}, token);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: "unauthorized" });
    }
  });

  it("keeps health endpoints open on both ports", async () => {
    for (const base of [hydra.adminUrl, hydra.publicUrl]) {
      for (const path of ["health/alive", "health/ready"]) {
        const response = await fetch(new URL(path, base));
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: "ok" });
      }
    }
  });
});

describe("OAuth2 clients", () => {
  it("creates a client with Hydra's defaults, shows the secret once and stores it hashed", async () => {
    const { data: created, status } = await hydra.admin.createOAuth2Client({
      oAuth2Client: { client_name: "Athena", redirect_uris: ["http://iam.localhost:4001/callback"], metadata: { team: "ops" } },
    });
    expect(status).toBe(201);
    // Hydra: client/handler.go CreateClient and client/validator.go Validate (defaults), client/client.go (JSON shape).
    expect(created).toMatchObject({
      client_name: "Athena",
      grant_types: [],
      response_types: [],
      scope: "offline_access offline openid",
      token_endpoint_auth_method: "client_secret_basic",
      userinfo_signed_response_alg: "none",
      subject_type: "public",
      jwks: {},
      metadata: { team: "ops" },
      skip_consent: false,
      skip_logout_consent: null,
      client_credentials_grant_access_token_lifespan: null,
    });
    expect(created).not.toHaveProperty("post_logout_redirect_uris");
    expect(created.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.client_secret).toMatch(/^[A-Za-z0-9._~-]{26}$/);
    expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const { data: fetched } = await hydra.admin.getOAuth2Client({ id: created.client_id ?? "" });
    expect(fetched.client_secret).toBeUndefined();
    const { rows } = await pg.query<{ secret_hash: string }>(
      "SELECT secret_hash FROM hydra_clients WHERE id = $1",
      [created.client_id],
      hydra.dsn.split("/").pop(),
    );
    expect(rows[0]?.secret_hash).toMatch(/^\$pbkdf2-sha256\$/);
    expect(rows[0]?.secret_hash).not.toContain(created.client_secret);
  });

  it("accepts a chosen client_id and secret, refuses duplicates and invalid metadata", async () => {
    const body = JSON.stringify({
      client_id: "athena-ciam",
      client_secret: "a-chosen-secret-value",
      redirect_uris: ["http://x.localhost/cb"],
    });
    const created = await admin("admin/clients", { method: "POST", body });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ client_id: "athena-ciam", client_secret: "a-chosen-secret-value" });
    // Hydra: sqlcon.ErrUniqueViolation.
    const duplicate = await admin("admin/clients", { method: "POST", body });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toEqual({
      error: "Unable to insert or update resource because a resource with that value exists already",
      error_description: "",
    });

    const notJson = await admin("admin/clients", { method: "POST", body: "{nope" });
    expect(notJson.status).toBe(400);
  });

  it("updates with PUT (keeping the secret) and PATCH (JSON Patch), and deletes", async () => {
    const { data: created } = await hydra.admin.createOAuth2Client({
      oAuth2Client: { client_name: "before", redirect_uris: ["http://a.localhost/cb"] },
    });
    const id = created.client_id ?? "";
    const { data: replaced } = await hydra.admin.setOAuth2Client({
      id,
      oAuth2Client: { client_name: "after", redirect_uris: ["http://b.localhost/cb"], skip_consent: true },
    });
    expect(replaced).toMatchObject({ client_id: id, client_name: "after", redirect_uris: ["http://b.localhost/cb"], skip_consent: true });
    expect(replaced.client_secret).toBeUndefined();

    const { data: patched } = await hydra.admin.patchOAuth2Client({
      id,
      jsonPatch: [
        { op: "replace", path: "/client_name", value: "patched" },
        { op: "add", path: "/redirect_uris/-", value: "http://c.localhost/cb" },
        { op: "add", path: "/metadata/tier", value: "gold" },
      ],
    });
    expect(patched).toMatchObject({
      client_name: "patched",
      redirect_uris: ["http://b.localhost/cb", "http://c.localhost/cb"],
      metadata: { tier: "gold" },
    });

    // The original secret still authenticates after PUT and PATCH.
    const token = await fetch(new URL("oauth2/token", hydra.publicUrl), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(created.client_secret ?? "")}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    // Not a client_credentials client, but authentication itself succeeded (no invalid_client).
    expect(token.status).toBe(400);
    expect(((await token.json()) as { error: string }).error).toBe("unauthorized_client");

    expect((await hydra.admin.deleteOAuth2Client({ id })).status).toBe(204);
    expect((await admin(`admin/clients/${id}`)).status).toBe(404);
  });

  // client/handler.go patchOAuth2Client over oryx/jsonx/patch.go ApplyJSONPatch (EnsurePathExistsOnAdd, denied "/id").
  it("patches as ory/x ApplyJSONPatch: add creates missing parents, /id is denied, a failing patch is Hydra's unnamed error", async () => {
    const { data: created } = await hydra.admin.createOAuth2Client({
      oAuth2Client: { client_name: "patch-me", redirect_uris: ["http://a.localhost/cb"] },
    });
    const id = created.client_id ?? "";
    const patch = (operations: unknown) => admin(`admin/clients/${id}`, { method: "PATCH", body: JSON.stringify(operations) });

    const nested = await patch([{ op: "add", path: "/metadata/plan/tier", value: "gold" }]);
    expect(nested.status).toBe(200);
    expect(await nested.json()).toMatchObject({ client_id: id, metadata: { plan: { tier: "gold" } } });

    for (const operations of [
      [{ op: "replace", path: "/ID", value: "other" }],
      [{ op: "test", path: "/client_name", value: "x" }],
      [{ op: "remove", path: "/nope" }],
      { op: "add" },
    ]) {
      // client/handler.go patchOAuth2Client → jsonx.ApplyJSONPatch's bare error → herodot's 500.
      const refused = await patch(operations);
      expect(refused.status, JSON.stringify(operations)).toBe(500);
      expect(await refused.json()).toEqual({ error: "error", error_description: "The error is unrecognizable" });
    }
  });

  it("lists clients with keyset pagination and a Link header", async () => {
    for (let index = 0; index < 3; index++) {
      await hydra.admin.createOAuth2Client({
        oAuth2Client: { client_name: `paged-${index}`, owner: "pager", redirect_uris: ["http://p.localhost/cb"] },
      });
    }
    const seen: string[] = [];
    let next: string | undefined = "admin/clients?page_size=2&owner=pager";
    for (let page = 0; next && page < 5; page++) {
      const response: Response = await admin(next);
      const clients = (await response.json()) as Array<{ client_name: string }>;
      seen.push(...clients.map((client) => client.client_name));
      const link = response.headers.get("link") ?? "";
      expect(link).toContain('rel="first"');
      const match = /<([^>]+)>; rel="next"/.exec(link);
      next = match?.[1] ? `${match[1].slice(1)}&owner=pager` : undefined;
    }
    // Hydra lists clients by id (persistence/sql/persister_client.go GetClients).
    expect(seen.sort()).toEqual(["paged-0", "paged-1", "paged-2"]);
    const { data: all } = await hydra.admin.listOAuth2Clients({ pageSize: 500 });
    expect(all.length).toBeGreaterThanOrEqual(3);
  });

  it("answers unknown challenges and clients with 404 JSON", async () => {
    // Hydra: flow/flow_encoding.go decodeFlow (x.ErrNotFound for a challenge that does not decode).
    const login = await admin("admin/oauth2/auth/requests/login?login_challenge=nope");
    expect(login.status).toBe(404);
    expect(await login.json()).toEqual({ error: "Not Found", error_description: "Unable to locate the requested resource" });
    const missing = await admin("admin/oauth2/auth/requests/consent");
    expect(missing.status).toBe(400);
  });
});
