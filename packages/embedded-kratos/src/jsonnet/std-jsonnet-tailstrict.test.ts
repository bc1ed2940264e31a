import { describe, expect, it } from "vitest";
import { goJsonnetCases, runAsGoJsonnet } from "../testing/go-jsonnet-goldens";

/**
 * A user's `std.f(…) tailstrict` of each std.jsonnet function go-jsonnet v0.21 runs as Jsonnet code: thunks.go
 * closure.evalCall forces the arguments and pushes a trimmable frame, and the call that ends the body (a builtin's or
 * a std.jsonnet function's, through `local`, `if`, `assert`, `%` as std.mod and `x[a:b]` as std.slice) drops it first
 * (interpreter.go evaluateTailCall, callStack.tailCallTrimStack): a failure before that call shows the caller's line,
 * one after it does not. `a % b` and `a in b` are such calls too (desugarer.go: std.mod and std.objectHasAll, whose
 * objectHasEx refuses a non-object). Also std.format of a template without a length (std.jsonnet parse_codes'
 * `std.length(str)`) and builtins.go's "Cannot test equality of functions". The fixture holds what a Go build of go-jsonnet printed for
 * each program (testdata/go-jsonnet-std-tailstrict.json names the commits).
 */

const cases = goJsonnetCases("go-jsonnet-std-tailstrict.json");

describe("std.jsonnet functions called tailstrict, as a go-jsonnet build answers them", () => {
  it.each(cases.map((c) => [c.source, c] as const))("%s", (source, expected) => {
    expect(runAsGoJsonnet(source)).toEqual(expected);
  });
});
