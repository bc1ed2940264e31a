import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pairwiseSubject } from "./pairwise";

/** consent/subject_identifier_pairwise.go pairwiseObfuscate: SHA-256 of url.Parse(redirect_uris[0]).Host, the subject and the salt. */
describe("pairwiseSubject", () => {
  const expected = (host: Buffer) => createHash("sha256").update(host).update("subject-1").update("salt").digest("hex");

  it("hashes the Host url.Parse gives: escapes decoded to the bytes Go holds, the port kept", () => {
    const client = (uri: string) => ({ clientId: "c", redirectUris: [uri] });
    expect(pairwiseSubject("salt", "subject-1", client("https://caf%C3%A9.example:8443/cb"))).toBe(
      expected(Buffer.from("café.example:8443", "utf8")),
    );
    expect(pairwiseSubject("salt", "subject-1", client("https://%FF.example/cb"))).toBe(
      expected(Buffer.from([0xff, ...Buffer.from(".example")])),
    );
  });
});
