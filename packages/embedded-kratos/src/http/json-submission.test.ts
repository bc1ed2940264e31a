import { describe, expect, it } from "vitest";
import { stringifyJson } from "./json-text";
import { decodeJsonSubmission, goFormatFloatF } from "./json-submission";
import { KratosError } from "./errors";
import { submittedTextOf, withSubmittedNumberTexts } from "./submitted-json";

/** oryx/decoderx/http.go decodeJSONForm: gjson's Result.String of each top-level field, `traits` set raw. */
const decode = (text: string) => decodeJsonSubmission(Buffer.from(text, "utf8"));

function failure(text: string): { reason?: string; message: string } {
  try {
    decode(text);
  } catch (error) {
    if (error instanceof KratosError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error("expected the body to be refused");
}

describe("self-service JSON bodies (oryx/decoderx decodeJSONForm)", () => {
  it("turns top-level values into form text as gjson Result.String does", () => {
    expect(decode(`{"a":"x","n":12,"neg":-7,"f":1.0,"e":1e2,"big":1e21,"small":1.5e-7,"t":true,"f2":false,"z":null,"o":{"k": 1}}`)).toEqual(
      {
        a: "x",
        n: "12",
        neg: "-7",
        f: "1",
        e: "100",
        big: "1000000000000000000000",
        small: "0.00000015",
        t: "true",
        f2: "false",
        o: '{"k": 1}',
      },
    );
  });

  it("gives an object or array in a text field as gjson's Raw: the body's text, spacing and all (decodeJSONForm: v.String() of a JSON value)", () => {
    const body = decode(`{ "password" : { "a" : [1, "}\\"]" ] } , "b":[ 1 ,2 ]\n,"c" :"x"}`);
    expect(body).toEqual({ password: `{ "a" : [1, "}\\"]" ] }`, b: "[ 1 ,2 ]", c: "x" });
  });

  it("sets a raw field given as text to the JSON value the text is (decodeURLValues: sjson.SetRawBytes of gjson's String)", () => {
    expect(decode(`{"traits":"5","transient_payload":"[1, 2]","upstream_parameters":""}`)).toEqual({
      traits: 5,
      transient_payload: [1, 2],
    });
    expect(decode(`{"traits":5,"transient_payload":true}`)).toEqual({ traits: 5, transient_payload: true });
    const body = decode(`{"traits":"{\\"a\\": 1.50}"}`);
    expect(body.traits).toEqual({ a: 1.5 });
    expect(submittedTextOf(body.traits)?.text).toBe(`{"a":1.50}`);
    // Go's json.Unmarshal of the spliced document fails (500) or takes in other fields: refused here.
    expect(failure(`{"traits":"x"}`)).toEqual({
      reason: 'Unable to decode the "traits" field: its text is not one JSON value.',
      message: "invalid character 'x' looking for beginning of value",
    });
    expect(failure(`{"traits":"1,\\"method\\":\\"x\\""}`).message).toBe("invalid character ',' after top-level value");
  });

  it("keeps the last of repeated fields (url.Values.Set), and a later null drops the field", () => {
    expect(decode(`{"a":"1","a":"2","b":"x","b":null}`)).toEqual({ a: "2" });
  });

  it("keeps a traits object as decoded values with its text on the side (sjson.SetRawBytes into the json.RawMessage)", () => {
    const body = decode(`{"traits": {"b": 1.0, "a": 2.50, "b": 1e2}}`);
    expect(body.traits).toEqual({ b: 100, a: 2.5 });
    expect(submittedTextOf(body.traits)?.text).toBe(`{"b":1.0,"a":2.50,"b":1e2}`);
    expect(stringifyJson({ traits: submittedTextOf(body.traits) })).toBe(`{"traits":{"b":1.0,"a":2.50,"b":1e2}}`);
    expect(JSON.stringify(withSubmittedNumberTexts(body.traits))).toBe(`{"b":1e2,"a":2.50}`);
    // A copy is not the body's object: it carries no text.
    expect(submittedTextOf({ ...(body.traits as object) })).toBeUndefined();
  });

  it("answers Go's decoder errors and names what is not an object with gjson's type names", () => {
    expect(failure(`{"a":`)).toEqual({ reason: "Unable to decode form as JSON.", message: "unexpected EOF" });
    expect(failure(` `)).toEqual({ reason: "Unable to decode form as JSON.", message: "EOF" });
    expect(failure(`{a}`).message).toBe("invalid character 'a' looking for beginning of object key string");
    expect(failure(`[]`).reason).toBe("Expected JSON sent in request body to be an object but got: JSON");
    expect(failure(`null`).reason).toBe("Expected JSON sent in request body to be an object but got: Null");
    expect(failure(`true`).reason).toBe("Expected JSON sent in request body to be an object but got: True");
    expect(failure(`1.5`).reason).toBe("Expected JSON sent in request body to be an object but got: Number");
    // json.Decoder reads the first value only: what follows is never read.
    expect(decode(`{"a":"b"} trailing`)).toEqual({ a: "b" });
  });

  it("formats floats as strconv.FormatFloat(f, 'f', -1, 64)", () => {
    expect(goFormatFloatF(0)).toBe("0");
    expect(goFormatFloatF(-0)).toBe("-0");
    expect(goFormatFloatF(123.456)).toBe("123.456");
    expect(goFormatFloatF(1e-7)).toBe("0.0000001");
    expect(goFormatFloatF(-2.5e22)).toBe("-25000000000000000000000");
    expect(goFormatFloatF(Infinity)).toBe("+Inf");
  });
});
