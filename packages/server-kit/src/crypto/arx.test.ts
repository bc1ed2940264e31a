import { describe, expect, it } from "vitest";
import { hchacha20, hsalsa20, salsa20Stream } from "./arx";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

describe("the 20-round ARX cores", () => {
  it("HChaCha20 gives draft-irtf-cfrg-xchacha §2.2.1's subkey", () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    expect(hchacha20(key, hex("000000090000004a0000000031415927")).toString("hex")).toBe(
      "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
    );
  });

  it("HSalsa20 gives NaCl's tests/core1.c firstkey (crypto_core_hsalsa20 of the box test's shared secret)", () => {
    const shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    expect(hsalsa20(shared, Buffer.alloc(16)).toString("hex")).toBe("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
  });

  it("the Salsa20 stream is cut to the length asked, and a longer stream starts with the shorter one", () => {
    const key = Buffer.alloc(32, 7);
    const nonce = Buffer.alloc(8, 9);
    const long = salsa20Stream(key, nonce, 150);
    expect(long.length).toBe(150);
    expect(salsa20Stream(key, nonce, 70).equals(long.subarray(0, 70))).toBe(true);
    expect(salsa20Stream(key, nonce, 0).length).toBe(0);
  });

  it("refuses keys and inputs of the wrong size", () => {
    expect(() => hchacha20(Buffer.alloc(31), Buffer.alloc(16))).toThrow(RangeError);
    expect(() => hsalsa20(Buffer.alloc(32), Buffer.alloc(15))).toThrow(RangeError);
    expect(() => salsa20Stream(Buffer.alloc(32), Buffer.alloc(12), 64)).toThrow(RangeError);
  });
});
