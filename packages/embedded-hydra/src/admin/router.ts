import type { IncomingMessage, ServerResponse } from "node:http";
import { HydraError } from "../errors";
import { isStorableText } from "../storable";

export interface AdminRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type AdminHandler = (request: AdminRequest) => Promise<void>;

export interface RouteInfo {
  methods: string[];
  /** `/admin/clients/:id` style. */
  pattern: string;
}

interface Route {
  path: string;
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: AdminHandler;
}

/** A tiny method+path router; `:name` segments become params. */
export class AdminRouter {
  private readonly routes: Route[] = [];
  /**
   * For each path a route names without parameters (with and without a
   * trailing slash), every route matching it in registration order: such a
   * path — introspection on every API call of a resource server — is one map
   * lookup instead of a regex scan. Rebuilt when a route is added.
   */
  private staticPaths: Map<string, Route[]> | undefined;

  add(method: string, path: string, handler: AdminHandler): this {
    const keys: string[] = [];
    const source = path.replace(/:([a-z_]+)/g, (_match, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    this.routes.push({ path, method, pattern: new RegExp(`^${source}/?$`), keys, handler });
    this.staticPaths = undefined;
    return this;
  }

  /** Every registered route, methods grouped per path (for the route-wide header and fuzz tests). */
  list(): RouteInfo[] {
    const byPath = new Map<string, string[]>();
    for (const r of this.routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.method]);
    return [...byPath].map(([pattern, methods]) => ({ pattern, methods }));
  }

  private staticIndex(): Map<string, Route[]> {
    if (this.staticPaths) return this.staticPaths;
    const index = new Map<string, Route[]>();
    for (const route of this.routes) {
      if (route.keys.length > 0) continue;
      for (const path of [route.path, `${route.path}/`]) {
        if (!index.has(path)) index.set(path, this.routes.filter((candidate) => candidate.pattern.test(path)));
      }
    }
    this.staticPaths = index;
    return index;
  }

  async dispatch(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let pathMatched = false;
    for (const route of this.staticIndex().get(url.pathname) ?? this.routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      const params: Record<string, string> = {};
      for (const [index, key] of route.keys.entries()) {
        let value: string;
        try {
          value = decodeURIComponent(match[index + 1] ?? "");
        } catch {
          throw HydraError.notFound(`No admin route matches ${url.pathname}`);
        }
        // NUL or broken surrogates never name a client, key or session.
        if (!isStorableText(value)) throw HydraError.notFound(`No admin route matches ${url.pathname}`);
        params[key] = value;
      }
      await route.handler({ req, res, url, params });
      return;
    }
    if (pathMatched) throw new HydraError(405, "method_not_allowed", `${req.method} is not allowed on ${url.pathname}`);
    throw HydraError.notFound(`No admin route matches ${url.pathname}`);
  }
}

/** Reads a required query parameter or fails with Hydra's 400. */
export function requiredQuery(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw HydraError.badRequest(`The query parameter "${name}" is required`);
  return value;
}
