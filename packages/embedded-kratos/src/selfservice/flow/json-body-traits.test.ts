import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_STRATEGIES, STRONG_PASSWORD, uniqueEmail, type TestKratos } from "../../testing/harness";
import { PASSWORD_EMAIL_TRAIT, traitsSchema } from "../../testing/identity-schema-documents";
import { startKratosWithSchemaFiles, type KratosWithSchemaFiles } from "../../testing/identity-schema-files";

/**
 * Self-service JSON bodies as oryx/decoderx decodes them (decoderx/http.go
 * decodeJSONForm, used by every strategy through
 * HTTPDecoderJSONFollowsFormFormat): a nested `traits` object is set into
 * the decoded document as its raw text (sjson.SetRawBytes) and lands in the
 * strategy's json.RawMessage (selfservice/strategy/password/registration.go
 * UpdateRegistrationFlowWithPasswordMethod.Traits, profile/strategy.go
 * updateSettingsFlowWithProfileMethod.Traits) — validated on that text,
 * stored as it, and answered as identity.Traits.MarshalJSON writes it.
 */
const schema = traitsSchema(
  { email: PASSWORD_EMAIL_TRAIT, age: { type: "integer" }, score: { type: "number", maximum: 5 } },
  { $id: "https://example.com/numbers.schema.json", required: ["email"] },
);

/** The text of `"key":<value>` inside an answer, value as written (objects only, no nesting needed here). */
function fieldText(text: string, ...keys: string[]): string | undefined {
  let rest = text;
  for (const key of keys) {
    const at = rest.indexOf(`"${key}":`);
    if (at < 0) return undefined;
    rest = rest.slice(at + key.length + 3);
  }
  return rest.slice(0, rest.indexOf("}") + 1);
}

