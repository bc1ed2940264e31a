import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

/** What Go's net.IP.IsPrivate covers: RFC 1918 and RFC 4193 ranges (not loopback). */
const PRIVATE = new BlockList();
PRIVATE.addSubnet("10.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("172.16.0.0", 12, "ipv4");
PRIVATE.addSubnet("192.168.0.0", 16, "ipv4");
PRIVATE.addSubnet("fc00::", 7, "ipv6");

function isPrivate(text: string): boolean {
  const family = isIP(text);
  return family !== 0 && PRIVATE.check(text, family === 6 ? "ipv6" : "ipv4");
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/**
 * The client address Kratos records on a session's device, as Ory's
 * httpx.ClientIP computes it: `True-Client-IP`, `Cf-Connecting-IP`,
 * `X-Real-IP`, else the right-most `X-Forwarded-For` entry that is not a
 * private address (empty when all are), else the connection as Go writes
 * `RemoteAddr` (`ip:port`). Kratos trusts these headers from anyone: only
 * the proxy in front of it (Hera) may reach its public port.
 */
export function kratosClientIp(req: IncomingMessage): string {
  const direct = header(req, "true-client-ip") || header(req, "cf-connecting-ip") || header(req, "x-real-ip");
  if (direct) return direct;
  const forwarded = header(req, "x-forwarded-for");
  if (forwarded) {
    const hops = forwarded.split(",");
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = (hops[i] ?? "").trim();
      if (!isPrivate(hop)) return hop;
    }
    return "";
  }
  const address = (req.socket.remoteAddress ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  const port = req.socket.remotePort ?? 0;
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}
