import { lookup } from "node:dns/promises";
import { BlockList, isIP, SocketAddress } from "node:net";
import { goUrlHostname, goUrlParse, utf8Text } from "@olympus/server-kit/go-url";

/**
 * ory/x ipx.AreAllAssociatedIPsAllowed and IsAssociatedIPAllowed (oryx/ipx/
 * ip_validator.go), which client/validator.go Validate runs on `jwks_uri`,
 * `backchannel_logout_uri` and each `request_uris.N` under
 * `clients.http.disallow_private_ip_ranges`. A value that is an IP is
 * checked as it is; otherwise the addresses of the value looked up as a host
 * name and of url.Parse(value).Hostname(). Only ipx's seven ranges are
 * refused (link-local ones are not: the fetch's own guard refuses those).
 */

/** ipx's ranges, in the order it tries them. */
const DISALLOWED = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd47:1ed0:805d:59f0::/64", "fc00::/7", "::1/128"].map(
  (range) => {
    const [network = "", bits = "0"] = range.split("/");
    const list = new BlockList();
    list.addSubnet(network, Number(bits), isIP(network) === 6 ? "ipv6" : "ipv4");
    return { range, list, family: isIP(network) === 6 ? "ipv6" : "ipv4" };
  },
);

const MAPPED = new BlockList();
MAPPED.addSubnet("::ffff:0:0", 96, "ipv6");

/** An address as Go's net.IP sees it: IPv4-mapped IPv6 is IPv4 (IP.To4), printed as IP.String() does. */
function goIp(address: string): { text: string; family: "ipv4" | "ipv6" } {
  if (isIP(address) === 4) return { text: address, family: "ipv4" };
  const canonical = new SocketAddress({ address, family: "ipv6" }).address;
  if (!MAPPED.check(canonical, "ipv6")) return { text: canonical, family: "ipv6" };
  const low = canonical.slice(canonical.lastIndexOf(":") + 1);
  return { text: low.includes(".") ? low : dotted(canonical), family: "ipv4" };
}

/** The last 32 bits of a canonical `::ffff:hhhh:hhhh` address, dotted. */
function dotted(canonical: string): string {
  const groups = canonical.split(":").slice(-2);
  const [high = 0, low = 0] = groups.map((group) => Number.parseInt(group || "0", 16));
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** net.DefaultResolver.LookupIPAddr, failures as no addresses (ipx ignores them). */
async function resolve(host: string): Promise<string[]> {
  if (host === "") return [];
  if (isIP(host)) return [host];
  return lookup(host, { all: true, verbatim: true })
    .then((all) => all.map((entry) => entry.address))
    .catch(() => []);
}

/** IsAssociatedIPAllowed: ipx's error text, or undefined when every address is allowed. */
async function associatedIpRefusal(value: string): Promise<string | undefined> {
  let addresses: string[];
  if (isIP(value) && !value.includes("%")) {
    addresses = [value];
  } else {
    const parsed = goUrlParse(value);
    addresses = [...(await resolve(value)), ...(parsed.ok ? await resolve(utf8Text(goUrlHostname(parsed.url))) : [])];
  }
  const ips = addresses.filter((address) => isIP(address.split("%")[0] ?? "")).map((address) => goIp(address.split("%")[0] ?? ""));
  for (const { range, list, family } of DISALLOWED) {
    const hit = ips.find((ip) => ip.family === family && list.check(ip.text, family));
    if (hit) return `ip ${hit.text} is in the ${range} range`;
  }
  return undefined;
}

/** AreAllAssociatedIPsAllowed: the first refusal, wrapped with its key as errors.Wrapf does. */
export async function associatedIpsRefusal(values: Record<string, string>): Promise<string | undefined> {
  for (const [key, value] of Object.entries(values)) {
    const refusal = await associatedIpRefusal(value);
    if (refusal) return `key ${key} validation is failing: ${refusal}`;
  }
  return undefined;
}