describe("self-service JSON bodies: traits kept as their text (oryx/decoderx decodeJSONForm)", () => {
  let started: KratosWithSchemaFiles | undefined;
  let kratos: TestKratos;

  beforeAll(async () => {
    started = await startKratosWithSchemaFiles("ciam_json_body_traits", [{ id: "numbers", document: schema }], {
      strategies: CORE_STRATEGIES,
    });
    kratos = started.kratos;
  });
  afterAll(() => started?.stop());

  const post = async (url: string, text: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: text,
    });
    return { status: res.status, text: await res.text() };
  };
  const registrationFlow = async () => {
    const res = await fetch(`${kratos.publicUrl}/self-service/registration/api`);
    return ((await res.json()) as { id: string }).id;
  };
  const register = async (text: string) => post(`${kratos.publicUrl}/self-service/registration?flow=${await registrationFlow()}`, text);
  const registrationBody = (email: string, extra: string, password = JSON.stringify(STRONG_PASSWORD)) =>
    `{"method":"password","password":${password},"traits":{"email":${JSON.stringify(email)},${extra}}}`;

  it("answers a registration with the traits' text as sent, compacted, and stores jsonb's text (password/registration.go Register, registration/hook.go PostRegistrationHook answers the identity it created)", async () => {
    const email = uniqueEmail("json-traits");
    const res = await register(registrationBody(email, `"b" : 1.0, "a":2.50,"b":1e2`));
    expect(res.status).toBe(200);
    const sent = `{"email":${JSON.stringify(email)},"b":1.0,"a":2.50,"b":1e2}`;
    // identity.Traits is the json.RawMessage decoderx filled: repeated keys, key order and number text stay.
    expect(res.text).toContain(`"identity":{"id"`);
    expect(fieldText(res.text, "identity", "traits")).toBe(sent);
    expect(fieldText(res.text, "session", "identity", "traits")).toBe(sent);

    // Postgres' jsonb keeps the last of the repeated keys, sorts them, and keeps 2.50; whoami answers that text.
    const token = (JSON.parse(res.text) as { session_token: string }).session_token;
    const whoami = await fetch(`${kratos.publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": token } });
    expect(fieldText(await whoami.text(), "traits")).toBe(`{"a":2.50,"b":100,"email":${JSON.stringify(email)}}`);
  });

  it("validates the traits on their text: 1.0 is no integer (identity/validator.go on the json.RawMessage; the node message's numbers are float64: text.NewErrorValidationMaximum)", async () => {
    const integer = await register(registrationBody(uniqueEmail("json-int"), `"age":1.0`));
    expect(integer.status).toBe(400);
    expect(integer.text).toContain('"text":"expected integer, but got number"');
    const limit = await register(registrationBody(uniqueEmail("json-limit"), `"score":1e2`));
    expect(limit.status).toBe(400);
    // herodot's writer escapes `<` as Go's encoder does (encode.go appendString).
    expect(limit.text).toContain(String.raw`"text":"must be \u003c= 5 but found 100"`);
    const valid = await register(registrationBody(uniqueEmail("json-valid"), `"age":3,"score":4.50`));
    expect(valid.status).toBe(200);
  });

  it("answers the settings flow after a profile update with jsonb's text of the new traits (profile/strategy.go Settings, settings/hook.go answers the flow it read back)", async () => {
    const email = uniqueEmail("json-settings");
    const registered = await register(registrationBody(email, `"score":1`));
    const token = (JSON.parse(registered.text) as { session_token: string }).session_token;
    const flowRes = await fetch(`${kratos.publicUrl}/self-service/settings/api`, { headers: { "X-Session-Token": token } });
    const flow = ((await flowRes.json()) as { id: string }).id;
    const res = await post(
      `${kratos.publicUrl}/self-service/settings?flow=${flow}`,
      `{"method":"profile","traits":{"email":${JSON.stringify(email)},"b":1.0,"a":2.50}}`,
      { "X-Session-Token": token },
    );
    expect(res.status).toBe(200);
    expect(fieldText(res.text, "identity", "traits")).toBe(`{"a":2.50,"b":1.0,"email":${JSON.stringify(email)}}`);
    const again = await fetch(`${kratos.publicUrl}/self-service/settings/flows?id=${flow}`, { headers: { "X-Session-Token": token } });
    expect(fieldText(await again.text(), "identity", "traits")).toBe(`{"a":2.50,"b":1.0,"email":${JSON.stringify(email)}}`);
  });

  it("answers a login with jsonb's text of the identity's traits (login/hook.go PostLoginHook answers the session of the identity it read)", async () => {
    const email = uniqueEmail("json-login");
    expect((await register(registrationBody(email, `"score":4.50`))).status).toBe(200);
    const flowRes = await fetch(`${kratos.publicUrl}/self-service/login/api`);
    const flow = ((await flowRes.json()) as { id: string }).id;
    const res = await post(
      `${kratos.publicUrl}/self-service/login?flow=${flow}`,
      JSON.stringify({ method: "password", identifier: email, password: STRONG_PASSWORD }),
    );
    expect(res.status).toBe(200);
    expect(fieldText(res.text, "session", "identity", "traits")).toBe(`{"email":${JSON.stringify(email)},"score":4.50}`);
  });

  it("reads flattened JSON keys as form fields typed by the schema (decoderx decodeURLValues: strconv.ParseFloat for a number trait)", async () => {
    const email = uniqueEmail("json-flat");
    const res = await register(
      JSON.stringify({ method: "password", password: STRONG_PASSWORD, "traits.email": email, "traits.score": "4.50" }),
    );
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as { identity: { traits: unknown } }).identity.traits).toEqual({ email, score: 4.5 });
    expect(res.text).toContain('"score":4.5}');
  });

  it("reads top-level values as decoderx's form format does: a number or boolean password is its text (gjson Result.String)", async () => {
    const res = await register(registrationBody(uniqueEmail("json-bool"), `"score":1`, "true"));
    expect(res.status).toBe(400);
    expect(res.text).toContain("The password must be at least 8 characters long, but got 4.");
  });

  it("answers undecodable JSON bodies as decoderx does (decodeJSONForm: json.Decoder errors, and a body that is no object), as a flow message (registration/error.go WriteFlowError: ui/container ParseError makes a 400's reason one)", async () => {
    const message = (text: string) => (JSON.parse(text) as { ui: { messages: { id: number; text: string }[] } }).ui.messages;
    const truncated = await register(`{"method":"password"`);
    expect(truncated.status).toBe(400);
    expect(message(truncated.text)).toEqual([expect.objectContaining({ id: 4000001, text: "Unable to decode form as JSON." })]);
    const stray = await register(`{"method":x}`);
    expect(message(stray.text)).toEqual([expect.objectContaining({ id: 4000001, text: "Unable to decode form as JSON." })]);
    const array = await register(`[1]`);
    expect(array.status).toBe(400);
    expect(message(array.text)).toEqual([
      expect.objectContaining({ id: 4000001, text: "Expected JSON sent in request body to be an object but got: JSON" }),
    ]);
    const text = await register(`"x"`);
    expect(message(text.text)).toEqual([
      expect.objectContaining({ id: 4000001, text: "Expected JSON sent in request body to be an object but got: String" }),
    ]);
  });

  it("sets a traits that is no object raw, as decodeURLValues does (sjson.SetRawBytes of gjson's String), for the method schema's `type` to refuse (validatePayload; ui/container translateValidationError)", async () => {
    type Node = { attributes: { name: string }; messages: { id: number; text: string; context?: unknown }[] };
    const traitsMessages = (text: string) =>
      (JSON.parse(text) as { ui: { nodes: Node[] } }).ui.nodes
        .filter((n) => n.messages.length > 0)
        .map((n) => [n.attributes.name, n.messages]);
    const withTraits = async (traits: string, form = false) => {
      if (!form) return register(`{"method":"password","password":${JSON.stringify(STRONG_PASSWORD)},"traits":${traits}}`);
      const res = await fetch(`${kratos.publicUrl}/self-service/registration?flow=${await registrationFlow()}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams({ method: "password", password: STRONG_PASSWORD, traits }).toString(),
      });
      return { status: res.status, text: await res.text() };
    };
    const wrongType = (actual: string) => [
      [
        "traits",
        [
          {
            id: 4000026,
            text: `expected object, but got ${actual}`,
            type: "error",
            context: { allowed_types: ["object"], actual_type: actual },
          },
        ],
      ],
    ];
    for (const [traits, actual] of [
      ["5", "number"],
      ["[1, 2]", "array"],
      ["true", "boolean"],
      [`"5"`, "number"],
      [`"null"`, "null"],
      [`"\\"x\\""`, "string"],
    ] as const) {
      const res = await withTraits(traits);
      expect({ traits, status: res.status }).toEqual({ traits, status: 400 });
      expect(traitsMessages(res.text)).toEqual(wrongType(actual));
    }
    // A form field is the same text (decodeForm feeds decodeURLValues too).
    expect(traitsMessages((await withTraits("5", true)).text)).toEqual(wrongType("number"));
    // `null` and "" leave the field out: it defaults to {} (decodeURLValues' TypeHint JSON), so the schema's `required` answers.
    for (const traits of ["null", `""`]) {
      expect(traitsMessages((await withTraits(traits)).text)).toEqual([
        ["traits.email", [expect.objectContaining({ id: 4000002, text: "Property email is missing." })]],
      ]);
    }
    // A string holding a JSON object is that object, and its text is what the identity keeps.
    const email = uniqueEmail("json-string-traits");
    const registered = await withTraits(JSON.stringify(`{"email": ${JSON.stringify(email)}, "score": 1.50}`));
    expect(registered.status).toBe(200);
    expect(fieldText(registered.text, "identity", "traits")).toBe(`{"email":${JSON.stringify(email)},"score":1.50}`);
    // Text that is no JSON fails Go's json.Unmarshal of the document (a 500 in Kratos): a 400 here, on the flow.
    const notJson = await withTraits(`"x"`);
    expect(notJson.status).toBe(400);
    expect((JSON.parse(notJson.text) as { ui: { messages: { id: number }[] } }).ui.messages).toEqual([
      expect.objectContaining({ id: 4000001, text: 'Unable to decode the "traits" field: its text is not one JSON value.' }),
    ]);
  });
});
