import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";

/**
 * Client create/update validation as Hydra's validator (client/validator.go
 * Validate) and handler (client/handler.go) answer it: the error names,
 * statuses and descriptions a caller sees.
 */
const METADATA =
  "The value of one of the Client Metadata fields is invalid and the server has rejected this request. Note that an Authorization Server MAY choose to substitute a valid value for any requested parameter of a Client's Metadata.";
const REDIRECT = "The value of one or more redirect_uris is invalid.";
const MALFORMED = "The request was malformed or contained invalid parameters";
const RP = "http://rp.localhost:5555/callback";

let pg: TestPostgres;
let hydra: HydraUnderTest;

async function send(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(new URL(path, hydra.adminUrl), {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

const create = (body: unknown) => send("POST", "admin/clients", body);

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("client/validator.go Validate", () => {
  it.each([
    [
      { client_secret: "short" },
      "invalid_client_metadata",
      `${METADATA} Field client_secret must contain a secret that is at least 6 characters long.`,
    ],
    [
      { token_endpoint_auth_method: "private_key_jwt" },
      "invalid_client_metadata",
      `${METADATA} When token_endpoint_auth_method is 'private_key_jwt', either jwks or jwks_uri must be set.`,
    ],
    [
      { token_endpoint_auth_method: "private_key_jwt", jwks_uri: "https://rp.example.com/jwks", token_endpoint_auth_signing_alg: "HS256" },
      "invalid_client_metadata",
      `${METADATA} Only RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 and ES512 are supported as algorithms for private key authentication.`,
    ],
    [
      { jwks_uri: "https://rp.example.com/jwks", jwks: { keys: [] } },
      "invalid_client_metadata",
      `${METADATA} Fields jwks and jwks_uri can not both be set, you must choose one.`,
    ],
    [
      { logo_uri: "ftp://rp.example.com/logo.png" },
      "invalid_client_metadata",
      `${METADATA} ftp://rp.example.com/logo.png must use https:// or http:// as HTTP scheme for field logo_uri.`,
    ],
    [{ tos_uri: "not a uri" }, "invalid_client_metadata", `${METADATA} Field tos_uri must be a valid URI.`],
    [
      { allowed_cors_origins: ["https://app.example.com/path"] },
      "invalid_client_metadata",
      `${METADATA} Origin URL https://app.example.com/path must have an empty path, query, and fragment but one of the parts is not empty.`,
    ],
    [
      { allowed_cors_origins: ["ftp://app.example.com"] },
      "invalid_client_metadata",
      `${METADATA} Origin URL ftp://app.example.com must use https:// or http:// as HTTP scheme.`,
    ],
    [
      { userinfo_signed_response_alg: "HS256" },
      "invalid_client_metadata",
      `${METADATA} Field userinfo_signed_response_alg can either be 'none' or 'RS256'.`,
    ],
    [
      { redirect_uris: ["https://rp.example.com/cb#frag"] },
      "invalid_redirect_uri",
      `${REDIRECT} Redirect URIs must not contain fragments (#).`,
    ],
    [{ redirect_uris: ["relative/path"] }, "invalid_redirect_uri", `${REDIRECT} Unable to parse redirect URL: relative/path`],
    [
      { subject_type: "pairwise" },
      "invalid_client_metadata",
      `${METADATA} Subject type pairwise is not supported by server, only [public] are allowed.`,
    ],
    [
      { redirect_uris: [RP], post_logout_redirect_uris: ["https://elsewhere.example.com/bye"] },
      "invalid_client_metadata",
      `${METADATA} post_logout_redirect_uri 'https://elsewhere.example.com/bye' must match the domain, port, scheme of at least one of the registered redirect URIs but did not`,
    ],
    [
      { access_token_strategy: "Paseto" },
      "invalid_client_metadata",
      `${METADATA} invalid access token strategy: expected one of [jwt, opaque] but got paseto`,
    ],
  ])("refuses %j with Hydra's error", async (body, error, description) => {
    expect(await create(body)).toMatchObject({ status: 400, body: { error, error_description: description } });
  });

  it("normalises what Hydra normalises: CORS origins, access_token_strategy, client_secret_expires_at", async () => {
    const { status, body } = await create({
      allowed_cors_origins: ["https://app.example.com/"],
      access_token_strategy: "JWT",
      client_secret_expires_at: 99,
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      allowed_cors_origins: ["https://app.example.com"],
      access_token_strategy: "jwt",
      client_secret_expires_at: 0,
    });
  });

  it("stores grant and response types Hydra stores but this server does not run, and public clients without showing a secret", async () => {
    // Hydra: the validator does not check grant types; fosite refuses unsupported ones when they are used.
    const device = await create({ grant_types: ["urn:ietf:params:oauth:grant-type:device_code"], token_endpoint_auth_method: "none" });
    expect(device.status).toBe(201);
    expect(device.body).toMatchObject({ grant_types: ["urn:ietf:params:oauth:grant-type:device_code"] });
    expect(device.body).not.toHaveProperty("client_secret");
  });
});

describe("client/handler.go body decoding and lookups", () => {
  it("answers a value Go cannot decode with herodot's bad request and Go's message", async () => {
    expect(await create({ client_name: 5 })).toMatchObject({
      status: 400,
      body: {
        error: MALFORMED,
        error_description:
          "Unable to decode the request body: json: cannot unmarshal number into Go struct field Client.client_name of type string",
      },
    });
    expect(await create({ skip_consent: "yes" })).toMatchObject({ status: 400, body: { error: MALFORMED } });
    // Unknown fields are ignored, as Go's decoder ignores them.
    expect((await create({ no_such_field: true })).status).toBe(201);
  });

  it("answers unknown clients with sqlcon's 404 on every method", async () => {
    const notFound = { error: "Unable to locate the resource", error_description: "" };
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      const answer = await send(method, "admin/clients/no-such-client", method === "PATCH" ? [] : method === "PUT" ? {} : undefined);
      expect(answer, method).toMatchObject({ status: 404, body: notFound });
    }
  });

  it("PUT takes the id from the path, ignoring the body's client_id", async () => {
    const { body: created } = await create({ client_name: "put-me", redirect_uris: [RP] });
    const id = String(created.client_id);
    const { status, body } = await send("PUT", `admin/clients/${id}`, {
      client_id: "another-id",
      client_name: "renamed",
      redirect_uris: [RP],
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ client_id: id, client_name: "renamed" });
  });

  it("PUT of a client as GET returned it, with a new secret, is accepted unchanged (Athena's secret rotation)", async () => {
    // client/handler.go setOAuth2Client decodes the GET shape (null lifespans, jwks {}, timestamps) back.
    const { body: created } = await create({
      client_name: "round-trip",
      redirect_uris: [RP],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "openid offline_access",
      token_endpoint_auth_method: "client_secret_basic",
      client_credentials_grant_access_token_lifespan: "5m",
    });
    const id = String(created.client_id);
    const { body: read } = await send("GET", `admin/clients/${id}`);
    const { status, body } = await send("PUT", `admin/clients/${id}`, { ...read, client_secret: "a-new-secret-of-enough-length" });
    expect(status).toBe(200);
    const { client_secret: secret, updated_at: _updated, ...rest } = body;
    const { updated_at: _readUpdated, ...before } = read;
    expect(secret).toBe("a-new-secret-of-enough-length");
    expect(rest).toEqual(before);
  });

  it("PATCH allows add, remove and replace only; replace of a missing field adds it", async () => {
    const { body: created } = await create({ client_name: "patch-me", redirect_uris: [RP] });
    const id = String(created.client_id);
    const patched = await send("PATCH", `admin/clients/${id}`, [
      { op: "replace", path: "/sector_identifier_uri", value: "" },
      { op: "replace", path: "/owner", value: "team" },
    ]);
    expect(patched).toMatchObject({ status: 200, body: { owner: "team" } });
    const test = await send("PATCH", `admin/clients/${id}`, [{ op: "test", path: "/owner", value: "team" }]);
    // client/handler.go patchOAuth2Client → jsonx.ApplyJSONPatch's bare error → herodot's 500.
    expect(test.status).toBe(500);
    expect(test.body).toEqual({ error: "error", error_description: "The error is unrecognizable" });
  });
});

describe("client list pagination (ory/x keysetpagination_v2)", () => {
  it("refuses a page_size that is not an integer and a foreign page_token; clamps the size", async () => {
    expect(await send("GET", "admin/clients?page_size=abc")).toMatchObject({
      status: 400,
      body: { error: MALFORMED, error_description: 'Unable to parse pagination parameters: strconv.Atoi: parsing "abc": invalid syntax' },
    });
    expect((await send("GET", "admin/clients?page_token=not-a-token")).status).toBe(400);
    const huge = await send("GET", "admin/clients?page_size=100000");
    expect(huge.status).toBe(200);
    expect(huge.headers.get("link")).toContain("page_size=500");
    const none = await send("GET", "admin/clients?page_size=0");
    expect(none.headers.get("link")).toContain("page_size=100");
  });
});
