import { describe, expect, it } from "vitest";
import { xchacha20Poly1305Open, xchacha20Poly1305Seal } from "./xchacha20-poly1305";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

/** golang.org/x/crypto chacha20poly1305.NewX (Kratos cipher/chacha20.go, Hydra aead/xchacha20.go), checked against draft-irtf-cfrg-xchacha. */
describe("XChaCha20-Poly1305", () => {
  const key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
  const aad = hex("50515253c0c1c2c3c4c5c6c7");
  const plaintext = Buffer.from(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );

  it("seals and opens the draft's appendix A.3.1 example: ciphertext, then the tag", () => {
    const sealed = xchacha20Poly1305Seal(key, nonce, plaintext, aad);
    expect(sealed.toString("hex")).toBe(
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39" +
        "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9" +
        "21f9664c97637da9768812f615c68b13b52e" +
        "c0875924c1c7987947deafd8780acf49",
    );
    expect(xchacha20Poly1305Open(key, nonce, sealed, aad)).toEqual(plaintext);
  });

  it("opens nothing with other data, another key, an altered byte or a box shorter than a tag", () => {
    const sealed = xchacha20Poly1305Seal(key, nonce, plaintext, aad);
    expect(xchacha20Poly1305Open(key, nonce, sealed, Buffer.from("other"))).toBeUndefined();
    expect(xchacha20Poly1305Open(Buffer.alloc(32), nonce, sealed, aad)).toBeUndefined();
    const altered = Buffer.from(sealed);
    altered[0] = (altered[0] ?? 0) ^ 1;
    expect(xchacha20Poly1305Open(key, nonce, altered, aad)).toBeUndefined();
    expect(xchacha20Poly1305Open(key, nonce, sealed.subarray(0, 15), aad)).toBeUndefined();
  });

  it("treats no additional data as empty additional data (Go's Seal with nil), and seals an empty message to a bare tag", () => {
    const sealed = xchacha20Poly1305Seal(key, nonce, plaintext);
    expect(sealed.equals(xchacha20Poly1305Seal(key, nonce, plaintext, Buffer.alloc(0)))).toBe(true);
    expect(xchacha20Poly1305Open(key, nonce, sealed)).toEqual(plaintext);
    const empty = xchacha20Poly1305Seal(key, nonce, Buffer.alloc(0));
    expect(empty.length).toBe(16);
    expect(xchacha20Poly1305Open(key, nonce, empty)?.length).toBe(0);
  });

  it("refuses a key or nonce of the wrong size", () => {
    expect(() => xchacha20Poly1305Seal(key.subarray(1), nonce, plaintext)).toThrow(RangeError);
    expect(() => xchacha20Poly1305Seal(key, nonce.subarray(0, 12), plaintext)).toThrow(RangeError);
  });
});
