import { describe, expect, it } from "vitest";
import { goJsonnetCases, runAsGoJsonnet } from "../testing/go-jsonnet-goldens";

/**
 * std.parseJson as go-jsonnet v0.21 answers it (builtins.go builtinParseJSON: Go's json.Unmarshal into interface{},
 * its error wrapped as `failed to parse JSON: …`; interpreter.go jsonToValue): Go's scanner texts for malformed
 * documents, `json: cannot unmarshal number … into Go value of type float64` for a number float64 cannot hold (even one
 * a repeated key replaces), unpaired surrogate escapes read as U+FFFD, the last of repeated keys kept. The fixture holds
 * what a Go build of go-jsonnet printed (testdata/go-jsonnet-parse-json.json names the commits).
 */

const cases = goJsonnetCases("go-jsonnet-parse-json.json");

describe("std.parseJson as a go-jsonnet build answers it", () => {
  it.each(cases.map((c) => [c.source, c] as const))("%s", (source, expected) => {
    expect(runAsGoJsonnet(source)).toEqual(expected);
  });

  it("takes a document nested 9999 deep, as Go's scanner allows (the same Go build printed 1)", () => {
    const depth = 9999;
    expect(runAsGoJsonnet(`std.length(std.parseJson("${"[".repeat(depth)}${"]".repeat(depth)}"))`).output).toBe("1\n");
  });
});
