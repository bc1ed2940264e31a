import { describe, expect, it } from "vitest";
import { poly1305 } from "./poly1305";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

describe("Poly1305 (RFC 8439 §2.5)", () => {
  it("gives §2.5.2's tag", () => {
    const key = hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
    expect(poly1305(key, Buffer.from("Cryptographic Forum Research Group")).toString("hex")).toBe("a8061dc1305136c6c22b8baf0c0127a9");
  });

  it("gives appendix A.3's test vectors #1 (all zero) and #2 (r = 0: the tag is s)", () => {
    expect(poly1305(Buffer.alloc(32), Buffer.alloc(64)).toString("hex")).toBe("00000000000000000000000000000000");
    const text = Buffer.from(
      "Any submission to the IETF intended by the Contributor for publication as all or part of an IETF Internet-Draft or RFC and any " +
        'statement made within the context of an IETF activity is considered an "IETF Contribution". Such statements include oral ' +
        "statements in IETF sessions, as well as written and electronic communications made at any time or place, which are addressed to",
    );
    const key = Buffer.concat([Buffer.alloc(16), hex("36e5f6b5c5e06070f0efca96227a863e")]);
    expect(poly1305(key, text).toString("hex")).toBe("36e5f6b5c5e06070f0efca96227a863e");
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => poly1305(Buffer.alloc(16), Buffer.alloc(1))).toThrow(RangeError);
  });
});
