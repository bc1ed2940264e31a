import { describe, expect, it } from "vitest";
import { prohibitedAddress } from "./ssrf";

// ory/x httpx ssrf.go: Go parses an IPv4-mapped IPv6 address (netip.Addr.Unmap) and checks it as the IPv4 address.
describe("the ssrf guard's address check (ory/x httpx ssrf.go)", () => {
  it("checks IPv4-mapped IPv6 addresses as their IPv4 address, in the dotted and in the hex form WHATWG URLs write", () => {
    for (const mapped of ["::ffff:127.0.0.1", "::ffff:7f00:1"]) {
      expect(prohibitedAddress(mapped, false)).toBeUndefined();
      expect(prohibitedAddress(mapped, true)).toBe(prohibitedAddress("127.0.0.1", true));
    }
    expect(prohibitedAddress("::ffff:808:808", true)).toBeUndefined();
    expect(prohibitedAddress("::ffff:a00:1", true)).toBe(prohibitedAddress("10.0.0.1", true));
  });
});
