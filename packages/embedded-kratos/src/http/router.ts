import { RouteTable, type RouteMatch } from "@olympus/server-kit/http";
import type { HttpContext } from "./context";

/** The methods a 405's `Allow` can name, in sorted order (HEAD is served by GET routes). */
const SERVE_MUX_METHODS = ["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"];

export type Handler = (ctx: HttpContext) => Promise<void> | void;

/**
 * Kratos' path router (oryx httprouterx over net/http's ServeMux):
 * `/admin/identities/:id` style patterns matched on a clean path
 * (mux-path.ts), HEAD served by GET routes, 404 for unknown paths and 405
 * for known paths with an unsupported method. Strategies add their own
 * routes through it.
 */
export class Router {
  private readonly table = new RouteTable<Handler>({ emptySegments: "ignore", headServedByGet: true, unstorableParam: "no-match" });

  on(methods: string | string[], pattern: string, handler: Handler): this {
    this.table.add(Array.isArray(methods) ? methods : [methods], pattern, handler);
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
    return this.table.list();
  }

  /**
   * The route ServeMux picks for a clean path: a pattern names its path
   * exactly, so a trailing slash matches none (httprouterx registers no
   * pattern ending in one).
   */
  match(method: string, path: string): RouteMatch<Handler> {
    if (path.length > 1 && path.endsWith("/")) return { kind: "not-found" };
    return this.table.match(method, path);
  }

  /** Takes the found route's handler and parameters; undefined when no route takes the request. */
  take(ctx: HttpContext, found: RouteMatch<Handler>): Handler | undefined {
    if (found.kind !== "found") return undefined;
    ctx.params = found.params;
    return found.handler;
  }

  /**
   * Answers as Go's http.ServeMux does where no route takes the request
   * (server.go findHandler): 404 `404 page not found`, or 405 `Method Not
   * Allowed` with `Allow` naming the methods routes of the path take
   * (routing_tree.go matchingMethods: HEAD with GET, sorted); both
   * text/plain through http.Error.
   */
  answerAsServeMux(ctx: HttpContext, found: RouteMatch<Handler>): void {
    if (found.kind === "method-not-allowed") {
      const allowed = SERVE_MUX_METHODS.filter((method) => this.match(method, ctx.path).kind === "found");
      ctx.res.setHeader("Allow", allowed.join(", "));
      ctx.text(405, "Method Not Allowed\n");
    } else ctx.text(404, "404 page not found\n");
  }
}
