import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./field-errors";
import { validationErrorText } from "./validation-error";
import { compileJsonSchema } from "./validator";

/**
 * Expectations derived from ory/jsonschema (github.com/ory/jsonschema/v3):
 * schema.go `(*Schema).validate` (checks, order, messages, nesting),
 * errors.go `(*ValidationError).Error`/`add`/`addContext`/`finishSchemaContext`,
 * validation_context.go `validationRequiredError`, compiler.go (enum
 * messages); and Kratos' ui/container/container.go `ParseError` and
 * `translateValidationError` for the node messages.
 */
const traitsSchema = (traits: unknown, extra: Record<string, unknown> = {}) =>
  compileJsonSchema({ $id: "x", type: "object", properties: { traits }, ...extra });

function reason(traitsDef: unknown, traits: unknown, extra?: Record<string, unknown>): string {
  const error = traitsSchema(traitsDef, extra).validate({ traits });
  if (!error) throw new Error("expected a validation error");
  return validationErrorText(error);
}

function nodes(traitsDef: unknown, traits: unknown, extra?: Record<string, unknown>) {
  const error = traitsSchema(traitsDef, extra).validate({ traits });
  if (!error) throw new Error("expected a validation error");
  return fieldErrorsOf(error).map((e) => ({ name: e.name, id: e.message.id, text: e.message.text }));
}

const person = {
  type: "object",
  required: ["email"],
  properties: {
    email: { type: "string", format: "email", minLength: 30 },
    age: { type: "integer", minimum: 3 },
    tier: { type: "string", enum: ["gold", "silver"] },
    code: { type: "string", pattern: "^[A-Z]+$", maxLength: 4 },
    name: { type: "object", properties: { first: { type: "string", minLength: 2 } } },
  },
};

