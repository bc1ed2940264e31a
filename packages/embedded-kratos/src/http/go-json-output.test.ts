import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * The bytes of Kratos' JSON answers. Every answer is written by herodot's
 * JSONWriter (herodot json.go WriteCode / WriteErrorCode): the bytes of
 * json.NewEncoder(buf).Encode(v) — Go encode.go appendString escapes `<`, `>`,
 * `&` (HTML escaping on), always escapes U+2028 and U+2029, json.RawMessage
 * values (traits, metadata) go through appendCompact with the same HTML
 * escaping, and Encode ends the value with "\n". The admin recovery answers
 * pass herodot.UnescapedHTML (strategy/link/strategy_recovery.go
 * createRecoveryLinkForIdentity, strategy/code/strategy_recovery_admin.go
 * createRecoveryCodeForIdentity): their `&` stays as is.
 */
describe("JSON answers as Go's encoding/json writes them (herodot JSONWriter)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("go_json_output")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const post = (path: string, body: unknown) =>
    fetch(`${kratos.adminUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("identity traits and metadata (json.RawMessage) with <, >, &, U+2028: escaped, answer ends in a newline", async () => {
    const created = await post("/admin/identities", {
      schema_id: "default",
      traits: { email: uniqueEmail("go-json"), name: { first: "<a&b>\u2028", last: "x\u2029" } },
      metadata_public: { note: "<a&b>\u2028" },
    });
    expect(created.status).toBe(201);
    const id = ((await created.clone().json()) as { id: string }).id;
    const createdText = await created.text();
    expect(createdText.endsWith("}\n")).toBe(true);

    const read = await fetch(`${kratos.adminUrl}/admin/identities/${id}`);
    const text = await read.text();
    // Traits are the jsonb text (its key order), compacted and escaped.
    expect(text).toContain(String.raw`"first":"\u003ca\u0026b\u003e\u2028"`);
    expect(text).toContain(String.raw`"last":"x\u2029"`);
    expect(text).toContain(String.raw`"metadata_public":{"note":"\u003ca\u0026b\u003e\u2028"}`);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text.endsWith("}\n")).toBe(true);
    expect(Buffer.byteLength(text)).toBe(Number(read.headers.get("content-length")));
  });

  it("error answers (WriteErrorCode: json.NewEncoder(w).Encode) end in a newline too", async () => {
    const res = await fetch(`${kratos.adminUrl}/admin/identities/00000000-0000-0000-0000-000000000001`);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text.startsWith('{"error":{')).toBe(true);
    expect(text.endsWith("}}\n")).toBe(true);
  });

  it("admin recovery link (herodot.UnescapedHTML): the link's & is written as is, with the newline", async () => {
    const created = await post("/admin/identities", { schema_id: "default", traits: { email: uniqueEmail("go-json-recovery") } });
    const { id } = (await created.json()) as { id: string };
    const res = await post("/admin/recovery/link", { identity_id: id });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(
      /^\{"recovery_link":"http:\/\/[^"]+\/self-service\/recovery\?flow=[0-9a-f-]{36}&token=\w+","expires_at":"[^"]+"\}\n$/,
    );
  });
});
