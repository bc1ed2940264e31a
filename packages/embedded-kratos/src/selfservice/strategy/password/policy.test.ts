import { describe, expect, it } from "vitest";
import { loadKratosConfig } from "../../../config/load";
import { CIAM_CONFIG, IAM_CONFIG } from "../../../testing/harness";
import { checkPasswordPolicy, levenshtein, longestCommonSubstring } from "./policy";

describe("password policy", () => {
  const config = loadKratosConfig(CIAM_CONFIG);

  it("enforces the configured minimum length with context", () => {
    expect(checkPasswordPolicy(config, "a@example.com", "short")).toMatchObject({ id: 4000032, context: { min_length: 8, actual_length: 5 } });
  });

  it("rejects passwords similar to the identifier, like Kratos (distance < 5 or LCS > 50%)", () => {
    expect(checkPasswordPolicy(config, "jane.doe@example.com", "jane.doe@example.co")?.id).toBe(4000031);
    expect(checkPasswordPolicy(config, "jane.doe@example.com", "xx-jane.doe@example-xx")?.id).toBe(4000031);
    expect(checkPasswordPolicy(config, "jane.doe@example.com", "correct-horse-battery-staple")).toBeUndefined();
  });

  it("skips the similarity check when the domain sets identifier_similarity_check_enabled: false", () => {
    for (const file of [CIAM_CONFIG, IAM_CONFIG]) {
      const off = loadKratosConfig(file, { overrides: { selfservice: { methods: { password: { config: { identifier_similarity_check_enabled: false } } } } } });
      expect(checkPasswordPolicy(off, "jane.doe@example.com", "xx-jane.doe@example-xx")).toBeUndefined();
      // The other rules of that domain still apply.
      expect(checkPasswordPolicy(off, "jane.doe@example.com", "short")?.id).toBe(4000032);
    }
  });

  it("computes edit distance and longest common substring", () => {
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(longestCommonSubstring("abcdef", "zcdez")).toBe(3);
  });
});
