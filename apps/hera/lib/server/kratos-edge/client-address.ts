import { BlockList, isIP } from "node:net";

/**
 * Who is on the other end of a request. The connection's address is the
 * truth; `X-Forwarded-For` is believed only when the connection comes from a
 * trusted proxy (Caddy in front of Hera, limits.yml `client_ip.trusted_proxies`),
 * and then only as far as the chain of trusted proxies goes: walking the
 * header from the right, the first address that is not itself a trusted
 * proxy is the client. A client can prepend whatever it likes; it cannot get
 * past its own proxy. Without trusted proxies the header is never read.
 */
export class ClientIpResolver {
  private readonly trusted: AddressList;
  private readonly hasTrusted: boolean;

  constructor(trustedProxies: readonly string[]) {
    this.trusted = new AddressList(trustedProxies);
    this.hasTrusted = trustedProxies.length > 0;
  }

  /** The client's address for one request: the peer's, or the forwarded one behind trusted proxies. */
  resolve(peerAddress: string | undefined, forwardedFor: string | null | undefined): string {
    const peer = normalizeAddress(peerAddress ?? "") ?? "unknown";
    if (!this.hasTrusted || !forwardedFor || !this.trusted.has(peer)) return peer;
    const hops = forwardedFor.split(",").map((h) => h.trim());
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeAddress(hops[i] ?? "");
      // A malformed entry ends the chain: nothing to its left can be trusted.
      if (!hop) break;
      client = hop;
      if (!this.trusted.has(hop)) break;
    }
    return client;
  }
}

/** A set of addresses and CIDR ranges (IPv4-mapped IPv6 addresses are normalised to IPv4 first). */
export class AddressList {
  private readonly list = new BlockList();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address = "", bits] = entry.split("/");
      const family = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(bits), family);
    }
  }

  has(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 6 ? "ipv6" : "ipv4");
  }
}

/** Plain IP text: strips brackets, ports and IPv4-mapped prefixes; undefined when it is not an address. */
export function normalizeAddress(value: string): string | undefined {
  let text = value.trim();
  if (text.startsWith("[")) text = text.slice(1, text.indexOf("]") === -1 ? undefined : text.indexOf("]"));
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  if (text.toLowerCase().startsWith("::ffff:") && isIP(text.slice(7)) === 4) text = text.slice(7);
  return isIP(text) === 0 ? undefined : text.toLowerCase();
}

/**
 * The key an address is counted under: IPv4 as is, IPv6 by its /64 — one
 * subscriber usually holds a whole /64, so counting single v6 addresses
 * would let one attacker rotate through 2^64 of them.
 */
export function rateLimitKeyForAddress(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : address;
}

function expandIpv6(address: string): string[] | undefined {
  const withoutZone = address.split("%")[0] ?? "";
  const [head = "", tail] = withoutZone.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const last = right.length > 0 ? right[right.length - 1] : left[left.length - 1];
  if (last && last.includes(".")) return undefined;
  const missing = 8 - left.length - right.length;
  if (tail === undefined && missing !== 0) return undefined;
  const groups = [...left, ...Array.from({ length: Math.max(0, missing) }, () => "0"), ...right];
  return groups.length === 8 ? groups.map((g) => (g === "" ? "0" : g.replace(/^0+(?=.)/, ""))) : undefined;
}
