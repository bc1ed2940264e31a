import { execFileSync } from "node:child_process";
import { ADMIN_SERVICES, DOMAINS, SERVICE_PORTS, domainOfHost, domainOfPort, type Domain } from "@olympus/runtime-config/config";
import type { Problem } from "../problem";
import { isObject, type YamlValue } from "../yaml";

const ADMIN_PORTS = new Set(DOMAINS.flatMap((d) => ADMIN_SERVICES.map((s) => SERVICE_PORTS[d][s])));

/** Runs Debian's `caddy adapt` on a Caddyfile and returns Caddy's JSON config. */
export function adaptCaddyfile(file: string, env: Record<string, string>): YamlValue {
  const out = execFileSync("caddy", ["adapt", "--config", file, "--adapter", "caddyfile"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out) as YamlValue;
}

/** `caddy validate`: throws with Caddy's own message when the file is invalid. */
export function validateCaddyfile(file: string, env: Record<string, string>): void {
  execFileSync("caddy", ["validate", "--config", file, "--adapter", "caddyfile"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The domain a public host serves: ciam.example.com and admin.ciam.example.com are CIAM. */
export function domainOfPublicHost(host: string, parentDomain: string): Domain | undefined {
  const own = host.endsWith(`.${parentDomain}`) ? host.slice(0, -parentDomain.length - 1) : host;
  const labels = own.split(".");
  return DOMAINS.find((d) => labels.at(-1) === d);
}

/**
 * Every host routes only to upstreams of its own domain, and no route reaches
 * a Kratos or Hydra admin port.
 */
export function checkCaddyRoutes(config: YamlValue, parentDomain: string, file: string): Problem[] {
  const problems: Problem[] = [];
  const servers = isObject(config) && isObject(config.apps) && isObject(config.apps.http) ? config.apps.http.servers : undefined;
  if (!isObject(servers)) return [{ where: file, message: "defines no HTTP servers" }];
  for (const server of Object.values(servers)) {
    const routes = isObject(server) && Array.isArray(server.routes) ? server.routes : [];
    for (const route of routes) {
      const hosts = hostsOf(route);
      if (hosts.length === 0)
        problems.push({ where: file, message: "a route matches no host: every route must be bound to one domain's host" });
      for (const host of hosts) {
        const domain = domainOfPublicHost(host, parentDomain);
        const add = (message: string) => problems.push({ where: `${file}:${host}`, message });
        if (!domain) {
          add("is neither a ciam.* nor an iam.* host");
          continue;
        }
        for (const dial of dialsOf(route)) {
          const port = Number(dial.slice(dial.lastIndexOf(":") + 1));
          const upstreamDomain = domainOfHost(dial.slice(0, dial.lastIndexOf(":"))) ?? domainOfPort(port);
          if (ADMIN_PORTS.has(port)) add(`routes to admin port ${port} (${dial}); admin APIs must stay private`);
          else if (upstreamDomain !== domain) add(`routes to ${dial}, which is not an upstream of the ${domain} domain`);
        }
      }
    }
  }
  return problems;
}

function hostsOf(route: YamlValue): string[] {
  if (!isObject(route) || !Array.isArray(route.match)) return [];
  return route.match.flatMap((m) => (isObject(m) && Array.isArray(m.host) ? m.host.filter((h): h is string => typeof h === "string") : []));
}

/** All reverse-proxy dial addresses anywhere under a route (subroutes included). */
function dialsOf(node: YamlValue): string[] {
  if (Array.isArray(node)) return node.flatMap(dialsOf);
  if (!isObject(node)) return [];
  const own = typeof node.dial === "string" ? [node.dial] : [];
  return [...own, ...Object.values(node).flatMap(dialsOf)];
}
