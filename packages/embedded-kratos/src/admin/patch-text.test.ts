import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratos, startTestPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * PATCH /admin/identities/{id} answers the text evanphx/json-patch v5.9.11
 * makes of the identity (identity/handler.go patch → oryx/jsonx/patch.go
 * ApplyJSONPatch → v5/patch.go ApplyWithOptions): the identity is
 * marshalled (traits as jsonb gave them back), only the objects a path goes
 * through are opened (partialDoc keeps their key order), and values keep
 * the text they were read from; json.Unmarshal hands traits and metadata on
 * as json.RawMessage, which the answer shows.
 */
const schema = {
  $id: "https://example.com/patch-text.schema.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    traits: {
      type: "object",
      properties: { email: { type: "string", format: "email", "ory.sh/kratos": { credentials: { password: { identifier: true } } } } },
      required: ["email"],
    },
  },
};

describe("JSON Patch on the identity's text", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kratos-patch-text-"));
    const file = path.join(dir, "patch-text.schema.json");
    await writeFile(file, JSON.stringify(schema));
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_patch_text", {
      configOverrides: {
        identity: {
          default_schema_id: "default",
          schemas: [
            { id: "default", url: "file:///etc/config/kratos/identity.default.schema.json" },
            { id: "text", url: `file://${file}` },
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

  const send = async (method: string, route: string, text?: string) => {
    const res = await fetch(`${kratos.adminUrl}${route}`, { method, headers: { "Content-Type": "application/json" }, body: text });
    return { status: res.status, text: await res.text() };
  };
  /** The answer's text of one field (the answers are compact: the field's value runs to the next top-level key). */
  const fieldText = (answer: string, key: string, next: string) => {
    const start = answer.indexOf(`"${key}":`) + key.length + 3;
    return answer.slice(start, answer.indexOf(`,"${next}":`, start));
  };
  const create = async (traits: string) => {
    const created = await send("POST", "/admin/identities", `{"schema_id":"text","traits":${traits}}`);
    expect(created.status).toBe(201);
    return (JSON.parse(created.text) as { id: string }).id;
  };

  it("keeps the traits' key order as jsonb gave it, index-like keys included, and adds new keys last (partialDoc.set)", async () => {
    const email = uniqueEmail("patch-order");
    const id = await create(`{"email":${JSON.stringify(email)},"10":2,"a":1}`);
    const patched = await send("PATCH", `/admin/identities/${id}`, `[{"op":"add","path":"/traits/c","value":3}]`);
    expect(patched.status).toBe(200);
    // jsonb orders keys by length, then bytes: "a", "10", "email".
    expect(fieldText(patched.text, "traits", "metadata_public")).toBe(`{"a":1,"10":2,"email":${JSON.stringify(email)},"c":3}`);
  });

  it("adds values as the body wrote them, HTML-escaped, repeated keys and all (Operation.value, lazyNode compact)", async () => {
    const email = uniqueEmail("patch-raw");
    const id = await create(`{"email":${JSON.stringify(email)}}`);
    const patched = await send(
      "PATCH",
      `/admin/identities/${id}`,
      `[{"op":"add","path":"/traits/s","value":"\\u0041<b>"},{"op":"add","path":"/metadata_public","value":{"z":1,"y":2,"z":3}}]`,
    );
    expect(patched.status).toBe(200);
    expect(fieldText(patched.text, "traits", "metadata_public")).toBe(`{"email":${JSON.stringify(email)},"s":"\\u0041\\u003cb\\u003e"}`);
    expect(fieldText(patched.text, "metadata_public", "metadata_admin")).toBe(`{"z":1,"y":2,"z":3}`);
    const read = await send("GET", `/admin/identities/${id}`);
    expect(fieldText(read.text, "metadata_public", "metadata_admin")).toBe(`{"y":2,"z":3}`);
  });

  it("writes an opened object's repeated key at each of its places with the last value (UnmarshalValidWithKeys, TrustMarshalJSON)", async () => {
    const email = uniqueEmail("patch-repeated");
    const id = await create(`{"email":${JSON.stringify(email)}}`);
    const patched = await send(
      "PATCH",
      `/admin/identities/${id}`,
      `[{"op":"add","path":"/metadata_public","value":{"z":1,"y":2,"z":3}},{"op":"add","path":"/metadata_public/x","value":4}]`,
    );
    expect(patched.status).toBe(200);
    expect(fieldText(patched.text, "metadata_public", "metadata_admin")).toBe(`{"z":3,"y":2,"z":3,"x":4}`);
  });

  it("makes an object of a null metadata field a path goes through (ensurePathExists: a JSON null is a nil node)", async () => {
    const email = uniqueEmail("patch-null");
    const id = await create(`{"email":${JSON.stringify(email)}}`);
    const patched = await send("PATCH", `/admin/identities/${id}`, `[{"op":"add","path":"/metadata_admin/k","value":1.50}]`);
    expect(patched.status).toBe(200);
    expect(fieldText(patched.text, "metadata_admin", "credentials")).toBe(`{"k":1.50}`);
  });
});
