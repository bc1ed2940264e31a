import { describe, expect, it } from "vitest";
import { reasonOf } from "./admin-api";
import { clientsFileProblems, oauth2ClientsFile, toClientDefinition } from "./clients-file";
import { isDemotion, nameFromEmail, normalizeEmail } from "./iam-admin";
import { KRATOS_DURATION } from "./invitation";
import { clientDrift, SECRET_DIGEST_KEY, secretDigest, type OAuth2ClientDefinition } from "./oauth2-client";

const athena: OAuth2ClientDefinition = {
  client_id: "iam-athena-iam",
  client_name: "Athena IAM",
  client_secret: "a-long-enough-client-secret",
  redirect_uris: ["https://admin.iam.example.com/api/auth/callback/olympus-iam"],
  post_logout_redirect_uris: ["https://admin.iam.example.com/"],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  scope: "openid offline_access email profile",
  token_endpoint_auth_method: "client_secret_basic",
  skip_consent: true,
  metadata: { first_party: true, app: "athena" },
};

describe("clientDrift", () => {
  it("sees no drift in what Hydra stores for the definition (metadata key order aside)", async () => {
    const digest = await secretDigest(athena.client_id, athena.client_secret ?? "");
    const { client_secret: _secret, ...stored } = athena;
    expect(
      clientDrift(
        { ...stored, metadata: { app: "athena", [SECRET_DIGEST_KEY]: digest, first_party: true }, created_at: "x" },
        athena,
        digest,
      ),
    ).toEqual([]);
  });

  it("names each drifted field, a changed secret as client_secret", async () => {
    const digest = await secretDigest(athena.client_id, athena.client_secret ?? "");
    const stale = await secretDigest(athena.client_id, "the-previous-client-secret");
    const drift = clientDrift(
      {
        client_id: athena.client_id,
        client_name: "Athena",
        redirect_uris: ["https://evil.example.net/cb"],
        grant_types: ["authorization_code"],
        scope: athena.scope,
        token_endpoint_auth_method: "client_secret_post",
        metadata: { [SECRET_DIGEST_KEY]: stale },
      },
      athena,
      digest,
    );
    expect(drift).toEqual([
      "client_name",
      "redirect_uris",
      "post_logout_redirect_uris",
      "grant_types",
      "response_types",
      "token_endpoint_auth_method",
      "skip_consent",
      "metadata",
      "client_secret",
    ]);
  });

  it("compares a client_credentials lifespan as Hydra answers it (5m0s for 5m), and names it when it drifted", async () => {
    const machine: OAuth2ClientDefinition = {
      ...athena,
      client_id: "iam-control-plane-acme",
      redirect_uris: [],
      post_logout_redirect_uris: [],
      grant_types: ["client_credentials"],
      response_types: [],
      skip_consent: false,
      metadata: {},
      client_credentials_grant_access_token_lifespan: "5m",
    };
    const digest = await secretDigest(machine.client_id, machine.client_secret ?? "");
    const { client_secret: _secret, ...stored } = machine;
    const answered = { ...stored, metadata: { [SECRET_DIGEST_KEY]: digest } };
    expect(clientDrift({ ...answered, client_credentials_grant_access_token_lifespan: "5m0s" }, machine, digest)).toEqual([]);
    expect(clientDrift({ ...answered, client_credentials_grant_access_token_lifespan: "1h0m0s" }, machine, digest)).toEqual([
      "client_credentials_grant_access_token_lifespan",
    ]);
    expect(clientDrift({ ...answered, client_credentials_grant_access_token_lifespan: null }, machine, digest)).toEqual([
      "client_credentials_grant_access_token_lifespan",
    ]);
  });

  it("digests a secret per client: same secret, other client, other digest", async () => {
    const one = await secretDigest("iam-athena-iam", "same-secret-value");
    expect(one).toMatch(/^scrypt:[0-9a-f]{64}$/);
    expect(await secretDigest("iam-athena-iam", "same-secret-value")).toBe(one);
    expect(await secretDigest("iam-athena-ciam", "same-secret-value")).not.toBe(one);
  });
});

