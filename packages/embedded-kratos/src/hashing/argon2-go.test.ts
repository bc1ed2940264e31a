import { afterAll, describe, expect, it } from "vitest";
import { argon2Engine, PORTABLE_ARGON2_BUDGET_KIB } from "./argon2-go";
import { WorkerPasswordHasher } from "./hasher";

/**
 * argon2 hashes Kratos verifies (hash/hash_comparator.go CompareArgon2id and
 * CompareArgon2i, decodeArgon2idHash) with parameters outside RFC 9106's
 * limits, which golang.org/x/crypto/argon2 accepts (argon2.go deriveKey).
 *
 * The hashes were made with Go 1.19 and golang.org/x/crypto v0.4.0 (Debian's
 * golang-go and golang-golang-x-crypto-dev): argon2.IDKey / argon2.Key of
 * the password "correct horse" with the salt, parameters and key length
 * shown, written in Kratos' encoding (raw standard base64). The portable
 * implementation that computes them is checked against RFC 9106's vectors
 * and hash-wasm in argon2-portable.test.ts.
 */
const hasher = new WorkerPasswordHasher({ algorithm: "bcrypt", bcrypt: { cost: 4 } }, 1);
afterAll(() => hasher.close());

const GO_HASHES: [string, string][] = [
  ["4-byte salt", "$argon2id$v=19$m=64,t=2,p=1$c2FsdA$kW2JHYEzComecJ9ExngguzfO4PjIvBPkVTqvNhJz34E"],
  ["4-byte salt, argon2i, memory not a multiple of 4·lanes", "$argon2i$v=19$m=100,t=1,p=2$YWJjZA$gNGQxAD73KTQo3PJuY/pNA"],
  [
    "memory not a multiple of 4·lanes (1001 KiB, 3 lanes)",
    "$argon2id$v=19$m=1001,t=1,p=3$c2FsdHNhbHQ$L2lpbMSSYDBsIffM3DhWSGXWa2yeRCTzBFJqKCq2JwM",
  ],
  ["memory under 8·lanes and a 3-byte key", "$argon2id$v=19$m=5,t=3,p=1$c2FsdHNhbHQxNmJ5dGVzIQ$SQKV"],
  ["empty salt", "$argon2id$v=19$m=32,t=1,p=1$$lW+kaYyWTS1UHklLAEoyn2DVeCRZpxb+cvkAH2jZHF8"],
];

describe("argon2 parameters Go accepts and RFC 9106 libraries refuse (hash/hash_comparator.go CompareArgon2id/CompareArgon2i)", () => {
  it.each(GO_HASHES)("%s: the right password matches, another does not", async (_, hash) => {
    expect(await hasher.verify("correct horse", hash)).toBe(true);
    expect(await hasher.verify("correct horsf", hash)).toBe(false);
  });

  it("computes what hash-wasm computes exactly with hash-wasm and the rest with the portable implementation", () => {
    const params = { memoryKiB: 64, iterations: 2, parallelism: 1, hashLength: 32 };
    expect(argon2Engine(16, params)).toBe("hash-wasm");
    expect(argon2Engine(4, params)).toBe("portable");
    expect(argon2Engine(16, { ...params, hashLength: 3 })).toBe("portable");
    expect(argon2Engine(16, { ...params, memoryKiB: 65 })).toBe("hash-wasm");
    expect(argon2Engine(16, { ...params, memoryKiB: 4 })).toBe("portable");
  });

  it("never spends more than its budget on the portable implementation: a costlier hash does not match", async () => {
    const costly = { memoryKiB: 1 << 20, iterations: 10, parallelism: 4, hashLength: 32 };
    expect(argon2Engine(16, costly)).toBe("hash-wasm");
    expect(argon2Engine(4, costly)).toBeUndefined();
    expect(argon2Engine(4, { ...costly, memoryKiB: PORTABLE_ARGON2_BUDGET_KIB, iterations: 1 })).toBe("portable");
    expect(argon2Engine(4, { ...costly, memoryKiB: PORTABLE_ARGON2_BUDGET_KIB, iterations: 2 })).toBeUndefined();
    const started = Date.now();
    expect(
      await hasher.verify("correct horse", "$argon2id$v=19$m=1048576,t=10,p=4$c2FsdA$kW2JHYEzComecJ9ExngguzfO4PjIvBPkVTqvNhJz34E"),
    ).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
