import { describe, expect, it } from "vitest";
import { associatedIpsRefusal } from "./associated-ips";

/** oryx/ipx/ip_validator.go AreAllAssociatedIPsAllowed / IsAssociatedIPAllowed: its ranges, its order, its words. */
describe("associatedIpsRefusal", () => {
  it.each([
    ["https://127.0.0.1/jwks.json", "ip 127.0.0.1 is in the 127.0.0.0/8 range"],
    ["10.1.2.3", "ip 10.1.2.3 is in the 10.0.0.0/8 range"],
    ["https://172.31.0.1:8443/", "ip 172.31.0.1 is in the 172.16.0.0/12 range"],
    // IP.To4: an IPv4-mapped address is the IPv4 address, printed dotted.
    ["https://[::ffff:c0a8:1]/", "ip 192.168.0.1 is in the 192.168.0.0/16 range"],
    // The first range that holds the address names it: fd47:1ed0:805d:59f0::/64 comes before fc00::/7.
    ["https://[fd47:1ed0:805d:59f0::5]/", "ip fd47:1ed0:805d:59f0::5 is in the fd47:1ed0:805d:59f0::/64 range"],
    ["https://[FD00:0:0::1]/", "ip fd00::1 is in the fc00::/7 range"],
    ["https://[0:0:0:0:0:0:0:1]/", "ip ::1 is in the ::1/128 range"],
  ])("refuses %j with %j", async (value, refusal) => {
    expect(await associatedIpsRefusal({ jwks_uri: value })).toBe(`key jwks_uri validation is failing: ${refusal}`);
  });

  it("allows what ipx's ranges leave out: link-local, shared and unspecified addresses, and URLs url.Parse refuses", async () => {
    const values = {
      jwks_uri: "https://169.254.169.254/latest",
      backchannel_logout_uri: "http://100.64.0.1/logout",
      "request_uris.0": "https://0.0.0.0/r",
      "request_uris.1": "https://[fe80::1]/r",
      "request_uris.2": "https://127.0.0.1:x/r",
    };
    expect(await associatedIpsRefusal(values)).toBeUndefined();
  });

  it("looks the value up as a host name too (a bare name, not only a URL's host)", async () => {
    expect(await associatedIpsRefusal({ "request_uris.3": "localhost" })).toMatch(
      /^key request_uris\.3 validation is failing: ip (127\.0\.0\.1 is in the 127\.0\.0\.0\/8|::1 is in the ::1\/128) range$/,
    );
  });
});