describe("ory/jsonschema schema.go validate: messages and pointers", () => {
  it("passes valid traits", () => {
    expect(traitsSchema(person).validate({ traits: { email: "someone-with-a-long-enough-address@example.com" } })).toBeUndefined();
  });

  it("required: one error per object, quoted names, the property pointers in its context", () => {
    expect(reason({ ...person, required: ["email", "tier"] }, {})).toBe(
      'I[#/traits] S[#/properties/traits/required] missing properties: "email", "tier"',
    );
    expect(nodes({ ...person, required: ["email", "tier"] }, {})).toEqual([
      { name: "traits.email", id: 4000002, text: "Property email is missing." },
      { name: "traits.tier", id: 4000002, text: "Property tier is missing." },
    ]);
  });

  it("format: %q of value and format; email formats map to 4000040", () => {
    expect(reason(person, { email: "not-an-address-but-long-enough-for-it" })).toBe(
      'I[#/traits/email] S[#/properties/traits/properties/email/format] "not-an-address-but-long-enough-for-it" is not valid "email"',
    );
    expect(nodes(person, { email: "not-an-address-but-long-enough-for-it" })).toEqual([
      { name: "traits.email", id: 4000040, text: "Enter a valid email address" },
    ]);
  });

  it("format: an empty value does not match Kratos' formatErrorMatcher, so it is the generic 4000001", () => {
    expect(nodes({ type: "object", properties: { email: { type: "string", format: "email" } } }, { email: "" })).toEqual([
      { name: "traits.email", id: 4000001, text: '"" is not valid "email"' },
    ]);
  });

  it("minLength, maxLength, pattern", () => {
    expect(reason(person, { email: "a@example.com" })).toBe(
      "I[#/traits/email] S[#/properties/traits/properties/email/minLength] length must be >= 30, but got 13",
    );
    expect(nodes(person, { email: "a@example.com" })).toEqual([
      { name: "traits.email", id: 4000003, text: "length must be >= 30, but got 13" },
    ]);
    const both = reason(person, { email: "someone-with-a-long-enough-address@example.com", code: "abcde" });
    expect(both).toBe(
      [
        "I[#/traits/code] S[#/properties/traits/properties/code] validation failed",
        "  I[#/traits/code] S[#/properties/traits/properties/code/maxLength] length must be <= 4, but got 5",
        '  I[#/traits/code] S[#/properties/traits/properties/code/pattern] does not match pattern "^[A-Z]+$"',
      ].join("\n"),
    );
    expect(nodes(person, { email: "someone-with-a-long-enough-address@example.com", code: "abcde" })).toEqual([
      { name: "traits.code", id: 4000017, text: "length must be <= 4, but got 5" },
      { name: "traits.code", id: 4000004, text: 'does not match pattern "^[A-Z]+$"' },
    ]);
  });

  it("enum: %#v of each value (json.Number prints quoted), the generic 4000001 in the flows", () => {
    expect(reason(person, { email: "someone-with-a-long-enough-address@example.com", tier: "bronze" })).toBe(
      'I[#/traits/tier] S[#/properties/traits/properties/tier/enum] value must be one of "gold", "silver"',
    );
    expect(reason({ type: "object", properties: { n: { enum: [1, true, null] } } }, { n: 2 })).toBe(
      'I[#/traits/n] S[#/properties/traits/properties/n/enum] value must be one of "1", true, <nil>',
    );
    expect(reason({ type: "object", properties: { n: { enum: ["only"] } } }, { n: 2 })).toBe(
      'I[#/traits/n] S[#/properties/traits/properties/n/enum] value must be "only"',
    );
    expect(reason({ type: "object", properties: { n: { enum: [{ a: 1 }, "x"] } } }, { n: 2 })).toBe(
      "I[#/traits/n] S[#/properties/traits/properties/n/enum] enum failed",
    );
    expect(nodes(person, { email: "someone-with-a-long-enough-address@example.com", tier: "bronze" })).toEqual([
      { name: "traits.tier", id: 4000001, text: 'value must be one of "gold", "silver"' },
    ]);
  });

  it("const: value message and 4000029, object const 'const failed' and 4000030", () => {
    expect(nodes({ type: "object", properties: { c: { const: "yes" } } }, { c: "no" })).toEqual([
      { name: "traits.c", id: 4000029, text: 'must be equal to constant "yes"' },
    ]);
    expect(nodes({ type: "object", properties: { c: { const: { a: 1 } } } }, { c: "no" })).toEqual([
      { name: "traits.c", id: 4000030, text: "const failed" },
    ]);
  });

  it("type: JSON types only (never `integer` for the value), and it ends the checks of that schema", () => {
    expect(reason(person, 5)).toBe("I[#/traits] S[#/properties/traits/type] expected object, but got number");
    expect(reason(person, { email: "someone-with-a-long-enough-address@example.com", age: 1.5 })).toBe(
      "I[#/traits/age] S[#/properties/traits/properties/age/type] expected integer, but got number",
    );
    expect(nodes(person, { email: "someone-with-a-long-enough-address@example.com", age: "x" })).toEqual([
      { name: "traits.age", id: 4000026, text: "expected integer, but got string" },
    ]);
    expect(reason({ type: ["string", "null"] }, 1)).toBe("I[#/traits] S[#/properties/traits/type] expected string or null, but got number");
  });

  it("numbers: big.Float's %v for the limit, 4000018 in the flows", () => {
    expect(reason(person, { email: "someone-with-a-long-enough-address@example.com", age: 1 })).toBe(
      "I[#/traits/age] S[#/properties/traits/properties/age/minimum] must be >= 3 but found 1",
    );
    expect(nodes(person, { email: "someone-with-a-long-enough-address@example.com", age: 1 })).toEqual([
      { name: "traits.age", id: 4000018, text: "must be >= 3 but found 1" },
    ]);
    expect(reason({ type: "number", maximum: 1000000 }, 2000000)).toBe(
      "I[#/traits] S[#/properties/traits/maximum] must be <= 1e+06 but found 2000000",
    );
    expect(reason({ type: "number", multipleOf: 2 }, 3)).toBe("I[#/traits] S[#/properties/traits/multipleOf] 3 not multipleOf 2");
  });

  it("nested objects: one `validation failed` per level with several failures, checks in schema.go's order", () => {
    const text = reason(person, { email: "x", name: { first: "A" }, age: 1 });
    expect(text).toBe(
      [
        "I[#/traits] S[#/properties/traits] validation failed",
        "  I[#/traits/email] S[#/properties/traits/properties/email] validation failed",
        '    I[#/traits/email] S[#/properties/traits/properties/email/format] "x" is not valid "email"',
        "    I[#/traits/email] S[#/properties/traits/properties/email/minLength] length must be >= 30, but got 1",
        "  I[#/traits/age] S[#/properties/traits/properties/age/minimum] must be >= 3 but found 1",
        "  I[#/traits/name/first] S[#/properties/traits/properties/name/properties/first/minLength] length must be >= 2, but got 1",
      ].join("\n"),
    );
    expect(nodes(person, { email: "x", name: { first: "A" }, age: 1 }).map((n) => [n.name, n.id])).toEqual([
      ["traits.email", 4000040],
      ["traits.email", 4000003],
      ["traits.age", 4000018],
      ["traits.name.first", 4000003],
    ]);
  });

  it("required comes before the properties' failures (object checks run before properties)", () => {
    expect(reason(person, { age: 1 })).toBe(
      [
        "I[#/traits] S[#/properties/traits] validation failed",
        '  I[#/traits] S[#/properties/traits/required] missing properties: "email"',
        "  I[#/traits/age] S[#/properties/traits/properties/age/minimum] must be >= 3 but found 1",
      ].join("\n"),
    );
  });

  it("allOf: each failing branch nests under `allOf failed` at allOf/<i>", () => {
    const schema = { type: "object", allOf: [{ required: ["a"] }, { properties: { b: { type: "string", minLength: 3 } } }] };
    expect(reason(schema, { b: "x" })).toBe(
      [
        "I[#/traits] S[#/properties/traits] validation failed",
        "  I[#/traits] S[#/properties/traits/allOf/0] allOf failed",
        '    I[#/traits] S[#/properties/traits/allOf/0/required] missing properties: "a"',
        "  I[#/traits] S[#/properties/traits/allOf/1] allOf failed",
        "    I[#/traits/b] S[#/properties/traits/allOf/1/properties/b/minLength] length must be >= 3, but got 1",
      ].join("\n"),
    );
    expect(nodes(schema, { b: "x" })).toEqual([
      { name: "traits.a", id: 4000002, text: "Property a is missing." },
      { name: "traits.b", id: 4000003, text: "length must be >= 3, but got 1" },
    ]);
  });

  it("anyOf: every branch's failure under `anyOf failed`; the flows get each branch's message", () => {
    const schema = { anyOf: [{ type: "string", minLength: 5 }, { type: "number" }] };
    expect(reason(schema, "abc")).toBe(
      [
        "I[#/traits] S[#/properties/traits/anyOf] anyOf failed",
        "  I[#/traits] S[#/properties/traits/anyOf/0/minLength] length must be >= 5, but got 3",
        "  I[#/traits] S[#/properties/traits/anyOf/1/type] expected number, but got string",
      ].join("\n"),
    );
    expect(nodes(schema, "abc").map((n) => n.id)).toEqual([4000003, 4000026]);
    expect(traitsSchema(schema).validate({ traits: 4 })).toBeUndefined();
  });

  it("oneOf: `oneOf failed` with every branch, or the two indexes that both validate (4000001)", () => {
    const schema = { oneOf: [{ type: "string" }, { type: "string", maxLength: 3 }, { type: "number" }] };
    expect(reason(schema, true)).toBe(
      [
        "I[#/traits] S[#/properties/traits/oneOf] oneOf failed",
        "  I[#/traits] S[#/properties/traits/oneOf/0/type] expected string, but got boolean",
        "  I[#/traits] S[#/properties/traits/oneOf/1/type] expected string, but got boolean",
        "  I[#/traits] S[#/properties/traits/oneOf/2/type] expected number, but got boolean",
      ].join("\n"),
    );
    expect(reason(schema, "ab")).toBe("I[#/traits] S[#/properties/traits/oneOf] valid against schemas at indexes 0 and 1");
    expect(nodes(schema, "ab")).toEqual([{ name: "traits", id: 4000001, text: "valid against schemas at indexes 0 and 1" }]);
  });

  it("$ref: `doesn't validate with` the target, whose failures keep the target's own pointer", () => {
    const schema = { type: "object", properties: { email: { $ref: "#/definitions/email" } } };
    const definitions = { definitions: { email: { type: "string", minLength: 5, format: "email" } } };
    expect(reason(schema, { email: "a_b" }, definitions)).toBe(
      [
        'I[#/traits/email] S[#/properties/traits/properties/email/$ref] doesn\'t validate with "#/definitions/email"',
        "  I[#/traits/email] S[#/definitions/email] validation failed",
        '    I[#/traits/email] S[#/definitions/email/format] "a_b" is not valid "email"',
        "    I[#/traits/email] S[#/definitions/email/minLength] length must be >= 5, but got 3",
      ].join("\n"),
    );
    expect(nodes(schema, { email: "a_b" }, definitions).map((n) => [n.name, n.id])).toEqual([
      ["traits.email", 4000040],
      ["traits.email", 4000003],
    ]);
  });

  it("if/then/else, not, additionalProperties, items", () => {
    const conditional = { type: "object", if: { required: ["a"] }, then: { required: ["b"] } };
    expect(reason(conditional, { a: 1 })).toBe(
      [
        "I[#/traits] S[#/properties/traits/then] if-then failed",
        '  I[#/traits] S[#/properties/traits/then/required] missing properties: "b"',
      ].join("\n"),
    );
    expect(reason({ not: { type: "string" } }, "x")).toBe("I[#/traits] S[#/properties/traits/not] not failed");
    expect(reason({ type: "object", additionalProperties: false, properties: { a: {} } }, { a: 1, b: 2, "c d": 3 })).toBe(
      'I[#/traits] S[#/properties/traits/additionalProperties] additionalProperties "b", "c d" not allowed',
    );
    expect(
      reason({ type: "array", items: { type: "string", format: "email" }, uniqueItems: true }, ["a@example.com", "a@example.com", 1]),
    ).toBe(
      [
        "I[#/traits] S[#/properties/traits] validation failed",
        "  I[#/traits] S[#/properties/traits/uniqueItems] items at index 0 and 1 are equal",
        "  I[#/traits/2] S[#/properties/traits/items/type] expected string, but got number",
      ].join("\n"),
    );
  });

  it("escapes property names in pointers as ory/jsonschema's escape (JSON pointer, then url.PathEscape)", () => {
    expect(reason({ type: "object", properties: { "a/b c": { type: "string" } } }, { "a/b c": 1 })).toBe(
      "I[#/traits/a~1b%20c] S[#/properties/traits/properties/a~1b%20c/type] expected string, but got number",
    );
    expect(nodes({ type: "object", properties: { "a/b c": { type: "string" } } }, { "a/b c": 1 })[0]?.name).toBe("traits.a/b c");
    // jsonschemax.JSONPointerToDotNotation escapes dots; the traits object itself is the node `traits`.
    expect(nodes({ type: "object", properties: { "a.b": { type: "string" } } }, { "a.b": 1 })[0]?.name).toBe("traits.a\\.b");
    expect(nodes(person, 5)).toEqual([{ name: "traits", id: 4000026, text: "expected object, but got number" }]);
  });
});

