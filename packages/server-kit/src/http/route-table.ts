import { isStorableText } from "../text/storable";

/** A registered route as the route-wide header and fuzz tests list it: `/admin/identities/:id` style. */
export interface RouteInfo {
  methods: string[];
  pattern: string;
}

/**
 * Where the two servers' routers differ; each keeps the behaviour its
 * clients already see.
 */
export interface RoutingRules {
  /**
   * `"ignore"`: empty path segments do not count (`//a///b` is `/a/b`, as
   * Kratos' router answers). `"strict"`: the path must be the pattern,
   * optionally with one trailing slash (Hydra's).
   */
  emptySegments: "ignore" | "strict";
  /** HEAD is answered by the route that serves GET (Kratos) instead of being a method of its own (Hydra). */
  headServedByGet: boolean;
  /**
   * A `:param` that does not percent-decode to storable text (NUL, broken
   * surrogates, a bad escape) never names anything. `"no-match"`: the route
   * does not match the path, so the answer is 404 unless another route
   * does (Kratos). `"not-found"`: once the method matched, the request is
   * 404 outright (Hydra).
   */
  unstorableParam: "no-match" | "not-found";
}

export type RouteMatch<H> =
  { kind: "found"; handler: H; params: Record<string, string> } | { kind: "method-not-allowed" } | { kind: "not-found" };

interface Route<H> {
  methods: ReadonlySet<string>;
  pattern: string;
  segments: string[];
  hasParams: boolean;
  handler: H;
}

interface Candidate<H> {
  route: Route<H>;
  /** Raw (still percent-encoded) values of the route's parameters. */
  raw: [string, string][];
}

/**
 * Method + path routing for both servers' HTTP layers: `:name` segments
 * become params, 404 for unknown paths, 405 for known paths with another
 * method. It decides only; each server turns a miss into its own error body.
 */
export class RouteTable<H> {
  private readonly routes: Route<H>[] = [];
  /**
   * For each path a route names without parameters (with and without a
   * trailing slash), the routes matching it in registration order: such a
   * path — whoami or introspection on every call — is one map lookup
   * instead of a scan. Bounded by the number of routes; rebuilt when a
   * route is added.
   */
  private staticPaths: Map<string, Candidate<H>[]> | undefined;

  constructor(private readonly rules: RoutingRules) {}

  add(methods: readonly string[], pattern: string, handler: H): void {
    const segments = pattern.split("/").filter((s) => s.length > 0);
    this.routes.push({
      methods: new Set(methods.map((m) => m.toUpperCase())),
      pattern,
      segments,
      hasParams: segments.some((s) => s.startsWith(":")),
      handler,
    });
    this.staticPaths = undefined;
  }

  /** One entry per registration, in registration order. */
  list(): RouteInfo[] {
    return this.routes.map((r) => ({ methods: [...r.methods], pattern: `/${r.segments.join("/")}` }));
  }

  /** One entry per pattern, its methods in registration order. */
  listByPattern(): RouteInfo[] {
    const byPattern = new Map<string, string[]>();
    for (const r of this.routes) byPattern.set(r.pattern, [...(byPattern.get(r.pattern) ?? []), ...r.methods]);
    return [...byPattern].map(([pattern, methods]) => ({ pattern, methods }));
  }

  match(method: string, path: string): RouteMatch<H> {
    const candidates = this.staticIndex().get(path) ?? this.scan(path);
    const verb = method.toUpperCase();
    let pathMatched = false;
    for (const { route, raw } of candidates) {
      const params = this.rules.unstorableParam === "no-match" ? decodeParams(raw) : {};
      if (params === undefined) continue;
      pathMatched = true;
      if (!route.methods.has(verb) && !(this.rules.headServedByGet && verb === "HEAD" && route.methods.has("GET"))) continue;
      if (this.rules.unstorableParam === "no-match") return { kind: "found", handler: route.handler, params };
      const decoded = decodeParams(raw);
      if (decoded === undefined) return { kind: "not-found" };
      return { kind: "found", handler: route.handler, params: decoded };
    }
    return pathMatched ? { kind: "method-not-allowed" } : { kind: "not-found" };
  }

  /** Every route matching the path, in registration order. */
  private scan(path: string): Candidate<H>[] {
    const actual = this.segmentsOf(path);
    if (actual === undefined) return [];
    const out: Candidate<H>[] = [];
    for (const route of this.routes) {
      const raw = matchSegments(route.segments, actual);
      if (raw) out.push({ route, raw });
    }
    return out;
  }

  /** The path's segments under the rules; undefined when a strict path cannot match any pattern. */
  private segmentsOf(path: string): string[] | undefined {
    if (this.rules.emptySegments === "ignore") return path.split("/").filter((s) => s.length > 0);
    if (!path.startsWith("/")) return undefined;
    const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
    if (trimmed === "/") return [];
    const segments = trimmed.slice(1).split("/");
    // An empty segment matches no literal of a pattern and no parameter either.
    return segments.includes("") ? undefined : segments;
  }

  private staticIndex(): Map<string, Candidate<H>[]> {
    if (this.staticPaths) return this.staticPaths;
    const index = new Map<string, Candidate<H>[]>();
    for (const route of this.routes) {
      if (route.hasParams) continue;
      // The path as a request spells it; the trailing-slash form matches the same routes.
      const plain = `/${route.segments.join("/")}`;
      for (const path of [plain, `${plain}/`]) {
        if (!index.has(path)) index.set(path, this.scan(path));
      }
    }
    this.staticPaths = index;
    return index;
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): [string, string][] | undefined {
  if (pattern.length !== actual.length) return undefined;
  const raw: [string, string][] = [];
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? "";
    const a = actual[i] ?? "";
    if (p.startsWith(":")) raw.push([p.slice(1), a]);
    else if (p !== a) return undefined;
  }
  return raw;
}

/** Percent-decodes the parameters; undefined when one does not decode or is not storable text. */
function decodeParams(raw: readonly [string, string][]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [name, value] of raw) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      return undefined;
    }
    if (!isStorableText(decoded)) return undefined;
    params[name] = decoded;
  }
  return params;
}
