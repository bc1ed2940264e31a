import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

/** Regression tests for what the fuzz (src/fuzz.test.ts) found: each of these was a 500 before. */
let pg: TestPostgres;
let hydra: HydraUnderTest;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
});
afterAll(() => stopHydraAndPostgres(hydra, pg));

const admin = (path: string, init: RequestInit = {}) => fetch(new URL(path.replace(/^\//, ""), hydra.adminUrl), init);
const json = (method: string, body: string): RequestInit => ({ method, headers: { "content-type": "application/json" }, body });

describe("hostile input the fuzz found", () => {
  it("answers non-object client bodies with 400, as Go's decoder does (null decodes to an empty client)", async () => {
    // Hydra: client/handler.go CreateClient (json.Decode into the Client struct).
    for (const body of ["[]", "1", '"x"']) {
      const response = await admin("/admin/clients", json("POST", body));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error_description: string }).error_description).toMatch(
        /^Unable to decode the request body: json: cannot unmarshal/,
      );
    }
    expect((await admin("/admin/clients", json("POST", "null"))).status).toBe(201);
  });

  it("stores a client whose name or owner is far longer than a B-tree entry, and finds it by name", async () => {
    const name = "n".repeat(10_000);
    const created = await admin(
      "/admin/clients",
      json("POST", JSON.stringify({ client_name: name, owner: "o".repeat(10_000), redirect_uris: ["http://rp.localhost/cb"] })),
    );
    expect(created.status).toBe(201);
    const found = (await (await admin(`/admin/clients?client_name=${name}`)).json()) as unknown[];
    expect(found).toHaveLength(1);
  });

  it("accepts any key id and set name, as Hydra does, and finds them again", async () => {
    // Hydra: jwk/handler.go createJsonWebKeySet (no charset rule; the router decodes the path).
    const created = await admin(
      `/admin/keys/${encodeURIComponent("a set/with?odd#chars")}`,
      json("POST", JSON.stringify({ alg: "ES256", use: "sig", kid: "k%1/ü" })),
    );
    expect(created.status).toBe(201);
    const found = await admin(`/admin/keys/${encodeURIComponent("a set/with?odd#chars")}/${encodeURIComponent("k%1/ü")}`);
    expect(found.status).toBe(200);
  });

  it("refuses NUL characters and malformed escapes in paths, queries and bodies without touching the database", async () => {
    // A malformed escape in the request target: request.go readRequest's url.ParseRequestURI fails, and
    // net/http answers its plain 400 before any handler (server.go conn.serve).
    const malformed = await admin("/admin/clients/%E0%A4%A");
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toBe("400 Bad Request");
    expect((await admin("/admin/clients/%00")).status).toBe(404);
    expect((await admin("/admin/oauth2/auth/requests/login?login_challenge=%00")).status).toBe(400);
    expect((await admin("/admin/clients", json("POST", '{"client_name":"a\\u0000b"}'))).status).toBe(400);
    const auth = await fetch(new URL("oauth2/auth?client_id=x&state=%00", hydra.publicUrl), { redirect: "manual" });
    expect(auth.status).toBe(400);
    const token = await fetch(new URL("oauth2/token", hydra.publicUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=a%00b&client_secret=x",
    });
    expect(token.status).toBeLessThan(500);
  });
});
