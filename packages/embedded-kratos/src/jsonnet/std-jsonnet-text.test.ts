import { describe, expect, it } from "vitest";
import { goJsonnetCases, runAsGoJsonnet } from "../testing/go-jsonnet-goldens";

/**
 * The string and manifest functions go-jsonnet v0.21 runs as stdlib/std.jsonnet code, not builtins.go funcBuiltins:
 * std.lines, std.deepJoin, std.parseOctal / std.parseHex (with parse_nat), std.repeat, std.escapeStringPython /
 * Bash / Dollars / XML, std.manifestToml, std.manifestYamlStream and std.manifestPython(Vars); and builtinToString /
 * builtinEscapeStringJson / builtinStrReplace as they read their arguments. Answers, error messages and the
 * `<std>:<line>:<col>` frames of their std.jsonnet code as interpreter.go (callStack, evalCallable) and
 * error_formatter.go termErrorFormatter print them; the fixture holds what a Go build of go-jsonnet printed for each
 * program (testdata/go-jsonnet-std-text.json names the commits).
 */

const cases = goJsonnetCases("go-jsonnet-std-text.json");

describe("std.jsonnet's string and manifest functions as a go-jsonnet build answers them (stack traces included)", () => {
  it.each(cases.map((c) => [c.source, c] as const))("%s", (source, expected) => {
    expect(runAsGoJsonnet(source)).toEqual(expected);
  });
});