describe("compileJsonSchema", () => {
  it("refuses a $ref chain that comes back to itself", () => {
    expect(() =>
      compileJsonSchema({ definitions: { a: { $ref: "#/definitions/b" }, b: { $ref: "#/definitions/a" } }, $ref: "#/definitions/a" }),
    ).toThrow(/refers to itself/);
    // resource.go resolvePtr: a pointer that passes through nothing is an invalid $ref.
    expect(() => compileJsonSchema({ $ref: "#/definitions/missing" })).toThrow("invalid $ref #/definitions/missing");
    expect(() => compileJsonSchema({ definitions: {}, $ref: "#/definitions/missing" })).toThrow(/cannot resolve/);
  });

  it("follows recursive schemas through the instance", () => {
    const tree = compileJsonSchema({ type: "object", properties: { child: { $ref: "#" }, name: { type: "string" } } });
    expect(tree.validate({ child: { child: { name: "x" } } })).toBeUndefined();
    expect(tree.validate({ child: { child: { name: 1 } } })).toBeDefined();
  });
});

describe("%q in ory/jsonschema's messages is strconv.Quote (schema.go validate, Kratos' container.go translateValidationError)", () => {
  it("escapes the runes Go does not print, which JSON quoting leaves as they are", () => {
    expect(reason({ type: "object", additionalProperties: false }, { "a\u00a0": 1, "b\u200b": 2 })).toBe(
      'I[#/traits] S[#/properties/traits/additionalProperties] additionalProperties "a\\u00a0", "b\\u200b" not allowed',
    );
    expect(reason({ type: "string", pattern: "^x\u200by\u{f0000}$" }, "xy")).toBe(
      'I[#/traits] S[#/properties/traits/pattern] does not match pattern "^x\\u200by\\U000f0000$"',
    );
  });

  it("the pattern node reads the pattern back with fmt.Sscanf's %q and quotes it again (text.NewErrorValidationInvalidFormat)", () => {
    const pattern = "^x\u200by\u{f0000}\u0007$";
    const error = traitsSchema({ type: "string", pattern }).validate({ traits: "xy" });
    if (!error) throw new Error("expected a validation error");
    expect(fieldErrorsOf(error).map((e) => e.message)).toEqual([
      expect.objectContaining({ id: 4000004, text: 'does not match pattern "^x\\u200by\\U000f0000\\a$"', context: { pattern } }),
    ]);
  });
});
