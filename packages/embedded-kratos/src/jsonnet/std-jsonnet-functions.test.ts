import { describe, expect, it } from "vitest";
import { goJsonnetCases, runAsGoJsonnet } from "../testing/go-jsonnet-goldens";

/**
 * The std functions go-jsonnet runs as stdlib/std.jsonnet code rather than builtins.go funcBuiltins (std.map,
 * std.mapWithIndex, std.mapWithKey, std.filterMap, std.get, std.objectFields(All), std.objectHas(All),
 * std.manifestJson(Minified), std.startsWith, std.endsWith, and std.isNumber / std.isArray inside std.mod and
 * std.format), and the builtins they lean on (builtinLength, builtinFilter, builtinFoldl / builtinFoldr): answers and
 * `<std>:<line>:<col>` stack frames as interpreter.go (callStack, evalCallable) and error_formatter.go
 * termErrorFormatter give them. The fixture holds what a Go build of go-jsonnet printed for each program
 * (testdata/go-jsonnet-std-frames.json names the commits).
 */

const cases = goJsonnetCases("go-jsonnet-std-frames.json");

describe("std.jsonnet functions as a go-jsonnet build answers them (stack traces included)", () => {
  it.each(cases.map((c) => [c.source, c] as const))("%s", (source, expected) => {
    expect(runAsGoJsonnet(source)).toEqual(expected);
  });
});
