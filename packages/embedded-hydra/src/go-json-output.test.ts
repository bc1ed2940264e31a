import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

/**
 * The bytes of Hydra's JSON answers. Hydra's own handlers write with
 * herodot's JSONWriter (herodot json.go WriteCode / WriteErrorCode): the
 * bytes of json.NewEncoder(buf).Encode(v) — Go encode.go appendString escapes
 * `<`, `>`, `&`, always escapes U+2028 and U+2029, json.RawMessage values
 * (client metadata) go through appendCompact with the same escaping, and
 * Encode ends the value with "\n". fosite's token endpoint writes
 * json.Marshal's bytes (access_write.go WriteAccessResponse, access_error.go
 * writeJsonError): escaped, no trailing newline.
 */
let pg: TestPostgres;
let hydra: HydraUnderTest;

beforeAll(async () => ({ postgres: pg, hydra } = await startHydraWithPostgres()));

afterAll(() => stopHydraAndPostgres(hydra, pg));

const admin = (path: string, init?: RequestInit) => fetch(new URL(path, hydra.adminUrl), init);
const postJson = (path: string, body: unknown) =>
  admin(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(new URL("oauth2/token", hydra.publicUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });

describe("herodot JSONWriter answers (client/handler.go GetOAuth2Client)", () => {
  it("a client name and metadata with <, >, &, U+2028 read back escaped, ending in a newline", async () => {
    const created = await postJson("admin/clients", { client_name: "<a&b>\u2028", metadata: { note: "<a&b>\u2029" } });
    expect(created.status).toBe(201);
    expect((await created.clone().text()).endsWith("}\n")).toBe(true);
    const { client_id } = (await created.json()) as { client_id: string };

    const read = await admin(`admin/clients/${client_id}`);
    const text = await read.text();
    expect(text).toContain(String.raw`"client_name":"\u003ca\u0026b\u003e\u2028"`);
    expect(text).toContain(String.raw`"metadata":{"note":"\u003ca\u0026b\u003e\u2029"}`);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text.endsWith("}\n")).toBe(true);
    expect(Buffer.byteLength(text)).toBe(Number(read.headers.get("content-length")));
  });

  it("errors (WriteErrorCode: json.NewEncoder(w).Encode) end in a newline", async () => {
    const res = await admin("admin/clients/does-not-exist");
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('{"error":"Unable to locate the resource","error_description":""}\n');
  });

  it("errors are `application/json` without a charset, answers `application/json; charset=utf-8`", async () => {
    // herodot v0.10.7 json.go: WriteErrorCode sets "application/json", WriteCode "application/json; charset=utf-8".
    const notFound = await admin("admin/clients/does-not-exist");
    const malformed = await admin("admin/oauth2/auth/sessions/consent");
    const listed = await admin("admin/clients");
    expect([notFound.status, notFound.headers.get("content-type")]).toEqual([404, "application/json"]);
    expect([malformed.status, malformed.headers.get("content-type")]).toEqual([400, "application/json"]);
    expect([listed.status, listed.headers.get("content-type")]).toEqual([200, "application/json; charset=utf-8"]);
  });
});

describe("fosite's json.Marshal answers (token endpoint)", () => {
  it("a token error (access_error.go writeJsonError) has no trailing newline", async () => {
    const res = await token({ grant_type: "client_credentials" });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.startsWith('{"error":"invalid_request"')).toBe(true);
    expect(text.endsWith('"}')).toBe(true);
  });

  it("a token answer (access_write.go WriteAccessResponse) escapes & in its scope, no trailing newline", async () => {
    const created = await postJson("admin/clients", {
      grant_types: ["client_credentials"],
      scope: "a&b",
      token_endpoint_auth_method: "client_secret_post",
    });
    const client = (await created.json()) as { client_id: string; client_secret: string };
    const res = await token({
      grant_type: "client_credentials",
      scope: "a&b",
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain(String.raw`"scope":"a\u0026b"`);
    expect(text.endsWith("}")).toBe(true);
  });
});

describe("fosite's introspection writers (admin /admin/oauth2/introspect)", () => {
  const introspect = (body: string) =>
    admin("admin/oauth2/introspect", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });

  it("an empty form (oauth2/handler.go introspectOAuth2Token → writeJsonError) is json.Marshal's invalid_request, no newline", async () => {
    const res = await introspect("");
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(
      '{"error":"invalid_request","error_description":"The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. The POST body can not be empty."}',
    );
  });

  it("an empty token is inactive (WriteIntrospectionError: json.NewEncoder(rw).Encode, with its newline)", async () => {
    const res = await introspect("token=");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"active":false}\n');
  });
});
