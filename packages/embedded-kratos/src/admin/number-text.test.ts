import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRONG_PASSWORD, uniqueEmail, type TestKratos } from "../testing/harness";
import { PASSWORD_EMAIL_TRAIT, traitsSchema } from "../testing/identity-schema-documents";
import { PLATFORM_DEFAULT_SCHEMA, startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../testing/identity-schema-files";
import { apiPasswordLogin } from "../testing/second-factor";

/**
 * Admin traits are validated on the numbers' text: identity/handler.go
 * (CreateIdentityBody and UpdateIdentityBody hold traits as
 * json.RawMessage) hands the bytes as written to identity/validator.go
 * ValidateWithRunner (sjson.SetRawBytes), which ory/jsonschema decodes with
 * UseNumber — schema.go `validate` checks `integer` with big.Int SetString
 * of the json.Number (`1.0` is no integer) and prints limits' `found %v`
 * with the number's text (`1e2`).
 */
const schema = traitsSchema(
  { email: PASSWORD_EMAIL_TRAIT, age: { type: "integer" }, score: { type: "number", maximum: 5 } },
  { $id: "https://example.com/numbers.schema.json", required: ["email"] },
);

describe("admin traits' numbers as written (json.RawMessage)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles("ciam_number_text", [PLATFORM_DEFAULT_SCHEMA, { id: "numbers", document: schema }]);
    kratos = started.kratos;
  });
  afterAll(() => started?.stop());

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

  /** The answer's text of one field (the answers are compact: the field's value runs to the next top-level key). */
  const fieldText = (answer: string, key: string, next: string) => {
    const start = answer.indexOf(`"${key}":`) + key.length + 3;
    return answer.slice(start, answer.indexOf(`,"${next}":`, start));
  };
  const sendText = async (method: string, route: string, text?: string) => {
    const res = await fetch(`${kratos.adminUrl}${route}`, { method, headers: { "Content-Type": "application/json" }, body: text });
    return { status: res.status, text: await res.text() };
  };

  it("answers create and update with the raw messages' text and later reads with jsonb's (identity/handler.go create, update; persistence/sql/identity/persister_identity.go GetIdentity)", async () => {
    const email = uniqueEmail("raw-text");
    const traits = `{"score":2.50,"email":${JSON.stringify(email)},"zz":1e2,"a":[1.0,-0,1E+2],"zz":12345678901234567890}`;
    const created = await sendText(
      "POST",
      "/admin/identities",
      `{"schema_id":"numbers","traits": ${traits.replace(/,/g, ", ")},"metadata_public":{"n": 1.50, "n": 2},"metadata_admin":[ 1e-1 ]}`,
    );
    expect(created.status).toBe(201);
    // encoding/json writes a json.RawMessage compacted, otherwise as sent: repeated keys, their order, number text.
    expect(fieldText(created.text, "traits", "metadata_public")).toBe(traits);
    expect(fieldText(created.text, "metadata_public", "metadata_admin")).toBe(`{"n":1.50,"n":2}`);
    expect(fieldText(created.text, "metadata_admin", "credentials")).toBe(`[1e-1]`);
    const id = (JSON.parse(created.text) as { id: string }).id;

    // Reads show what jsonb keeps: keys by length then bytes, the last repeated key, numerics' text.
    const read = await sendText("GET", `/admin/identities/${id}`);
    const stored = `{"a":[1.0,0,100],"zz":12345678901234567890,"email":${JSON.stringify(email)},"score":2.50}`;
    expect(fieldText(read.text, "traits", "metadata_public")).toBe(stored);
    expect(fieldText(read.text, "metadata_public", "metadata_admin")).toBe(`{"n":2}`);
    expect(fieldText(read.text, "metadata_admin", "credentials")).toBe(`[0.1]`);
    const listed = await sendText("GET", `/admin/identities?ids=${id}`);
    expect(fieldText(listed.text, "traits", "metadata_public")).toBe(stored);

    const updated = await sendText(
      "PUT",
      `/admin/identities/${id}`,
      `{"traits":{"email":${JSON.stringify(email)},"score":3.0e0,"score":4.000}}`,
    );
    expect(updated.status).toBe(200);
    expect(fieldText(updated.text, "traits", "metadata_public")).toBe(`{"email":${JSON.stringify(email)},"score":3.0e0,"score":4.000}`);
    const reread = await sendText("GET", `/admin/identities/${id}`);
    expect(fieldText(reread.text, "traits", "metadata_public")).toBe(`{"email":${JSON.stringify(email)},"score":4.000}`);
  });

  it("answers whoami with jsonb's text of traits and public metadata (session/handler.go whoami: the identity's json.RawMessage as persistence/sql/identity/persister_identity.go scanned it)", async () => {
    const email = uniqueEmail("whoami-text");
    const created = await sendText(
      "POST",
      "/admin/identities",
      `{"schema_id":"numbers","traits":{"email":${JSON.stringify(email)},"score":2.50,"zz":1e2},"metadata_public":{"n":1.50},` +
        `"credentials":{"password":{"config":{"password":${JSON.stringify(STRONG_PASSWORD)}}}}}`,
    );
    expect(created.status).toBe(201);
    const token = await apiPasswordLogin(kratos, email);
    const res = await fetch(`${kratos.publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": token } });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain(`"traits":{"zz":100,"email":${JSON.stringify(email)},"score":2.50}`);
    expect(text).toContain(`"metadata_public":{"n":1.50}`);
    expect(text).not.toContain("metadata_admin");
  });

  it("keeps a JSON Patch value's number text through the patch (oryx/jsonx/patch.go ApplyJSONPatch: evanphx/json-patch keeps json.RawMessage values; identity/handler.go patch)", async () => {
    const email = uniqueEmail("patch-text");
    const created = await sendText("POST", "/admin/identities", body(email, `"score":2.50`));
    const id = (JSON.parse(created.text) as { id: string }).id;
    const patch = (ops: unknown[] | string) =>
      sendText("PATCH", `/admin/identities/${id}`, typeof ops === "string" ? ops : JSON.stringify(ops));

    // The value reaches the validator as written: 1.0 is no integer.
    const refused = await patch(`[{"op":"add","path":"/traits/age","value":1.0}]`);
    expect(refused.status).toBe(400);
    expect((JSON.parse(refused.text) as { error: { reason: string } }).error.reason).toBe(
      "I[#/traits/age] S[#/properties/traits/properties/age/type] expected integer, but got number",
    );

    // The stored text (2.50) and the patched values' text (1e2, 3.10) are answered; a read shows jsonb's.
    const patched = await patch(
      `[{"op":"add","path":"/traits/extra","value":1e2},{"op":"add","path":"/metadata_public","value":{"n":3.10}}]`,
    );
    expect(patched.status).toBe(200);
    expect(fieldText(patched.text, "traits", "metadata_public")).toBe(`{"email":${JSON.stringify(email)},"score":2.50,"extra":1e2}`);
    expect(fieldText(patched.text, "metadata_public", "metadata_admin")).toBe(`{"n":3.10}`);
    const read = await sendText("GET", `/admin/identities/${id}`);
    expect(fieldText(read.text, "traits", "metadata_public")).toBe(`{"email":${JSON.stringify(email)},"extra":100,"score":2.50}`);

    // jsonpatch.DecodePatch refuses what json.Valid refuses, and Go names a number where an operation belongs.
    expect((JSON.parse((await patch(`[{"op":"add"`)).text) as { error: { message: string } }).error.message).toBe("invalid state detected");
    expect((JSON.parse((await patch(`[1.0]`)).text) as { error: { message: string } }).error.message).toBe(
      "json: cannot unmarshal number into Go value of type jsonpatch.Operation",
    );
  });
});
