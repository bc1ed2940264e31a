import { dictionary } from "@zxcvbn-ts/language-common";
import { describe, expect, it } from "vitest";
import { loadKratosConfig } from "../../../config/load";
import { CIAM_CONFIG, IAM_CONFIG, STRONG_PASSWORD } from "../../../testing/harness";
import { isCommonPassword } from "./common-passwords";
import { checkPasswordPolicy, levenshtein, longestCommonSubstring } from "./policy";

describe("password policy", () => {
  const config = loadKratosConfig(CIAM_CONFIG);

  it("enforces the configured minimum length with context", () => {
    expect(checkPasswordPolicy(config, "a@example.com", "short")).toMatchObject({
      id: 4000032,
      context: { min_length: 8, actual_length: 5 },
    });
  });

  it("rejects passwords similar to the identifier, like Kratos (distance < 5 or LCS > 50%)", () => {
    expect(checkPasswordPolicy(config, "jane.doe@example.com", "jane.doe@example.co")?.id).toBe(4000031);
    expect(checkPasswordPolicy(config, "jane.doe@example.com", "xx-jane.doe@example-xx")?.id).toBe(4000031);
    expect(checkPasswordPolicy(config, "jane.doe@example.com", "correct-horse-battery-staple")).toBeUndefined();
  });

  it("skips the similarity check when the domain sets identifier_similarity_check_enabled: false", () => {
    for (const file of [CIAM_CONFIG, IAM_CONFIG]) {
      const off = loadKratosConfig(file, {
        overrides: { selfservice: { methods: { password: { config: { identifier_similarity_check_enabled: false } } } } },
      });
      expect(checkPasswordPolicy(off, "jane.doe@example.com", "xx-jane.doe@example-xx")).toBeUndefined();
      // The other rules of that domain still apply.
      expect(checkPasswordPolicy(off, "jane.doe@example.com", "short")?.id).toBe(4000032);
    }
  });

  it("refuses breached passwords with Kratos' 4000034 while haveibeenpwned_enabled is on (the dev and prod configs)", () => {
    for (const password of ["password", "12345678", "iloveyou", "P@ssw0rd", "QWERTY123"]) {
      expect(checkPasswordPolicy(config, "a@example.com", password), password).toEqual({
        id: 4000034,
        text: "The password has been found in data breaches and must no longer be used.",
        type: "error",
        context: { breaches: 1 },
      });
    }
    expect(checkPasswordPolicy(config, "a@example.com", STRONG_PASSWORD)).toBeUndefined();
    // Kratos' order: length and similarity come first.
    expect(checkPasswordPolicy(config, "a@example.com", "123456")?.id).toBe(4000032);
    // Whatever max_breaches allows, a listed password is over it.
    const lenient = loadKratosConfig(CIAM_CONFIG, {
      overrides: { selfservice: { methods: { password: { config: { max_breaches: 100 } } } } },
    });
    expect(checkPasswordPolicy(lenient, "a@example.com", "password")?.context).toEqual({ breaches: 101 });
  });

  it("skips the breach check where the config sets haveibeenpwned_enabled: false", () => {
    const off = loadKratosConfig(CIAM_CONFIG, {
      overrides: { selfservice: { methods: { password: { config: { haveibeenpwned_enabled: false } } } } },
    });
    expect(checkPasswordPolicy(off, "a@example.com", "password")).toBeUndefined();
    expect(checkPasswordPolicy(off, "a@example.com", "12345678")).toBeUndefined();
  });

  it("counts the 10,000 most common passwords as breached, and the repeats and sequences the list leaves to patterns", () => {
    const ranked = dictionary["passwords-common"];
    expect(ranked.length).toBeGreaterThanOrEqual(10_000);
    expect(ranked.slice(0, 10_000).filter((password) => !isCommonPassword(password))).toEqual([]);
    for (const password of ["00000000", "aaaaaaaa", "abcdefgh", "87654321", "12341234", "Password1", "LETMEIN"])
      expect(isCommonPassword(password), password).toBe(true);
    for (const password of [STRONG_PASSWORD, "dev-password-change-me", "correct horse battery staple", "x9!Tq2#vLp"])
      expect(isCommonPassword(password), password).toBe(false);
  });

  it("computes edit distance and longest common substring", () => {
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(longestCommonSubstring("abcdef", "zcdez")).toBe(3);
  });
});
