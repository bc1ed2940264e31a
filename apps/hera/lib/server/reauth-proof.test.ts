import { describe, expect, it } from "vitest";
import { issueReauthProof, readReauthProof } from "./reauth-proof";

const SECRET = "a-very-long-cookie-secret-for-tests-0001";

describe("re-authentication proof", () => {
  it("is accepted for the challenge it was issued for, with its time", () => {
    const proof = issueReauthProof(SECRET, "challenge-a", 1_700_000_000_000);
    expect(readReauthProof(SECRET, "challenge-a", proof, 1_700_000_100_000)).toEqual({ since: 1_700_000_000_000 });
  });

  it("cannot be moved to another challenge", () => {
    const proof = issueReauthProof(SECRET, "challenge-a", 1_700_000_000_000);
    expect(readReauthProof(SECRET, "challenge-b", proof, 1_700_000_100_000)).toBeUndefined();
  });

  it("cannot have its time edited (the attack on the old reauth_after parameter)", () => {
    const proof = issueReauthProof(SECRET, "challenge-a", 1_700_000_000_000);
    const [, tag] = proof.split(".");
    expect(readReauthProof(SECRET, "challenge-a", `1600000000000.${tag}`, 1_700_000_100_000)).toBeUndefined();
    expect(readReauthProof(SECRET, "challenge-a", "1600000000000", 1_700_000_100_000)).toBeUndefined();
  });

  it("is refused when made with another secret, from the future, or malformed", () => {
    expect(readReauthProof(SECRET, "c", issueReauthProof("another-secret-of-enough-length-000", "c", 1000), 2000)).toBeUndefined();
    expect(readReauthProof(SECRET, "c", issueReauthProof(SECRET, "c", 10_000_000), 1000)).toBeUndefined();
    for (const bad of [undefined, "", "abc", "1.2", "-1.AAAA", `1.${"A".repeat(44)}`]) {
      expect(readReauthProof(SECRET, "c", bad, 2000)).toBeUndefined();
    }
  });
});
