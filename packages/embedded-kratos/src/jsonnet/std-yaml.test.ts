import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateJsonnetText, JsonnetError } from "./index";

/**
 * std.parseYaml as go-jsonnet reads YAML (builtins.go builtinParseYAML → sigs.k8s.io/yaml Unmarshal: go-yaml v2
 * Unmarshal into interface{}, convertToJSONableObject, json.Marshal). Expected values follow go-yaml v2's resolve.go
 * resolve (resolveMap, strconv.ParseInt(plain, 0, 64) / ParseUint / yamlStyleFloat + ParseFloat), decode.go (`!!binary`,
 * non-strict duplicate keys, merge keys) and sigs.k8s.io/yaml's key conversion (FormatFloat(key, 'g', -1, 32)).
 */
const parse = (yaml: string): string => {
  try {
    return evaluateJsonnetText(`std.manifestJsonMinified(std.parseYaml(${JSON.stringify(yaml)}))`, { extVars: {} }).trim();
  } catch (error) {
    if (error instanceof JsonnetError) return error.reason;
    throw error;
  }
};
const value = (yaml: string): unknown => JSON.parse(JSON.parse(parse(yaml)) as string) as unknown;

describe("std.parseYaml with go-yaml v2's resolve rules", () => {
  it("reads the number forms strconv.ParseInt and ParseFloat accept, and no sexagesimal numbers", () => {
    expect(value("a: 1:20")).toEqual({ a: "1:20" });
    expect(value("a: 1:20.5")).toEqual({ a: "1:20.5" });
    expect(value("[0o17, 0O17, 017, 0x1F, -0x1F, 0b101, -0b101, +12, 1_000, 0x_1F, 09]")).toEqual([
      15, 15, 15, 31, -31, 5, -5, 12, 1000, 31, 9,
    ]);
    expect(value("[1e3, 1.5e3, .5, +.5, 1., -.5e-3, 1_2.5]")).toEqual([1000, 1500, 0.5, 0.5, 1, -0.0005, 12.5]);
    // ParseFloat reports 1e400 out of range, so resolve leaves the scalar a string; `.Nan` is not in resolveMap.
    expect(value("[1e400, 12e, .Nan, 2001-12-14]")).toEqual(["1e400", "12e", ".Nan", "2001-12-14"]);
    expect(value("a: !!float 1")).toEqual({ a: 1 });
  });

  it("reads YAML 1.1 booleans and nulls from resolveMap", () => {
    expect(value("[y, Y, yes, on, ON, n, NO, off, true, False, ~, null, NULL, yES]")).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
      false,
      null,
      null,
      null,
      "yES",
    ]);
  });

  it("refuses .inf and .nan as json.Marshal does", () => {
    expect(parse("a: .inf")).toBe("failed to parse YAML: error converting YAML to JSON: json: unsupported value: +Inf");
    expect(parse("a: -.INF")).toBe("failed to parse YAML: error converting YAML to JSON: json: unsupported value: -Inf");
    expect(parse("a: .nan")).toBe("failed to parse YAML: error converting YAML to JSON: json: unsupported value: NaN");
  });

  it("decodes !!binary to text and refuses bad base64 (decode.go scalar)", () => {
    expect(value("a: !!binary aGVsbG8=")).toEqual({ a: "hello" });
    expect(value("a: !!binary |\n  aGVs\n  bG8=")).toEqual({ a: "hello" });
    expect(parse("a: !!binary aGV")).toBe(
      "failed to parse YAML: error converting YAML to JSON: yaml: !!binary value contains invalid base64 data",
    );
  });

  it("lets a later duplicate key win, applies merge keys, and writes keys as convertToJSONableObject does", () => {
    expect(value("a: 1\na: 2")).toEqual({ a: 2 });
    expect(value("base: &b {x: 1, b: 2}\nm:\n  <<: *b\n  b: 3")).toEqual({ base: { b: 2, x: 1 }, m: { b: 3, x: 1 } });
    expect(value("{1: a, 1.5: b, 3.14159265: c, 1000000.0: d, 0.00001: e, true: f, y: g}")).toEqual({
      "1": "a",
      "1.5": "b",
      "3.1415927": "c",
      "1e+06": "d",
      "1e-05": "e",
      true: "g",
    });
  });
});

interface GoYamlCase {
  yaml: string;
  error?: string;
  json?: string;
}

const goYaml = JSON.parse(readFileSync(path.join(__dirname, "testdata", "go-yaml-parse.json"), "utf8")) as { cases: GoYamlCase[] };

/**
 * The fixture's answers come from a Go build of the pipeline (go-jsonnet yaml.go YAMLToJSONDecoder, sigs.k8s.io/yaml
 * Unmarshal, go-yaml v2 scannerc.go/parserc.go/decode.go/resolve.go, json.Marshal): malformed documents fail with
 * go-yaml's `yaml: line N: …` (bad indentation, unclosed quotes and flows, tabs, mapping values not allowed, keys
 * without `:`, unknown anchors), explicit tags refuse scalars they do not fit (resolve.go resolve), and `!!binary`
 * bytes that are not UTF-8 become one U+FFFD each (encoding/json encodeState.string).
 */
describe("std.parseYaml answers as go-jsonnet's Go build gives them", () => {
  it.each(goYaml.cases.map((c) => [JSON.stringify(c.yaml), c] as const))("%s", (_name, c) => {
    if (c.error !== undefined) expect(parse(c.yaml)).toBe(c.error);
    else expect(value(c.yaml)).toEqual(JSON.parse(c.json ?? "null"));
  });
});
