import { describe, expect, it } from "vitest";
import { goTrimSpace } from "./go-trim-space";

describe("goTrimSpace (Go strings.TrimSpace, unicode.IsSpace)", () => {
  it("trims ASCII and Unicode white space at both ends only", () => {
    expect(goTrimSpace(" \t\n\v\f\r a b \u00a0\u3000")).toBe("a b");
    expect(goTrimSpace("\u2028x\u2029")).toBe("x");
  });

  it("trims U+0085 and keeps U+FEFF, unlike String.prototype.trim", () => {
    expect(goTrimSpace("\u0085x\u0085")).toBe("x");
    expect(goTrimSpace("\ufeffx\ufeff")).toBe("\ufeffx\ufeff");
  });

  it("an all-space or empty text is empty", () => {
    expect(goTrimSpace("  \u0085 ")).toBe("");
    expect(goTrimSpace("")).toBe("");
  });
});
