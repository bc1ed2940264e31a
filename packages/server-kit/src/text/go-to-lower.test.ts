import { describe, expect, it } from "vitest";
import { goToLower } from "./go-to-lower";

describe("goToLower (Go's strings.ToLower)", () => {
  it("maps each code point by Unicode's simple case mapping, as unicode.ToLower does", () => {
    expect(goToLower("MiXeD@Example.COM")).toBe("mixed@example.com");
    // Full mappings and context rules JavaScript applies and Go does not.
    expect(goToLower("İSTANBUL")).toBe("istanbul");
    expect("İSTANBUL".toLowerCase()).not.toBe("istanbul");
    expect(goToLower("ΟΔΥΣΣΕΥΣ")).toBe("οδυσσευσ");
    expect("ΟΔΥΣΣΕΥΣ".toLowerCase()).toBe("οδυσσευς");
    // Simple mappings both agree on: the Kelvin sign, capital sharp s, astral letters.
    expect(goToLower("\u212a\u1e9e\u{10400}")).toBe("k\u00df\u{10428}");
  });
});
