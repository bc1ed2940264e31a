import { createHash } from "node:crypto";
import { argon2d, argon2i, argon2id, blake2b as wasmBlake2b } from "hash-wasm";
import { describe, expect, it } from "vitest";
import { argon2, argon2Blocks, blake2b, type Argon2Type } from "./argon2-portable";

/**
 * The portable Argon2 and BLAKE2b: RFC 9106's and RFC 7693's vectors,
 * agreement with hash-wasm (and Node's BLAKE2b-512) wherever those accept
 * the parameters, and golang.org/x/crypto/argon2's handling (argon2.go
 * deriveKey) where they do not.
 */

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** A small deterministic generator, so a failing parameter set can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

describe("BLAKE2b", () => {
  it("gives RFC 7693's BLAKE2b-512 of 'abc' (Appendix A)", () => {
    expect(hex(blake2b(64, Buffer.from("abc")))).toBe(
      "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    );
  });

  it("agrees with Node's BLAKE2b-512 and hash-wasm's BLAKE2b of every output length, across block boundaries", async () => {
    const next = random(7);
    for (const size of [0, 1, 63, 64, 127, 128, 129, 255, 256, 257, 1000]) {
      const input = Buffer.from(Array.from({ length: size }, () => Math.floor(next() * 256)));
      expect(hex(blake2b(64, input))).toBe(createHash("blake2b512").update(input).digest("hex"));
      for (const length of [1, 4, 20, 32, 33, 63]) {
        expect(hex(blake2b(length, input))).toBe(await wasmBlake2b(input, length * 8));
      }
    }
  });
});

describe("Argon2 (RFC 9106)", () => {
  // RFC 9106 section 5: password 32×0x01, salt 16×0x02, secret 8×0x03, associated data 12×0x04,
  // 32 KiB, 3 passes, 4 lanes, 32-byte tag.
  const rfcInput = (type: Argon2Type) => ({
    type,
    password: new Uint8Array(32).fill(1),
    salt: new Uint8Array(16).fill(2),
    secret: new Uint8Array(8).fill(3),
    associatedData: new Uint8Array(12).fill(4),
    iterations: 3,
    memoryKiB: 32,
    parallelism: 4,
    tagLength: 32,
  });

  it.each([
    ["argon2d", "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"],
    ["argon2i", "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"],
    ["argon2id", "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"],
  ] as const)("gives RFC 9106's %s test vector (section 5)", (type, tag) => {
    expect(hex(argon2(rfcInput(type)))).toBe(tag);
  });

  it("agrees with hash-wasm for random parameters it accepts (salt ≥ 8 bytes, tag ≥ 4 bytes, memory a multiple of 4·lanes)", async () => {
    const next = random(2024);
    const wasm = { argon2d, argon2i, argon2id };
    for (let round = 0; round < 9; round++) {
      const type = (["argon2d", "argon2i", "argon2id"] as const)[round % 3]!;
      const parallelism = 1 + Math.floor(next() * 4);
      const memoryKiB = 4 * parallelism * (2 + Math.floor(next() * 40));
      const iterations = 1 + Math.floor(next() * 3);
      const tagLength = [4, 16, 32, 64, 65, 100, 129][Math.floor(next() * 7)]!;
      const salt = Buffer.from(Array.from({ length: 8 + Math.floor(next() * 24) }, () => Math.floor(next() * 256)));
      const password = Buffer.from(`pässword-${round}`, "utf8");
      const expected = await wasm[type]({
        password,
        salt,
        parallelism,
        iterations,
        memorySize: memoryKiB,
        hashLength: tagLength,
        outputType: "hex",
      });
      const params = { type, parallelism, memoryKiB, iterations, tagLength, salt: salt.length };
      expect({ ...params, tag: hex(argon2({ type, password, salt, iterations, memoryKiB, parallelism, tagLength })) }).toEqual({
        ...params,
        tag: expected,
      });
    }
  });

  // argon2.go deriveKey: H0 takes the memory as given; only the block count is rounded (down to 4·lanes, at least 8·lanes).
  it("rounds the block count like Go's argon2 while hashing the given memory into H0", async () => {
    expect(argon2Blocks(1001, 3)).toBe(996);
    expect(argon2Blocks(7, 1)).toBe(8);
    expect(argon2Blocks(0, 2)).toBe(16);
    const input = {
      type: "argon2id" as const,
      password: Buffer.from("pw"),
      salt: Buffer.from("saltsalt"),
      iterations: 1,
      parallelism: 1,
      tagLength: 32,
    };
    const wasm = (memorySize: number) => argon2id({ ...input, memorySize, hashLength: 32, outputType: "hex" });
    // 65 KiB fills the same 64 blocks as 64 KiB, but H0 differs, so the key does (as in the reference implementation).
    expect(hex(argon2({ ...input, memoryKiB: 65 }))).toBe(await wasm(65));
    expect(hex(argon2({ ...input, memoryKiB: 65 }))).not.toBe(await wasm(64));
  });
});
