import { dictionary } from "@zxcvbn-ts/language-common";
import { describe, expect, it } from "vitest";
import { loadKratosConfig } from "../../../config/load";
import { CIAM_CONFIG, IAM_CONFIG, STRONG_PASSWORD } from "../../../testing/harness";
import { isCommonPassword } from "./common-passwords";
import { goLcsLength, goLevenshtein } from "./identifier-similarity";
import { checkPasswordPolicy, checkPasswordPolicyPerIdentifier } from "./policy";

describe("password policy", () => {
  const config = loadKratosConfig(CIAM_CONFIG);

  it("enforces the configured minimum length with context", () => {
    expect(checkPasswordPolicy(config, "a@example.com", "short")).toMatchObject({
      id: 4000032,
      context: { min_length: 8, actual_length: 5 },
    });
  });

  it("counts the minimum length in UTF-8 bytes, as validator.go's len(password) does", () => {
    // Six characters of three bytes each are 18 bytes: long enough for a minimum of 8.
    expect(checkPasswordPolicy(config, "a@example.com", "日本語の漢字")).toBeUndefined();
    expect(checkPasswordPolicy(config, "a@example.com", "äöü")).toMatchObject({
      id: 4000032,
      context: { min_length: 8, actual_length: 6 },
    });
  });

  it("checks bcrypt's 72 bytes only after the policy passed every identifier (registration.go Register: validateCredentials, then the hash)", () => {
    const bcrypt = loadKratosConfig(CIAM_CONFIG, { overrides: { hashers: { algorithm: "bcrypt" } } });
    const long = "a-rather-long-identifier-for-this-check-only@example.com";
    const password = `${long}-and-a-few-more-words`;
    expect(Buffer.byteLength(password)).toBeGreaterThan(72);
    // Too similar to the second identifier: Kratos' policy answers before the hasher.
    expect(checkPasswordPolicyPerIdentifier(bcrypt, ["short@example.com", long], password)?.id).toBe(4000031);
    expect(checkPasswordPolicyPerIdentifier(bcrypt, ["short@example.com"], password)).toMatchObject({
      id: 4000033,
      context: { max_length: 72, actual_length: Buffer.byteLength(password) },
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

  it("measures similarity as validator.go does on Go strings (values printed by its lcsLength and arbovm/levenshtein)", () => {
    expect(goLevenshtein([..."kitten"], [..."sitting"])).toBe(3);
    expect(goLcsLength([..."abcdef"], [..."zcdez"])).toBe(3);
    // lcsLength keys its table by byte offsets: a common run starts afresh after a character of two or more bytes.
    const identifier = "aé".repeat(10);
    const password = `xxxxx${identifier}`;
    expect(goLevenshtein([...identifier], [...password])).toBe(5);
    expect(goLcsLength([...identifier], [...password])).toBe(2);
    expect(goLcsLength([..."ab€cd€efgh"], [..."zzzzzzzzzzzzzab€cd€efgh"])).toBe(4);
    // So Kratos accepts this password (distance 5, common run 2 of 35 bytes).
    expect(checkPasswordPolicy(config, identifier, password)).toBeUndefined();
  });
});
