import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { validationErrorText } from "./validation-text";

/** ory/jsonschema errors.go ValidationError.Error and schema.go validate: the reason Kratos' admin API gives for invalid traits. */
describe("ory/jsonschema ValidationError text", () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile({
    type: "object",
    properties: {
      traits: {
        type: "object",
        required: ["email", "name"],
        properties: {
          email: { type: "string", format: "email", minLength: 30 },
          age: { type: "integer", minimum: 3 },
          tier: { type: "string", enum: ["gold", "silver"] },
        },
      },
    },
  });
  const text = (traits: unknown) => {
    const doc = { traits };
    expect(validate(doc)).toBe(false);
    return validationErrorText(validate.errors ?? [], doc);
  };

  it("prints one failure on one line", () => {
    expect(text({ email: "someone-with-a-long-address@example", name: "n" })).toBe(
      'I[#/traits/email] S[#/properties/traits/properties/email/format] "someone-with-a-long-address@example" is not valid "email"',
    );
    expect(text({ email: "a-long-enough-address-for-the-rule@example.com", name: "n", tier: "bronze" })).toBe(
      'I[#/traits/tier] S[#/properties/traits/properties/tier/enum] value must be one of "gold", "silver"',
    );
    expect(text(5)).toBe("I[#/traits] S[#/properties/traits/type] expected object, but got number");
  });

  it("nests several failures per level under `validation failed`, checks in ory/jsonschema's keyword order", () => {
    expect(text({ email: "x", age: 1.5 })).toBe(
      [
        "I[#/traits] S[#/properties/traits] validation failed",
        '  I[#/traits] S[#/properties/traits/required] missing properties: "name"',
        "  I[#/traits/email] S[#/properties/traits/properties/email] validation failed",
        '    I[#/traits/email] S[#/properties/traits/properties/email/format] "x" is not valid "email"',
        "    I[#/traits/email] S[#/properties/traits/properties/email/minLength] length must be >= 30, but got 1",
        "  I[#/traits/age] S[#/properties/traits/properties/age/type] expected integer, but got number",
      ].join("\n"),
    );
  });
});
