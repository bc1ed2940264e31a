import { describe, expect, it } from "vitest";
import { goJsonnetCases, runAsGoJsonnet } from "../testing/go-jsonnet-goldens";

/**
 * The last std.jsonnet fields builtins.go funcBuiltins does not replace: std.count, std.flattenDeepArray,
 * std.mergePatch, std.objectValues(All), std.objectKeysValues(All), std.prune, std.resolvePath and the three-way
 * comparison std.__compare / std.__compare_array / std.__array_less … (stdlib/std.jsonnet at the cpp-jsonnet commit
 * go-jsonnet v0.21 vendors), with valid and invalid arguments, errors inside the values they read, deep and large
 * inputs; and a user's `std.f(…) tailstrict` of a std.jsonnet function (std.all, std.any and these), whose arguments thunks.go closure.evalCall forces first and whose frame a call ending the body drops
 * (interpreter.go evaluateTailCall, callStack.tailCallTrimStack). Answers, error messages and `<std>:<line>:<col>`
 * frames as error_formatter.go termErrorFormatter prints them; the fixture holds what a Go build of go-jsonnet printed
 * for each program (testdata/go-jsonnet-std-objects.json names the commits).
 */

const cases = goJsonnetCases("go-jsonnet-std-objects.json");

describe("std.jsonnet's object and array helpers as a go-jsonnet build answers them (stack traces included)", () => {
  it.each(cases.map((c) => [c.source, c] as const))("%s", (source, expected) => {
    expect(runAsGoJsonnet(source)).toEqual(expected);
  });
});
