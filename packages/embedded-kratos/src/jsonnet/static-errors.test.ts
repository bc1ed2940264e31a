import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateJsonnetText, JsonnetError } from "./index";

/**
 * Static errors read as go-jsonnet's VM returns them to Kratos (vm.go EvaluateAnonymousSnippet →
 * error_formatter.go termErrorFormatter.formatStatic): internal/errors staticError.Error() — the location range
 * (ast.LocationRange.String) and the message, no `STATIC ERROR` prefix — then showCode's excerpt: an empty line, the
 * source lines of the range, an empty line. The fixtures are go-jsonnet's parser and lexer test expectations (the
 * first line: those tests compare err.Error()) and its testdata goldens (the whole text).
 */

interface StaticCase {
  group: string;
  filename: string;
  source: string;
  expected: string;
  excerpt: boolean;
}

const fixtures = JSON.parse(readFileSync(path.join(__dirname, "testdata", "go-jsonnet-static-errors.json"), "utf8")) as {
  cases: StaticCase[];
};

function run(c: StaticCase): string {
  try {
    evaluateJsonnetText(c.source, { extVars: {}, filename: c.filename });
  } catch (error) {
    if (error instanceof JsonnetError) return error.message;
    throw error;
  }
  return "(no error)";
}

describe("static errors as go-jsonnet formats them (parser, lexer and testdata goldens)", () => {
  it.each(fixtures.cases.map((c) => [`${c.group}: ${JSON.stringify(c.source)}`, c] as const))("%s", (_name, c) => {
    const text = run(c);
    expect(c.excerpt ? text : text.split("\n")[0]).toBe(c.expected);
  });
});
