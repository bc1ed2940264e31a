import type { HttpContext } from "./context";
import { isStorableText } from "./body";
import { errors } from "./errors";

export type Handler = (ctx: HttpContext) => Promise<void> | void;

interface Route {
  methods: Set<string>;
  segments: string[];
  handler: Handler;
}

/**
 * A small path router: `/admin/identities/:id` style patterns, exact
 * segment matching, 404 for unknown paths and 405 for known paths with an
 * unsupported method. Strategies add their own routes through it.
 */
export class Router {
  private readonly routes: Route[] = [];
  /**
   * For each path a route names without parameters, the routes (in
   * registration order) that match it and their parameters: resolving such a
   * path — whoami on every page view — is one map lookup instead of a scan.
   * Bounded by the number of routes; rebuilt when a route is added.
   */
  private staticPaths: Map<string, { route: Route; params: Record<string, string> }[]> | undefined;

  on(methods: string | string[], pattern: string, handler: Handler): this {
    const list = Array.isArray(methods) ? methods : [methods];
    this.routes.push({ methods: new Set(list.map((m) => m.toUpperCase())), segments: split(pattern), handler });
    this.staticPaths = undefined;
    return this;
  }

  get(pattern: string, handler: Handler): this {
    return this.on("GET", pattern, handler);
  }
  post(pattern: string, handler: Handler): this {
    return this.on("POST", pattern, handler);
  }
  put(pattern: string, handler: Handler): this {
    return this.on("PUT", pattern, handler);
  }
  patch(pattern: string, handler: Handler): this {
    return this.on("PATCH", pattern, handler);
  }
  delete(pattern: string, handler: Handler): this {
    return this.on("DELETE", pattern, handler);
  }

  /** Every registered route (for the route-wide header and fuzz tests). */
  list(): { methods: string[]; pattern: string }[] {
    return this.routes.map((r) => ({ methods: [...r.methods], pattern: `/${r.segments.join("/")}` }));
  }

  /** Resolves a handler or throws 404/405 as Kratos' error JSON. */
  resolve(ctx: HttpContext): Handler {
    const candidates = this.staticIndex().get(ctx.path) ?? this.scan(split(ctx.path));
    for (const { route, params } of candidates) {
      if (route.methods.has(ctx.method) || (ctx.method === "HEAD" && route.methods.has("GET"))) {
        ctx.params = { ...params };
        return route.handler;
      }
    }
    if (candidates.length > 0) throw errors.methodNotAllowed();
    throw errors.notFound("The requested resource could not be found");
  }

  /** Every route matching the path segments, in registration order. */
  private scan(segments: string[]): { route: Route; params: Record<string, string> }[] {
    const out: { route: Route; params: Record<string, string> }[] = [];
    for (const route of this.routes) {
      const params = match(route.segments, segments);
      if (params) out.push({ route, params });
    }
    return out;
  }

  private staticIndex(): Map<string, { route: Route; params: Record<string, string> }[]> {
    if (this.staticPaths) return this.staticPaths;
    const index = new Map<string, { route: Route; params: Record<string, string> }[]>();
    for (const route of this.routes) {
      if (route.segments.some((s) => s.startsWith(":"))) continue;
      // The path as a request spells it; the trailing-slash form splits to the same segments.
      for (const path of [`/${route.segments.join("/")}`, `/${route.segments.join("/")}/`]) {
        if (!index.has(path)) index.set(path, this.scan(split(path)));
      }
    }
    this.staticPaths = index;
    return index;
  }
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function match(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? "";
    const a = actual[i] ?? "";
    if (p.startsWith(":")) {
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
      // NUL or broken surrogates never name anything: no match (404), and never a database error.
      if (!isStorableText(params[p.slice(1)] ?? "")) return undefined;
    } else if (p !== a) return undefined;
  }
  return params;
}
