import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CIAM_CONFIG,
  IAM_CONFIG,
  startHydraUnderTest,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type TestPostgres,
} from "./testing/harness";
import { createClient } from "./testing/clients";
import { relyingParty } from "./testing/sign-in";

let pg: TestPostgres;
let ciam: HydraUnderTest;
let iam: HydraUnderTest;

async function machineClient(hydra: HydraUnderTest) {
  const { id, secret } = await createClient(hydra, { grant_types: ["client_credentials"], scope: "api" });
  return { id, secret, config: await relyingParty(hydra, id, secret) };
}

beforeAll(async () => {
  ({ postgres: pg, hydra: ciam } = await startHydraWithPostgres((server) => startHydraUnderTest(server, { configPath: CIAM_CONFIG })));
  iam = await startHydraUnderTest(pg, { configPath: IAM_CONFIG });
});

afterAll(() => stopHydraAndPostgres([ciam, iam], pg));

describe("two domains on their own databases", () => {
  it("does not know the other instance's clients or tokens", async () => {
    const ciamClient = await machineClient(ciam);
    const token = await oidc.clientCredentialsGrant(ciamClient.config, { scope: "api" });

    expect((await ciam.admin.introspectOAuth2Token({ token: token.access_token })).data.active).toBe(true);
    expect((await iam.admin.introspectOAuth2Token({ token: token.access_token })).data.active).toBe(false);
    const lookup = await iam.admin
      .getOAuth2Client({ id: ciamClient.id })
      .catch((error: { response: { status: number } }) => error.response);
    expect(lookup.status).toBe(404);

    const crossDomain = await fetch(new URL("oauth2/token", iam.publicUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: ciamClient.id, client_secret: ciamClient.secret }),
    });
    expect(crossDomain.status).toBe(401);
    expect(await crossDomain.json()).toMatchObject({ error: "invalid_client" });
  });

  it("publishes different signing keys and issuers", async () => {
    const [ciamKeys, iamKeys] = await Promise.all([
      fetch(new URL(".well-known/jwks.json", ciam.publicUrl)).then((r) => r.json() as Promise<{ keys: Array<{ kid: string }> }>),
      fetch(new URL(".well-known/jwks.json", iam.publicUrl)).then((r) => r.json() as Promise<{ keys: Array<{ kid: string }> }>),
    ]);
    expect(ciamKeys.keys[0]?.kid).toBeTruthy();
    expect(ciamKeys.keys[0]?.kid).not.toBe(iamKeys.keys[0]?.kid);
    expect(ciam.issuer).not.toBe(iam.issuer);
  });
});

describe("persistence and key rotation", () => {
  it("keeps clients, tokens and keys across a restart; rotation publishes old and new keys", async () => {
    const client = await machineClient(ciam);
    const token = await oidc.clientCredentialsGrant(client.config, { scope: "api" });
    const keysBefore = await fetch(new URL("admin/keys/hydra.openid.id-token", ciam.adminUrl)).then(
      (r) => r.json() as Promise<{ keys: Array<{ kid: string; d?: string }> }>,
    );
    expect(keysBefore.keys).toHaveLength(1);
    // Hydra's admin API returns the private key (jwk/handler.go getJsonWebKeySet).
    expect(keysBefore.keys[0]?.d).toBeDefined();
    const accessKeys = await fetch(new URL("admin/keys/hydra.jwt.access-token", ciam.adminUrl)).then(
      (r) => r.json() as Promise<{ keys: Array<{ kid: string }> }>,
    );

    const database = ciam.dsn.split("/").pop() ?? "";
    await ciam.close();
    ciam = await startHydraUnderTest(pg, { configPath: CIAM_CONFIG, database });

    const { data: introspection } = await ciam.admin.introspectOAuth2Token({ token: token.access_token });
    expect(introspection).toMatchObject({ active: true, client_id: client.id });
    const keysAfter = await fetch(new URL("admin/keys/hydra.openid.id-token", ciam.adminUrl)).then(
      (r) => r.json() as Promise<{ keys: Array<{ kid: string }> }>,
    );
    expect(keysAfter.keys.map((key) => key.kid)).toEqual(keysBefore.keys.map((key) => key.kid));

    const rotated = await fetch(new URL("admin/keys/hydra.openid.id-token", ciam.adminUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ alg: "RS256", use: "sig" }),
    });
    expect(rotated.status).toBe(201);
    const newKid = ((await rotated.json()) as { keys: Array<{ kid: string }> }).keys[0]?.kid;
    const published = await fetch(new URL(".well-known/jwks.json", ciam.publicUrl)).then(
      (r) => r.json() as Promise<{ keys: Array<{ kid: string }> }>,
    );
    // Hydra publishes the ID token set and then the access token set (jwk/handler.go discoverJsonWebKeys).
    expect(published.keys.map((key) => key.kid)).toEqual([newKid, keysBefore.keys[0]?.kid, accessKeys.keys[0]?.kid]);
  });
});
