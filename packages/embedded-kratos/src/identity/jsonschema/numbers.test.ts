import { describe, expect, it } from "vitest";
import { parseJsonKeepingNumbers } from "./json-number";
import { validationErrorText } from "./validation-error";
import { compileJsonSchema } from "./validator";

/**
 * ory/jsonschema reads schema and instance with DecodeJSON (UseNumber), so
 * numbers are json.Number text: schema.go validate checks `integer` with
 * big.Int SetString(text, 10), the limits and multipleOf with big.Float
 * (64-bit mantissa) and prints the text; compiler.go compileMap's enum
 * messages print it with %#v; schema.go equals compares big.Floats. Kratos
 * hands the admin API's traits over as written (identity/handler.go create:
 * json.RawMessage; identity/validator.go ValidateWithRunner: sjson.SetRawBytes).
 */
const compile = (traitsJson: string) =>
  compileJsonSchema(parseJsonKeepingNumbers(`{"type":"object","properties":{"traits":${traitsJson}}}`));
const reason = (traitsJson: string, instanceJson: string) => {
  const error = compile(traitsJson).validate(parseJsonKeepingNumbers(`{"traits":${instanceJson}}`));
  return error && validationErrorText(error);
};

describe("numbers as json.Number text (schema.go validate, compiler.go compileMap)", () => {
  it("integer: only sign and digits count, so 1.0 and 1e2 are numbers but no integers", () => {
    expect(reason(`{"type":"integer"}`, "1")).toBeUndefined();
    expect(reason(`{"type":"integer"}`, "-0")).toBeUndefined();
    expect(reason(`{"type":"integer"}`, "1.0")).toBe("I[#/traits] S[#/properties/traits/type] expected integer, but got number");
    expect(reason(`{"type":"integer"}`, "1e2")).toBe("I[#/traits] S[#/properties/traits/type] expected integer, but got number");
    expect(reason(`{"type":"integer"}`, "12345678901234567890123")).toBeUndefined();
  });

  it("messages show the number as written", () => {
    expect(reason(`{"type":"number","minimum":300}`, "1e2")).toBe(
      "I[#/traits] S[#/properties/traits/minimum] must be >= 300 but found 1e2",
    );
    expect(reason(`{"type":"number","maximum":1}`, "1.50")).toBe("I[#/traits] S[#/properties/traits/maximum] must be <= 1 but found 1.50");
    expect(reason(`{"type":"number","multipleOf":2}`, "3.0")).toBe("I[#/traits] S[#/properties/traits/multipleOf] 3.0 not multipleOf 2");
    expect(reason(`{"enum":[1.0,2]}`, "3")).toBe('I[#/traits] S[#/properties/traits/enum] value must be one of "1.0", "2"');
  });

  it("multipleOf divides at big.Float's 64-bit precision: 0.3 is a multiple of 0.1 there, not in float64", () => {
    expect(reason(`{"type":"number","multipleOf":0.1}`, "0.3")).toBeUndefined();
    expect(reason(`{"type":"number","multipleOf":0.1}`, "0.35")).toBe(
      "I[#/traits] S[#/properties/traits/multipleOf] 0.35 not multipleOf 0.1",
    );
  });

  it("comparisons beyond float64: 9007199254740993 is more than 9007199254740992", () => {
    expect(reason(`{"type":"integer","maximum":9007199254740992}`, "9007199254740993")).toBe(
      "I[#/traits] S[#/properties/traits/maximum] must be <= 9.007199254740992e+15 but found 9007199254740993",
    );
  });

  it("enum, const and uniqueItems compare numbers by value: 1.0 equals 1", () => {
    expect(reason(`{"enum":[1]}`, "1.0")).toBeUndefined();
    expect(reason(`{"const":100}`, "1e2")).toBeUndefined();
    expect(reason(`{"type":"array","uniqueItems":true}`, "[1, 1.0]")).toBe(
      "I[#/traits] S[#/properties/traits/uniqueItems] items at index 0 and 1 are equal",
    );
  });

  it("a schema's length and count keywords must be integers as written (draft meta-schema, checked at Kratos' start-up)", () => {
    expect(() => compile(`{"type":"string","minLength":5.0}`)).toThrow(/minLength: expected integer/);
  });

  it("plain JavaScript numbers still validate, as their shortest form", () => {
    expect(
      compileJsonSchema({ type: "object", properties: { traits: { type: "integer", minimum: 3 } } }).validate({ traits: 2 }),
    ).toBeDefined();
  });
});
