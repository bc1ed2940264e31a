import { describe, expect, it } from "vitest";
import { normalizeUserCode, plausibleUserCode } from "./user-code";

describe("device user codes", () => {
  it("drops spaces and dashes people type but keeps the case Hydra compares", () => {
    expect(normalizeUserCode("  AbCd-3467 ")).toBe("AbCd3467");
    expect(normalizeUserCode("abcd efgh")).toBe("abcdefgh");
  });

  it("refuses what cannot be a code before asking Hydra", () => {
    expect(plausibleUserCode("")).toBe(false);
    expect(plausibleUserCode("AbCd3467")).toBe(true);
    expect(plausibleUserCode("x".repeat(65))).toBe(false);
  });
});
