import type { Problem } from "../problem";
import { isObject, type YamlValue } from "../yaml";

export interface UpstreamCheck {
  problems: Problem[];
  /** Dial addresses refused here, whose "not an upstream of the domain" line would only repeat it. */
  refusedDials: Set<string>;
}

/**
 * Every reverse_proxy upstream must be a fixed host:port that can be checked
 * before deploying. Dynamic upstreams (DNS A/SRV answers) and placeholders
 * ({http.request.header.*}, {env.*}) are resolved per request, from data
 * the checks never see — the request's own headers among them.
 */
export function checkCaddyUpstreams(config: YamlValue, file: string): UpstreamCheck {
  const problems: Problem[] = [];
  const refusedDials = new Set<string>();
  const servers = isObject(config) && isObject(config.apps) && isObject(config.apps.http) ? config.apps.http.servers : undefined;
  for (const server of isObject(servers) ? Object.values(servers) : []) {
    const routes = isObject(server) && Array.isArray(server.routes) ? server.routes : [];
    for (const route of routes) {
      const hosts = hostsOf(route);
      const where = hosts.length > 0 ? hosts.map((host) => `${file}:${host}`) : [file];
      const add = (message: string) => where.forEach((w) => problems.push({ where: w, message }));
      for (const proxy of reverseProxies(route)) {
        if (proxy.dynamic_upstreams !== undefined) {
          const source = isObject(proxy.dynamic_upstreams) ? String(proxy.dynamic_upstreams.source) : "?";
          add(
            `reverse_proxy uses dynamic upstreams (${source}); name a fixed host:port of this domain so it can be checked before deploying`,
          );
        }
        for (const dial of dialsOf(proxy.upstreams)) {
          if (/[{}]/.test(dial)) {
            add(`reverse_proxy to ${dial} is decided at request time (a placeholder); name a fixed host:port of this domain`);
            refusedDials.add(dial);
          } else if (!/:\d+$/.test(dial)) {
            add(`reverse_proxy to ${dial} names no single port; name a fixed host:port of this domain`);
            refusedDials.add(dial);
          }
        }
      }
    }
  }
  return { problems, refusedDials };
}

/** Every reverse_proxy handler under a route, subroutes included. */
function reverseProxies(node: YamlValue): { [key: string]: YamlValue }[] {
  if (Array.isArray(node)) return node.flatMap(reverseProxies);
  if (!isObject(node)) return [];
  const own = node.handler === "reverse_proxy" ? [node] : [];
  return [...own, ...Object.values(node).flatMap(reverseProxies)];
}

function dialsOf(upstreams: YamlValue | undefined): string[] {
  return Array.isArray(upstreams) ? upstreams.flatMap((u) => (isObject(u) && typeof u.dial === "string" ? [u.dial] : [])) : [];
}

function hostsOf(route: YamlValue): string[] {
  if (!isObject(route) || !Array.isArray(route.match)) return [];
  return route.match.flatMap((m) => (isObject(m) && Array.isArray(m.host) ? m.host.filter((h): h is string => typeof h === "string") : []));
}
