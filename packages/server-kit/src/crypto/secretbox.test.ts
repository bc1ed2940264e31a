import { describe, expect, it } from "vitest";
import { secretboxOpen, secretboxSeal } from "./secretbox";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

/** golang.org/x/crypto/nacl/secretbox Seal/Open (Kratos' courier page tokens, ssoready/hyrumtoken). */
describe("NaCl secretbox (XSalsa20-Poly1305)", () => {
  it("matches Go's secretbox_test.go TestSecretBox vector (generated with C NaCl)", () => {
    const box = secretboxSeal(Buffer.alloc(64, 3), Buffer.alloc(24, 2), Buffer.alloc(32, 1));
    expect(box.toString("hex")).toBe(
      "8442bc313f4626f1359e3b50122b6ce6fe66ddfe7d39d14e637eb4fd5b45beadab55198df6ab5368439792a23c87db70acb6156dc5ef957ac04f6276cf6093b84be77ff0849cc33e34b7254d5a8f65ad",
    );
  });

  it("matches NaCl's tests/secretbox.c (tag ‖ ciphertext of the 131-byte message)", () => {
    const key = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    const nonce = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    const message = hex(
      "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb31" +
        "0e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f9377638" +
        "48645e0705",
    );
    const box = hex(
      "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c972" +
        "71d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9" +
        "b37973f622a43d14a6599b1f654cb45a74e355a5",
    );
    expect(secretboxSeal(message, nonce, key).equals(box)).toBe(true);
    expect(secretboxOpen(box, nonce, key)?.equals(message)).toBe(true);
  });

  it("matches libsodium's crypto_secretbox_easy, and opens nothing altered or shorter than a tag", () => {
    const message = Buffer.from(
      '{"e":"2026-12-04T13:00:00Z","c":[{"n":"created_at","o":1,"vt":"2026-01-01T00:00:00.123456Z"},{"n":"id","vu":"00000000-0000-0000-0000-000000000000"}]}',
    );
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    const nonce = Buffer.from(Array.from({ length: 24 }, (_, i) => 100 + i));
    const sodium = hex(
      "cd067ce3b5d7cbaf726479a09582d28c799bfceb0094fcd982cb0ea505a9932c6a9b0b9dd496712b965660b828e8ebb2f314d6766d0db9878773761665778204b5b2823a7da4036e2fc32570f988bc5673b97a40f80d65ba88db2fc27af3dda964a7a33695cc4f37a4c1ab5a549dc7a8d8f3cb128bfb16e5750e5db19e6ca508481fa67ae706703970bc2393d421e6118e303d281afe2d397d131b08edf9d06553098b4250",
    );
    expect(secretboxSeal(message, nonce, key).equals(sodium)).toBe(true);
    expect(secretboxOpen(sodium, nonce, key)?.equals(message)).toBe(true);
    const tampered = Buffer.from(sodium);
    tampered[40] = (tampered[40] ?? 0) ^ 0x20;
    expect(secretboxOpen(tampered, nonce, key)).toBeUndefined();
    const wrongTag = Buffer.from(sodium);
    wrongTag[0] = (wrongTag[0] ?? 0) ^ 1;
    expect(secretboxOpen(wrongTag, nonce, key)).toBeUndefined();
    expect(secretboxOpen(sodium.subarray(0, 15), nonce, key)).toBeUndefined();
    expect(secretboxOpen(sodium.subarray(0, 16), nonce, key)).toBeUndefined();
  });

  it("seals an empty message to a bare tag that opens to nothing, and refuses a key or nonce of the wrong size", () => {
    const key = Buffer.alloc(32, 5);
    const nonce = Buffer.alloc(24, 6);
    const box = secretboxSeal(Buffer.alloc(0), nonce, key);
    expect(box.length).toBe(16);
    expect(secretboxOpen(box, nonce, key)?.length).toBe(0);
    expect(() => secretboxSeal(Buffer.alloc(1), nonce, key.subarray(1))).toThrow(RangeError);
    expect(() => secretboxOpen(box, nonce.subarray(1), key)).toThrow(RangeError);
  });
});
