import { BlockList, isIP } from "node:net";

/**
 * code.dny.dev/ssrf Guardian.Safe as ory/x httpx/ssrf.go configures it for
 * Kratos' and Hydra's resilient clients: IANA special-purpose IPv4 ranges and every
 * IPv6 address outside global unicast (and its special ranges) are refused;
 * without `clients.http.disallow_private_ip_ranges` the resilient client
 * (allowInternalAllowIPv6) still lets loopback, private and link-local
 * addresses through.
 */
interface Prefix {
  text: string;
  list: BlockList;
}

function prefix(text: string): Prefix {
  const [address = "", bits = "0"] = text.split("/");
  const list = new BlockList();
  list.addSubnet(address, Number(bits), isIP(address) === 6 ? "ipv6" : "ipv4");
  return { text, list };
}

/** ssrf_gen.go IPv4DeniedPrefixes. */
const IPV4_DENIED = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.31.196.0/24",
  "192.52.193.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "192.175.48.0/24",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "240.0.0.0/4",
  "224.0.0.0/4",
].map(prefix);

/** ssrf_gen.go IPv6DeniedPrefixes, inside IPv6GlobalUnicast. */
const IPV6_DENIED = ["2001::/23", "2001:db8::/32", "2002::/16", "2620:4f:8000::/48"].map(prefix);
const IPV6_GLOBAL_UNICAST = prefix("2000::/3");

/** What httpx allows even so when private ranges are not disallowed (allowInternalAllowIPv6). */
const IPV4_INTERNAL = ["10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"].map(prefix);
const IPV6_INTERNAL = ["::1/128", "fc00::/7"].map(prefix);

/** Go dials an IPv4-mapped IPv6 address as the IPv4 address (WHATWG URLs write it in hex: `[::ffff:7f00:1]`). */
function unmapped(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted?.[1]) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex?.[1] || !hex[2]) return address;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** Why the ssrf guard refuses to connect to `address`, or undefined when it may. */
export function prohibitedAddress(raw: string, disallowPrivate: boolean): string | undefined {
  const address = unmapped(raw.replace(/%.*$/, ""));
  const family = isIP(address);
  if (family === 0) return `could not parse ${address}`;
  if (family === 6) {
    if (!disallowPrivate && IPV6_INTERNAL.some((entry) => entry.list.check(address, "ipv6"))) return undefined;
    if (!IPV6_GLOBAL_UNICAST.list.check(address, "ipv6"))
      return `${address} is not a permitted destination as it's outside of the IPv6 Global Unicast range`;
    const denied = IPV6_DENIED.find((entry) => entry.list.check(address, "ipv6"));
    return denied ? `${address} is not a permitted destination (denied by: ${denied.text})` : undefined;
  }
  if (!disallowPrivate && IPV4_INTERNAL.some((entry) => entry.list.check(address, "ipv4"))) return undefined;
  const denied = IPV4_DENIED.find((entry) => entry.list.check(address, "ipv4"));
  return denied ? `${address} is not a permitted destination (denied by: ${denied.text})` : undefined;
}
