import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratos, startTestPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * Admin traits are validated on the numbers' text: identity/handler.go
 * (CreateIdentityBody and UpdateIdentityBody hold traits as
 * json.RawMessage) hands the bytes as written to identity/validator.go
 * ValidateWithRunner (sjson.SetRawBytes), which ory/jsonschema decodes with
 * UseNumber — schema.go `validate` checks `integer` with big.Int SetString
 * of the json.Number (`1.0` is no integer) and prints limits' `found %v`
 * with the number's text (`1e2`).
 */
const schema = {
  $id: "https://example.com/numbers.schema.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    traits: {
      type: "object",
      properties: {
        email: { type: "string", format: "email", "ory.sh/kratos": { credentials: { password: { identifier: true } } } },
        age: { type: "integer" },
        score: { type: "number", maximum: 5 },
      },
      required: ["email"],
    },
  },
};

describe("admin traits' numbers as written (json.RawMessage)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kratos-number-text-"));
    const file = path.join(dir, "numbers.schema.json");
    await writeFile(file, JSON.stringify(schema));
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_number_text", {
      configOverrides: {
        identity: {
          default_schema_id: "default",
          schemas: [
            { id: "default", url: "file:///etc/config/kratos/identity.default.schema.json" },
            { id: "numbers", url: `file://${file}` },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Sends the body text as written, so `1.0` and `1e2` reach the server unchanged. */
  const send = async (method: string, route: string, text: string) => {
    const res = await fetch(`${kratos.adminUrl}${route}`, { method, headers: { "Content-Type": "application/json" }, body: text });
    return { status: res.status, body: (await res.json()) as { id?: string; traits?: unknown; error?: { reason?: string } } };
  };
  const body = (email: string, numbers: string) => `{"schema_id":"numbers","traits":{"email":${JSON.stringify(email)},${numbers}}}`;

  it("refuses 1.0 as an integer and shows 1e2 as written, on create and update (identity/handler.go create, update)", async () => {
    const email = uniqueEmail("numbers");
    const integer = await send("POST", "/admin/identities", body(email, `"age":1.0`));
    expect(integer.status).toBe(400);
    expect(integer.body.error?.reason).toBe("I[#/traits/age] S[#/properties/traits/properties/age/type] expected integer, but got number");
    const limit = await send("POST", "/admin/identities", body(email, `"score":1e2`));
    expect(limit.status).toBe(400);
    expect(limit.body.error?.reason).toBe("I[#/traits/score] S[#/properties/traits/properties/score/maximum] must be <= 5 but found 1e2");

    // Valid numbers pass and are kept as numbers.
    const created = await send("POST", "/admin/identities", body(email, `"age":3,"score":2.5`));
    expect(created.status).toBe(201);
    expect(created.body.traits).toEqual({ email, age: 3, score: 2.5 });
    const id = created.body.id ?? "";
    const updated = await send("PUT", `/admin/identities/${id}`, body(email, `"age":4.0`));
    expect(updated.status).toBe(400);
    expect(updated.body.error?.reason).toBe("I[#/traits/age] S[#/properties/traits/properties/age/type] expected integer, but got number");
    expect((await kratos.identity.getIdentity({ id })).data.traits).toEqual({ email, age: 3, score: 2.5 });
    const stored = await send("PUT", `/admin/identities/${id}`, body(email, `"age":5,"score":4.50`));
    expect(stored.status).toBe(200);
    expect((await kratos.identity.getIdentity({ id })).data.traits).toEqual({ email, age: 5, score: 4.5 });
  });
});
