import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMachineClient } from "./testing/device";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

/**
 * The headers fosite's writers put on the OAuth2 answers, byte for byte:
 * `Content-Type: application/json;charset=UTF-8` (no space, upper-case
 * UTF-8), `Cache-Control: no-store`, `Pragma: no-cache`.
 */

const FOSITE_JSON = "application/json;charset=UTF-8";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: { id: string; secret: string };

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  client = await createMachineClient(hydra, "client_secret_post");
});
afterAll(() => stopHydraAndPostgres(hydra, pg));

async function post(url: string, form: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

const token = (form: Record<string, string>) => post(new URL("oauth2/token", hydra.publicUrl).toString(), form);
const revoke = (form: Record<string, string>) => post(new URL("oauth2/revoke", hydra.publicUrl).toString(), form);
const introspect = (form: Record<string, string>) => post(new URL("admin/oauth2/introspect", hydra.adminUrl).toString(), form);
const deviceAuth = (form: Record<string, string>) => post(new URL("oauth2/device/auth", hydra.publicUrl).toString(), form);
const credentials = () => ({ client_id: client.id, client_secret: client.secret });

function expectFositeJson(answer: { headers: Headers }): void {
  expect(answer.headers.get("content-type")).toBe(FOSITE_JSON);
  expect(answer.headers.get("cache-control")).toBe("no-store");
  expect(answer.headers.get("pragma")).toBe("no-cache");
}

async function accessToken(): Promise<string> {
  const answer = await token({ grant_type: "client_credentials", scope: "jobs.run", ...credentials() });
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

describe("the token endpoint", () => {
  it("answers a token with WriteAccessResponse's headers (fosite access_write.go)", async () => {
    const answer = await token({ grant_type: "client_credentials", scope: "jobs.run", ...credentials() });
    expect(answer.status).toBe(200);
    expectFositeJson(answer);
  });

  it("answers a refusal with writeJsonError's headers (fosite access_error.go WriteAccessError)", async () => {
    const forms: Record<string, string>[] = [
      { grant_type: "client_credentials" },
      { grant_type: "client_credentials", client_id: client.id, client_secret: "wrong" },
      { grant_type: "password", ...credentials() },
    ];
    for (const form of forms) {
      const answer = await token(form);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expectFositeJson(answer);
    }
  });
});

describe("the revocation endpoint (fosite revoke_handler.go WriteRevocationResponse)", () => {
  it("answers a revocation 200 with no-store and no-cache, no Content-Type and no body", async () => {
    const answer = await revoke({ token: await accessToken(), ...credentials() });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("pragma")).toBe("no-cache");
    expect(answer.headers.get("content-type")).toBeNull();
    expect(answer.headers.get("content-length")).toBe("0");
    expect(answer.body).toBe("");
  });

  it("answers invalid_request and invalid_client with fosite's JSON headers", async () => {
    const forms: Record<string, string>[] = [{ token: "abc" }, { token: "abc", client_id: client.id, client_secret: "wrong" }];
    for (const form of forms) {
      const answer = await revoke(form);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expectFositeJson(answer);
    }
  });
});

describe("the introspection endpoint (oauth2/handler.go introspectOAuth2Token)", () => {
  it("answers an inactive token with WriteIntrospectionError's headers", async () => {
    const answer = await introspect({ token: "not-a-token" });
    expect([answer.status, answer.body]).toEqual([200, '{"active":false}\n']);
    expectFositeJson(answer);
  });

  it("answers an empty form with writeJsonError's headers", async () => {
    const answer = await introspect({});
    expect(answer.status).toBe(400);
    expectFositeJson(answer);
  });

  it("answers an active token with fosite's Content-Type, written by introspectOAuth2Token itself", async () => {
    const answer = await introspect({ token: await accessToken() });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe(FOSITE_JSON);
    expect(answer.headers.get("pragma")).toBeNull();
  });
});

describe("the device authorization endpoint (fosite device_write.go WriteDeviceResponse, access_error.go)", () => {
  it("answers a device authorization and a refusal with fosite's JSON headers", async () => {
    const granted = await deviceAuth({ scope: "jobs.run", ...credentials() });
    expect(granted.status).toBe(200);
    expectFositeJson(granted);
    const refused = await deviceAuth({ client_id: "nobody", client_secret: "x" });
    expect(refused.status).toBe(401);
    expectFositeJson(refused);
  });
});

describe("the revocation endpoint's refusals (fosite revoke_handler.go WriteRevocationResponse)", () => {
  it("are the bare ErrInvalidRequest and ErrInvalidClient, whatever the check that failed", async () => {
    const missing = await revoke({ token: "abc" });
    expect([missing.status, missing.body]).toEqual([
      400,
      '{"error":"invalid_request","error_description":"The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. Make sure that the various parameters are correct, be aware of case sensitivity and trim your parameters. Make sure that the client you are using has exactly whitelisted the redirect_uri you specified."}',
    ]);
    const wrong = await revoke({ token: "abc", client_id: client.id, client_secret: "wrong" });
    expect([wrong.status, wrong.body]).toEqual([
      401,
      '{"error":"invalid_client","error_description":"Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)."}',
    ]);
  });
});
