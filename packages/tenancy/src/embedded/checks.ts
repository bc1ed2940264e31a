import pg from "pg";
import { renderCaddyBlock } from "../caddy";
import { tenantHosts } from "../hosts";
import { blockPorts, portBlock } from "../ports";
import type { Tenant } from "../tenant";

/*
 * The isolation checks between two tenants, as functions the suite runs both
 * on the real tenants and on a setup broken on purpose, so each one is shown
 * to catch the leak it is about.
 */

/** Whether a login succeeds: the probe a leaked credential would pass. */
export async function canLogIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface SetCookie {
  name: string;
  /** The Domain attribute, lowercased, leading dot dropped; undefined for a host-only cookie. */
  domain: string | undefined;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...attributes] = header.split(";");
  const domain = attributes
    .map((attribute) => attribute.trim().split("="))
    .find(([key]) => key?.toLowerCase() === "domain")?.[1]
    ?.trim()
    .toLowerCase()
    .replace(/^\./, "");
  return { name: pair.split("=")[0]?.trim() ?? "", domain: domain || undefined };
}

/**
 * Whether a browser would send a cookie set by a response from `setBy` to
 * `host` (RFC 6265 §5.1.3 domain-match, §5.3 host-only): a host-only cookie
 * goes back to its own host alone; a Domain cookie to that domain and below.
 */
export function sentTo(cookie: SetCookie, setBy: string, host: string): boolean {
  if (!cookie.domain) return host === setBy;
  return host === cookie.domain || host.endsWith(`.${cookie.domain}`);
}

/** Every host of the other tenant a cookie of this one would reach. */
export function cookieLeaks(cookies: readonly SetCookie[], setBy: string, other: Tenant): string[] {
  const hosts = Object.values(tenantHosts({ ...other, parentDomain: "localhost" })).filter((h): h is string => typeof h === "string");
  return cookies.flatMap((cookie) => hosts.filter((host) => sentTo(cookie, setBy, host)).map((host) => `${cookie.name} → ${host}`));
}

/** The other tenant's admin addresses (Kratos/Hydra admin ports on loopback, its Postgres) and hosts that appear in `text`. */
export function foreignAddresses(text: string, other: Tenant): string[] {
  const block = portBlock(other.slot);
  const needles = [
    ...(["ciam", "iam"] as const).flatMap((d) => [`:${block[d].kratosAdmin}`, `:${block[d].hydraAdmin}`]),
    `:${block.postgres}`,
    ...Object.values(tenantHosts({ ...other, parentDomain: "localhost" })).filter((h): h is string => typeof h === "string"),
  ];
  return needles.filter((needle) => new RegExp(`${needle.replace(/[.]/g, "\\.")}(?![\\w.-])`).test(text));
}

/** Caddy's routing of a block: which hosts it serves and which loopback ports it proxies to. */
export function caddyRoutes(caddyfile: string): { hosts: string[]; upstreams: number[] } {
  const hosts = [...caddyfile.matchAll(/^([a-z0-9.-]+) \{$/gm)].map((m) => m[1] ?? "");
  const upstreams = [...caddyfile.matchAll(/reverse_proxy 127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  return { hosts, upstreams };
}

/** What in `caddyfile` routes to or serves anything but `tenant`'s own ports and hosts. */
export function caddyLeaks(caddyfile: string, tenant: Tenant): string[] {
  const own = new Set(blockPorts(portBlock(tenant.slot)));
  const hosts = new Set(Object.values(tenantHosts(tenant)).filter((h): h is string => typeof h === "string"));
  const routes = caddyRoutes(caddyfile);
  return [
    ...routes.upstreams.filter((port) => !own.has(port)).map((port) => `upstream 127.0.0.1:${port}`),
    ...routes.hosts.filter((host) => !hosts.has(host)).map((host) => `host ${host}`),
  ];
}

export { renderCaddyBlock };
