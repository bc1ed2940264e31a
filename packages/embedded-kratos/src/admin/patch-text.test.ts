import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueEmail, type TestKratos } from "../testing/harness";
import { PASSWORD_EMAIL_TRAIT, traitsSchema } from "../testing/identity-schema-documents";
import { PLATFORM_DEFAULT_SCHEMA, startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";

/**
 * PATCH /admin/identities/{id} answers the text evanphx/json-patch v5.9.11
 * makes of the identity (identity/handler.go patch → oryx/jsonx/patch.go
 * ApplyJSONPatch → v5/patch.go ApplyWithOptions): the identity is
 * marshalled (traits as jsonb gave them back), only the objects a path goes
 * through are opened (partialDoc keeps their key order), and values keep
 * the text they were read from; json.Unmarshal hands traits and metadata on
 * as json.RawMessage, which the answer shows.
 */
const schema = traitsSchema({ email: PASSWORD_EMAIL_TRAIT }, { $id: "https://example.com/patch-text.schema.json", required: ["email"] });

describe("JSON Patch on the identity's text", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles("ciam_patch_text", [PLATFORM_DEFAULT_SCHEMA, { id: "text", document: schema }]);
    kratos = started.kratos;
  });
  afterAll(() => started?.stop());

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
