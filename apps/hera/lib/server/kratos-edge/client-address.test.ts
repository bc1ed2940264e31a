import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ClientIpResolver, normalizeAddress, rateLimitKeyForAddress } from "./client-address";
import { PEER_ADDRESS_HEADER, peerAddressOf, stampPeerAddress } from "./peer-address";

describe("the client address", () => {
  const proxies = new ClientIpResolver(["127.0.0.1", "10.0.0.0/8", "::1"]);
  const none = new ClientIpResolver([]);

  it("is the connection's unless the connection is a trusted proxy", () => {
    expect(none.resolve("127.0.0.1", "198.51.100.7")).toBe("127.0.0.1");
    expect(proxies.resolve("192.0.2.1", "198.51.100.7")).toBe("192.0.2.1");
    expect(proxies.resolve("127.0.0.1", undefined)).toBe("127.0.0.1");
    expect(proxies.resolve("::ffff:127.0.0.1", "198.51.100.7")).toBe("198.51.100.7");
    expect(proxies.resolve(undefined, "198.51.100.7")).toBe("unknown");
  });

  it("walks X-Forwarded-For from the right past trusted proxies only", () => {
    expect(proxies.resolve("127.0.0.1", "203.0.113.9, 198.51.100.7, 10.1.2.3")).toBe("198.51.100.7");
    expect(proxies.resolve("127.0.0.1", "203.0.113.9, 10.1.2.3")).toBe("203.0.113.9");
    expect(proxies.resolve("127.0.0.1", "10.9.9.9, 10.1.2.3")).toBe("10.9.9.9");
    // Garbage stops the walk: the last good hop is the client.
    expect(proxies.resolve("127.0.0.1", "198.51.100.7, <script>, 10.1.2.3")).toBe("10.1.2.3");
    expect(proxies.resolve("127.0.0.1", "not-an-ip")).toBe("127.0.0.1");
    expect(proxies.resolve("127.0.0.1", "[2001:db8::1]:443, 198.51.100.7:8080")).toBe("198.51.100.7");
  });

  it("normalises addresses and groups IPv6 by /64", () => {
    expect(normalizeAddress("::FFFF:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(normalizeAddress("1.2.3")).toBeUndefined();
    expect(rateLimitKeyForAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(rateLimitKeyForAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitKeyForAddress("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(rateLimitKeyForAddress("::1")).toBe("0:0:0:0::/64");
  });
});

describe("the connection's address stamp", () => {
  it("overwrites whatever a client sends under its name, and is believed only with this process' secret", async () => {
    let seen: { stamped: string | undefined; claimed: string | undefined } | undefined;
    const server = http.createServer((req, res) => {
      const claimed = peerAddressOf(new Headers({ [PEER_ADDRESS_HEADER]: String(req.headers[PEER_ADDRESS_HEADER] ?? "") }));
      stampPeerAddress(req);
      seen = { claimed, stamped: peerAddressOf(new Headers({ [PEER_ADDRESS_HEADER]: String(req.headers[PEER_ADDRESS_HEADER]) })) };
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_ADDRESS_HEADER]: "guess 198.51.100.7" } });
      expect(seen).toEqual({ claimed: undefined, stamped: "127.0.0.1" });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(peerAddressOf(new Headers())).toBeUndefined();
  });
});