describe("oauth2-clients.yml", () => {
  const entry = {
    client_id: "iam-athena-iam",
    client_name: "Athena IAM",
    client_secret_env: "IAM_ATHENA_CLIENT_SECRET",
    redirect_uris: ["https://a.example.com/cb"],
    grant_types: ["authorization_code"],
    scope: "openid",
  };

  it("takes a client_credentials client without redirect URIs, but not a redirecting one; checks the lifespan's form", () => {
    const machine = {
      client_id: "iam-control-plane-acme",
      client_name: "Control plane",
      client_secret_env: "CONTROL_PLANE_CLIENT_SECRET",
      grant_types: ["client_credentials"],
      response_types: [],
      scope: "olympus.admins.read",
      client_credentials_grant_access_token_lifespan: "5m",
    };
    const file = oauth2ClientsFile.parse({ iam: [machine, { ...entry, redirect_uris: undefined }] });
    expect(file.iam[0]?.redirect_uris).toEqual([]);
    expect(clientsFileProblems(file)).toEqual(['iam: client "iam-athena-iam" needs redirect_uris for authorization_code']);
    expect(
      oauth2ClientsFile.safeParse({ iam: [{ ...machine, client_credentials_grant_access_token_lifespan: "five minutes" }] }).success,
    ).toBe(false);
  });

  it("fills Hydra's defaults and drops client_secret_env from what is registered", () => {
    const file = oauth2ClientsFile.parse({ iam: [entry], ciam: null });
    expect(file.ciam).toEqual([]);
    expect(toClientDefinition(file.iam[0] ?? (undefined as never), "s3cret-s3cret-s3cret")).toEqual({
      client_id: "iam-athena-iam",
      client_name: "Athena IAM",
      client_secret: "s3cret-s3cret-s3cret",
      redirect_uris: ["https://a.example.com/cb"],
      post_logout_redirect_uris: [],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      scope: "openid",
      token_endpoint_auth_method: "client_secret_basic",
      skip_consent: false,
      metadata: {},
    });
  });

  it("refuses ids without their Hydra's prefix, ids on both sides, and secrets that cannot be found or must not exist", () => {
    const file = oauth2ClientsFile.parse({
      iam: [entry, { ...entry, client_id: "athena", client_secret_env: undefined }],
      ciam: [
        { ...entry, client_secret_env: undefined, token_endpoint_auth_method: "none" },
        { ...entry, client_id: "ciam-spa", token_endpoint_auth_method: "none" },
      ],
    });
    expect(clientsFileProblems(file)).toEqual([
      'ciam: client id "iam-athena-iam" must start with "ciam-"',
      'ciam: client "ciam-spa" is public (token_endpoint_auth_method: none) and takes no secret',
      'iam: client id "iam-athena-iam" is listed twice (also in ciam)',
      'iam: client id "athena" must start with "iam-"',
      'iam: client "athena" needs client_secret_env, the variable holding its secret',
    ]);
  });

  it("refuses unknown fields (a misspelt setting must not go unnoticed)", () => {
    expect(oauth2ClientsFile.safeParse({ iam: [{ ...entry, skip_consnet: true }] }).success).toBe(false);
    expect(oauth2ClientsFile.safeParse({ iam: [], tenants: [] }).success).toBe(false);
  });
});

describe("helpers", () => {
  it("normalises emails and derives a starting name", () => {
    expect(normalizeEmail("  Jane.Doe@Example.COM ")).toBe("jane.doe@example.com");
    expect(nameFromEmail("jane.doe@example.com")).toEqual({ first: "Jane", last: "Doe" });
    expect(nameFromEmail("ops@example.com")).toEqual({ first: "Ops", last: "" });
  });

  it("knows a demotion from a promotion", () => {
    expect(isDemotion("admin", "viewer")).toBe(true);
    expect(isDemotion("viewer", "admin")).toBe(false);
    expect(isDemotion(undefined, "viewer")).toBe(false);
    expect(isDemotion("admin", "admin")).toBe(false);
  });

  it("reads Ory's reason from Kratos' and Hydra's error bodies", () => {
    expect(reasonOf(JSON.stringify({ error: { id: "x", reason: "The request was malformed." } }))).toBe("The request was malformed.");
    expect(reasonOf(JSON.stringify({ error: "invalid_client", error_description: "Client authentication failed." }))).toBe(
      "Client authentication failed.",
    );
    expect(reasonOf("<html>bad gateway</html>")).toBe("<html>bad gateway</html>");
  });

  it("accepts Kratos durations only", () => {
    for (const ok of ["24h", "30m", "1h30m", "90s"]) expect(KRATOS_DURATION.test(ok)).toBe(true);
    for (const bad of ["1d", "tomorrow", "-5m", ""]) expect(KRATOS_DURATION.test(bad)).toBe(false);
  });
});
