import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, STRONG_PASSWORD, type TestKratos, type TestPostgres } from "../testing/harness";

/** Regression tests for what the fuzz (src/fuzz.test.ts) found: each of these was a 500 or worse before. */
describe("hostile input the fuzz found", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_hostile")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const identities = async () =>
    Number((await pg.query<{ n: number }>("SELECT count(*)::int AS n FROM identities", [], "ciam_hostile")).rows[0]?.n);
  const newFlow = async (kind: string) =>
    ((await (await fetch(`${kratos.publicUrl}/self-service/${kind}/api`)).json()) as { id: string }).id;
  const post = (path: string, body: string, type = "application/json") =>
    fetch(`${kratos.publicUrl}${path}`, { method: "POST", headers: { "Content-Type": type, Accept: "application/json" }, body });

  it("refuses NUL characters and unpaired surrogates (which Postgres cannot store) with 400, storing nothing", async () => {
    const before = await identities();
    for (const value of ["a\\u0000b@example.com", "x\\ud800@example.com"]) {
      const flow = await newFlow("registration");
      const res = await post(
        `/self-service/registration?flow=${flow}`,
        `{"method":"password","password":"${STRONG_PASSWORD}","traits":{"email":"${value}"}}`,
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { reason: string } }).error.reason).toMatch(/cannot be stored/);
    }
    const login = await newFlow("login");
    expect(
      (await post(`/self-service/login?flow=${login}`, "method=password&identifier=a%00b&password=x", "application/x-www-form-urlencoded"))
        .status,
    ).toBe(400);
    expect(
      (await fetch(`${kratos.publicUrl}/self-service/login/api?login_challenge=%00`, { headers: { Accept: "application/json" } })).status,
    ).toBe(400);
    expect((await fetch(`${kratos.adminUrl}/admin/identities/%00`)).status).toBe(404);
    expect(await identities()).toBe(before);
  });

  it("refuses them in the admin API's own decoders too: create, update, JSON Patch and batch (the fuzz's NUL last name was a 500)", async () => {
    const admin = (method: string, path: string, body: string) =>
      fetch(`${kratos.adminUrl}${path}`, { method, headers: { "Content-Type": "application/json" }, body });
    const traits = (last: string) => `{"email":"nul-${Date.now()}@example.com","name":{"first":"a","last":"${last}"}}`;
    const before = await identities();
    for (const last of ["\\u0000", "\\ud800"]) {
      expect((await admin("POST", "/admin/identities", `{"schema_id":"default","traits":${traits(last)}}`)).status).toBe(400);
      expect(
        (await admin("PATCH", "/admin/identities", `{"identities":[{"create":{"schema_id":"default","traits":${traits(last)}}}]}`)).status,
      ).toBe(400);
    }
    const created = (await (await admin("POST", "/admin/identities", `{"schema_id":"default","traits":${traits("ok")}}`)).json()) as {
      id: string;
    };
    expect(
      (await admin("PUT", `/admin/identities/${created.id}`, `{"schema_id":"default","state":"active","traits":${traits("\\u0000")}}`))
        .status,
    ).toBe(400);
    expect(
      (await admin("PATCH", `/admin/identities/${created.id}`, `[{"op":"replace","path":"/traits/name/last","value":"\\u0000"}]`)).status,
    ).toBe(400);
    expect(await identities()).toBe(before + 1);
  });

  it("refuses form keys that would reach Object.prototype, and leaves it untouched", async () => {
    const flow = await newFlow("login");
    for (const body of ["__proto__.polluted=1&method=password", "traits.constructor.prototype.polluted=1", `${"a.".repeat(100)}b=1`]) {
      expect((await post(`/self-service/login?flow=${flow}`, body, "application/x-www-form-urlencoded")).status).toBe(400);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers deeply nested JSON and unreadable bodies with 400", async () => {
    const flow = await newFlow("registration");
    expect((await post(`/self-service/registration?flow=${flow}`, `{"traits":${'{"a":'.repeat(200)}1${"}".repeat(200)}}`)).status).toBe(
      400,
    );
    expect((await post(`/self-service/registration?flow=${flow}`, "[".repeat(100_000))).status).toBe(400);
  });
});
