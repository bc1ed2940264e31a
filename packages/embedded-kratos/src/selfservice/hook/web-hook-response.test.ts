import { describe, expect, it } from "vitest";
import { KratosError } from "../../http/errors";
import type { Identity } from "../../identity/identity";
import { stringifyJson } from "../../http/json-text";
import { FlowValidationError } from "../flow/validation-error";
import { parseWebHookResponse, WebHookValidationError } from "./web-hook-response";

function identity(): Identity {
  const now = new Date("2026-01-02T03:04:05Z");
  return {
    id: "7c3c3a53-3e0a-4d5c-9d55-0c2b7f3f0b51",
    schemaId: "default",
    state: "active",
    stateChangedAt: null,
    traits: { email: "a@example.com" },
    metadataPublic: { keep: true },
    metadataAdmin: null,
    externalId: "ext-1",
    organizationId: null,
    availableAal: null,
    createdAt: now,
    updatedAt: now,
    verifiableAddresses: [],
    recoveryAddresses: [],
    credentials: {},
  };
}

const bytes = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));

function thrown(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** selfservice/hook/web_hook.go parseWebhookResponse. */
describe("parseWebhookResponse", () => {
  it("a 200 replaces only what the answer carries; an external_id of null clears it", () => {
    const id = identity();
    parseWebHookResponse(
      200,
      bytes({ identity: { traits: { email: "b@example.com" }, metadata_admin: { tier: 2 }, external_id: null } }),
      id,
    );
    expect(id.traits).toEqual({ email: "b@example.com" });
    expect(id.metadataAdmin).toEqual({ tier: 2 });
    expect(id.metadataPublic).toEqual({ keep: true });
    expect(id.externalId).toBeNull();
    expect(id.schemaId).toBe("default");
  });

  it("a 200 without an identity, a 204 and a 201 change nothing", () => {
    const id = identity();
    parseWebHookResponse(200, bytes({ other: 1 }), id);
    parseWebHookResponse(204, bytes(""), id);
    parseWebHookResponse(201, bytes({ identity: { metadata_public: 1 } }), id);
    expect(id).toEqual(identity());
  });

  it("a 200 must be one JSON value (json.Unmarshal), with Go's error text", () => {
    const error = thrown(() => parseWebHookResponse(200, bytes('{"identity":{}} x'), identity()));
    expect(error).toBeInstanceOf(KratosError);
    expect((error as KratosError).code).toBe(500);
    expect((error as KratosError).message).toBe(
      "webhook response could not be unmarshalled properly from JSON: invalid character 'x' after top-level value",
    );
  });

  it("a status ≥ 400 reads the first JSON value (json.Decoder) and maps pointers to node names", () => {
    const body = '{"messages":[{"instance_ptr":"#/traits/name/first","messages":[{"id":1,"text":"t","type":"error"}]}]} trailing';
    const error = thrown(() => parseWebHookResponse(422, bytes(body), identity()));
    expect(error).toBeInstanceOf(FlowValidationError);
    expect((error as FlowValidationError).fieldErrors).toEqual([
      { name: "traits.name.first", message: { id: 1, text: "t", type: "error" } },
    ]);
  });

  it("a status ≥ 400 with an empty body is EOF", () => {
    const error = thrown(() => parseWebHookResponse(400, bytes(""), identity()));
    expect((error as KratosError).message).toBe("webhook response could not be unmarshalled properly from JSON: EOF");
  });

  it("an answer nested past the reader's depth cap is unreadable, a 500 of its own kind rather than an unexpected error", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    for (const [status, body] of [
      [403, `{"messages":${deep}}`],
      [200, `{"identity":{"traits":${deep}}}`],
    ] as const) {
      const error = thrown(() => parseWebHookResponse(status, bytes(body), identity()));
      expect(error).toBeInstanceOf(KratosError);
      expect((error as KratosError).message).toMatch(/^webhook response could not be unmarshalled properly from JSON: /);
    }
  });

  it("a 200's non-empty verifiable_addresses / recovery_addresses are handed on for the schema extensions' merge; an empty list changes nothing", () => {
    const id = identity();
    const answer = parseWebHookResponse(
      200,
      bytes({
        identity: {
          verifiable_addresses: [
            { value: "a@example.com", via: "email", verified: true, status: "completed" },
            // extension_verification.go has() compares the value exactly: a differently written address cannot stand for the trait's.
            { value: " A@example.com", via: "email", verified: true },
          ],
          recovery_addresses: [],
        },
      }),
      id,
    );
    expect(answer?.verifiableAddresses).toEqual([
      expect.objectContaining({ value: "a@example.com", via: "email", verified: true, status: "completed" }),
    ]);
    expect(answer?.recoveryAddresses).toBeUndefined();
    expect(id).toEqual(identity());
  });

  it("a 200's address that Go cannot read into identity.VerifiableAddress is unreadable, with Go's text", () => {
    const error = thrown(() => parseWebHookResponse(200, bytes({ identity: { verifiable_addresses: [{ verified: "yes" }] } }), identity()));
    expect((error as KratosError).message).toMatch(
      /^webhook response could not be unmarshalled properly from JSON: json: cannot unmarshal string into Go struct field .*verified of type bool$/,
    );
  });

  it("a 200's traits that are not an object (null included: len(RawMessage) > 0) are handed on for the validation to refuse", () => {
    for (const traits of ["x", [1], null, 5]) {
      const id = identity();
      const answer = parseWebHookResponse(200, bytes({ identity: { traits } }), id);
      expect(answer?.invalidTraits).toEqual({ value: traits });
      expect(id.traits).toEqual({ email: "a@example.com" });
    }
  });

  it("a status ≥ 400's messages are a schema.ValidationListError: one entry per errorMessage, its Error() text in Go's words", () => {
    const body = {
      messages: [
        { instance_ptr: "#/traits/email", messages: [{ id: 1, text: "a", type: "error" }] },
        { instance_ptr: "", messages: [] },
      ],
    };
    const error = thrown(() => parseWebHookResponse(409, bytes(body), identity()));
    expect(error).toBeInstanceOf(WebHookValidationError);
    expect((error as WebHookValidationError).goText).toBe(
      "2 validation errors occurred:\n(0) I[#/traits/email] S[] a webhook target returned an error\n(1) I[] S[] a webhook target returned an error",
    );
  });

  it("a status ≥ 400's message context is any JSON value the answer carries (null too; an absent one stays out), answered as jsonb's text", () => {
    const details = [
      '{"id":1,"text":"a","type":"error","context":null}',
      '{"id":2,"text":"b","type":"error","context":[1, "x"]}',
      '{"id":3,"text":"c","type":"info","context":"s"}',
      '{"id":4,"text":"d","type":"error","context":1.50e1}',
      '{"id":5,"text":"e","type":"error"}',
      '{"id":6,"text":"f","type":"error","context":{"why":"<spam>","a":{"10":1,"2":2.50},"why":"x"}}',
    ];
    const body = `{"messages":[{"instance_ptr":"#/","messages":[${details.join(",")}]}]}`;
    const error = thrown(() => parseWebHookResponse(422, bytes(body), identity()));
    expect(error).toBeInstanceOf(WebHookValidationError);
    const texts = (error as WebHookValidationError).fieldErrors.map((fe) => fe.message);
    // text.Message's Context is a json.RawMessage with omitempty: `null` is kept, a missing one is left out.
    // Kratos answers the flow it reads back from jsonb: keys by length then bytes, the last repeated key, numeric's text.
    expect(stringifyJson(texts)).toBe(
      '[{"id":1,"text":"a","type":"error","context":null},{"id":2,"text":"b","type":"error","context":[1,"x"]},' +
        '{"id":3,"text":"c","type":"info","context":"s"},{"id":4,"text":"d","type":"error","context":15.0},' +
        '{"id":5,"text":"e","type":"error"},{"id":6,"text":"f","type":"error","context":{"a":{"2":2.50,"10":1},"why":"x"}}]',
    );
    // What the flow store writes: the values, numbers as the answer wrote them (jsonb settles them as Kratos' store does).
    expect(JSON.stringify(texts.map((text) => text.context))).toBe('[null,[1,"x"],"s",1.50e1,null,{"why":"x","a":{"2":2.50,"10":1}}]');
  });

  it("a 200's state is taken over whatever it is (unchecked on this path); an empty or null state changes nothing", () => {
    const id = identity();
    parseWebHookResponse(200, bytes({ identity: { state: "blocked" } }), id);
    expect(id.state).toBe("blocked");
    parseWebHookResponse(200, bytes({ identity: { state: "" } }), id);
    parseWebHookResponse(200, bytes({ identity: { state: null } }), id);
    expect(id.state).toBe("blocked");
  });
});
