import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateJsonnetText, JsonnetError } from "./index";

/**
 * The std functions go-jsonnet runs as stdlib/std.jsonnet code rather than builtins.go funcBuiltins (std.map,
 * std.mapWithIndex, std.mapWithKey, std.filterMap, std.get, std.objectFields(All), std.objectHas(All),
 * std.manifestJson(Minified), std.startsWith, std.endsWith, and std.isNumber / std.isArray inside std.mod and
 * std.format), and the builtins they lean on (builtinLength, builtinFilter, builtinFoldl / builtinFoldr): answers and
 * `<std>:<line>:<col>` stack frames as interpreter.go (callStack, evalCallable) and error_formatter.go
 * termErrorFormatter give them. The fixture holds what a Go build of go-jsonnet printed for each program
 * (testdata/go-jsonnet-std-frames.json names the commits).
 */

interface GoCase {
  source: string;
  error?: string;
  output?: string;
}

const fixture = JSON.parse(readFileSync(path.join(__dirname, "testdata", "go-jsonnet-std-frames.json"), "utf8")) as {
  cases: GoCase[];
};

function run(source: string): GoCase {
  try {
    return { source, output: evaluateJsonnetText(source, { extVars: {}, filename: "snippet" }) };
  } catch (error) {
    if (error instanceof JsonnetError) return { source, error: error.message };
    throw error;
  }
}

describe("std.jsonnet functions as a go-jsonnet build answers them (stack traces included)", () => {
  it.each(fixture.cases.map((c) => [c.source, c] as const))("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});
