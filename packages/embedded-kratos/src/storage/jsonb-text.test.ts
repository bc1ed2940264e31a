import { describe, expect, it } from "vitest";
import { rawJsonNumber } from "../identity/jsonschema/json-number";
import { jsonbText } from "./jsonb-text";

/**
 * Postgres' jsonb text (jsonb_out, numeric_out, lengthCompareJsonbString),
 * compacted as Kratos' json.Marshal writes a json.RawMessage it read back
 * from a jsonb column. The expected texts are what `SELECT '<literal>'::jsonb::text`
 * gives on the Postgres 18 the tests run, compacted.
 */
describe("jsonbText", () => {
  it("orders object keys by UTF-8 length, then bytes (integer-like keys are no different)", () => {
    expect(jsonbText({ b: 1, a: 2, aa: 0, "10": 1, "2": 2, é: 1, z: 1 })).toBe('{"2":2,"a":2,"b":1,"z":1,"10":1,"aa":0,"é":1}');
    expect(jsonbText({ why: "spam", a: [3, { y: null, x: true }] })).toBe('{"a":[3,{"x":true,"y":null}],"why":"spam"}');
  });

  it("writes numbers as numeric_out does: plain notation, the literal's scale less its exponent, no sign on zero", () => {
    const cases: [string, string][] = [
      ["1e2", "100"],
      ["1.50", "1.50"],
      ["1.50e1", "15.0"],
      ["1E-2", "0.01"],
      ["-0", "0"],
      ["-0.0", "0.0"],
      ["0.00", "0.00"],
      ["12345678901234567890123", "12345678901234567890123"],
      ["1e-5", "0.00001"],
      ["2.5e-1", "0.25"],
      ["1.0e+1", "10"],
      ["0.000e5", "0"],
      ["-12.3400e-3", "-0.0123400"],
      ["123.456e2", "12345.6"],
      ["123.456e-7", "0.0000123456"],
      ["-0e-3", "0.000"],
      ["100e-2", "1.00"],
      ["0.1e1", "1"],
      ["7E+03", "7000"],
    ];
    for (const [literal, text] of cases) expect([literal, jsonbText(rawJsonNumber(literal))]).toEqual([literal, text]);
    expect(jsonbText(1e21)).toBe("1000000000000000000000");
    expect(jsonbText(rawJsonNumber("9.99e999"))).toBe(`999${"0".repeat(997)}`);
  });

  it("leaves a literal past numeric's exponent bound as written (jsonb refuses it, so the store fails)", () => {
    expect(jsonbText(rawJsonNumber("1e1001"))).toBe("1e1001");
  });

  it("writes strings, null and booleans with JSON's escapes, unescaped otherwise", () => {
    expect(jsonbText(['a\u00e9/<>&\u2028\u001f\t"\\', null, true, false, [], {}])).toBe(
      '["aé/<>&\u2028\\u001f\\t\\"\\\\",null,true,false,[],{}]',
    );
  });
});
