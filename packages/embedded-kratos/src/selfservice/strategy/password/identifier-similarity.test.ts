import { goToLower } from "@olympus/server-kit/text";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  goLcsLength,
  goLevenshtein,
  isTooSimilarToIdentifier,
  MAX_SIMILARITY_IDENTIFIER_RUNES,
  passwordTooLongToBeSimilar,
} from "./identifier-similarity";

// The real goToLower, watched: what reaches it is what gets lowered and spread into code points.
vi.mock("@olympus/server-kit/text", async (importOriginal) => {
  const original = await importOriginal<typeof import("@olympus/server-kit/text")>();
  return { ...original, goToLower: vi.fn(original.goToLower) };
});

const MIB = 1024 * 1024;
const lowered = () => vi.mocked(goToLower).mock.calls.map(([text]) => text);

/** validator.go DefaultPasswordValidator.validate's similarity rule, on every code point, without any cut-off. */
function similarWithoutCutOff(identifier: string, password: string): boolean {
  const a = [...goToLower(identifier)];
  const b = [...goToLower(password)];
  const bytes = Buffer.byteLength(b.join(""));
  return goLevenshtein(a, b) < 5 || goLcsLength(a, b) / bytes > 0.5;
}

describe("identifier similarity on long inputs", () => {
  beforeEach(() => {
    vi.mocked(goToLower).mockClear();
  });

  it("decides a password of megabytes from its length, without lowering or spreading it", () => {
    const password = "x".repeat(5 * MIB);
    expect(isTooSimilarToIdentifier("user@example.org", password)).toBe(false);
    expect(lowered()).toEqual(["user@example.org"]);
  });

  it("decides an identifier past the cap from its length, without lowering or spreading it", () => {
    expect(isTooSimilarToIdentifier("a".repeat(5 * MIB), "a")).toBe(false);
    expect(lowered()).toEqual([]);
  });

  it("cuts off where a password has at least identifier + 5 code points and twice the identifier's bytes", () => {
    // 16 code points: the password needs 32 of each, so 63 UTF-16 units (all astral: 32 code points) and more.
    expect(passwordTooLongToBeSimilar(16, 62)).toBe(false);
    expect(passwordTooLongToBeSimilar(16, 63)).toBe(true);
    // 2 code points: the distance's bound (7) is the larger one.
    expect(passwordTooLongToBeSimilar(2, 12)).toBe(false);
    expect(passwordTooLongToBeSimilar(2, 13)).toBe(true);
    // Every identifier under the cap: a password of 4 · cap units is always decided by its length.
    expect(passwordTooLongToBeSimilar(MAX_SIMILARITY_IDENTIFIER_RUNES, 4 * MAX_SIMILARITY_IDENTIFIER_RUNES)).toBe(true);
    expect(passwordTooLongToBeSimilar(0, 9)).toBe(true);
  });

  it("answers as the rule without the cut-off around it, astral and case-changing characters included", () => {
    const identifier = "User@Example.org";
    // U+212A KELVIN SIGN lowers to a one-byte `k`; U+1F600 is two UTF-16 units.
    for (const piece of ["user@example.org", "u", "\u212A", "\u{1F600}", "é", "İ"]) {
      for (let count = 1; count <= 70; count++) {
        const password = piece.repeat(count);
        expect(isTooSimilarToIdentifier(identifier, password), `${piece} × ${count}`).toBe(similarWithoutCutOff(identifier, password));
      }
    }
  });
});
