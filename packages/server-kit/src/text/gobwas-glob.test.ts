import { describe, expect, it } from "vitest";
import { compileGlob, gobwasGlobError } from "./gobwas-glob";
import golden from "./gobwas-glob.golden.json";

/**
 * github.com/gobwas/glob v0.2.3 glob.Compile (syntax/lexer/lexer.go,
 * syntax/ast/parser.go); the goldens are the errors a Go program printed
 * for each pattern (empty: it compiles).
 */
describe("gobwasGlobError (glob.Compile's error text)", () => {
  it.each(golden.errors)("$pattern", ({ pattern, error }) => {
    expect(gobwasGlobError(pattern) ?? "").toBe(error);
  });

  it("compileGlob refuses what gobwas refuses: a range followed by more than its `]`", () => {
    expect(compileGlob("https://[a-b-c].example")).toBeUndefined();
    expect(compileGlob("https://[a-c]x.example")?.test("https://bx.example")).toBe(true);
  });
});
