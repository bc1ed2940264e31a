import { isObject, type YamlValue } from "../../yaml";

/** Where Caddy sends one request: the upstream it dials and the path that upstream sees. */
export interface CaddyDestination {
  dial: string;
  upstreamPath: string;
}

/**
 * Follows a request for `host` + `requestPath` through Caddy's adapted JSON
 * config (`caddy adapt`): routes in order, host and path matchers (exact or
 * `prefix*`), nested subroutes, `strip_path_prefix` rewrites (handle_path),
 * up to the first reverse_proxy. Undefined when no route proxies it.
 */
export function caddyDestination(config: YamlValue, host: string, requestPath: string): CaddyDestination | undefined {
  const servers = isObject(config) && isObject(config.apps) && isObject(config.apps.http) ? config.apps.http.servers : undefined;
  for (const server of isObject(servers) ? Object.values(servers) : []) {
    const routes = isObject(server) && Array.isArray(server.routes) ? server.routes : [];
    const found = follow(routes, { host: host.toLowerCase(), path: requestPath });
    if (found) return found;
  }
  return undefined;
}

/** The request as it moves through the routes: a rewrite changes its path for every later route, as in Caddy. */
interface RequestState {
  host: string;
  path: string;
}

function follow(routes: YamlValue[], request: RequestState): CaddyDestination | undefined {
  const groupsDone = new Set<string>();
  for (const route of routes) {
    if (!isObject(route) || !matches(route.match, request)) continue;
    if (typeof route.group === "string") {
      if (groupsDone.has(route.group)) continue;
      groupsDone.add(route.group);
    }
    for (const handler of Array.isArray(route.handle) ? route.handle : []) {
      if (!isObject(handler)) continue;
      if (
        handler.handler === "rewrite" &&
        typeof handler.strip_path_prefix === "string" &&
        request.path.startsWith(handler.strip_path_prefix)
      ) {
        request.path = request.path.slice(handler.strip_path_prefix.length) || "/";
      } else if (handler.handler === "subroute" && Array.isArray(handler.routes)) {
        const found = follow(handler.routes, request);
        if (found) return found;
      } else if (handler.handler === "reverse_proxy") {
        const upstream = Array.isArray(handler.upstreams) ? handler.upstreams[0] : undefined;
        if (isObject(upstream) && typeof upstream.dial === "string") return { dial: upstream.dial, upstreamPath: request.path };
      }
    }
    if (route.terminal === true) return undefined;
  }
  return undefined;
}

/** A route's `match`: any of its matcher sets; a set matches when its host and path matchers all do. Unknown matchers never match. */
function matches(match: YamlValue | undefined, { host, path: requestPath }: RequestState): boolean {
  if (!Array.isArray(match) || match.length === 0) return true;
  return match.some((set) => {
    if (!isObject(set)) return false;
    return Object.entries(set).every(([kind, values]) => {
      const list = Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
      if (kind === "host") return list.some((h) => h.toLowerCase() === host);
      if (kind === "path") return list.some((p) => (p.endsWith("*") ? requestPath.startsWith(p.slice(0, -1)) : requestPath === p));
      return false;
    });
  });
}
