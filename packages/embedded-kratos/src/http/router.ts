import { RouteTable } from "@olympus/server-kit/http";
import type { HttpContext } from "./context";
import { errors } from "./errors";

/** The methods a 405's `Allow` can name, in sorted order (HEAD is served by GET routes). */
const SERVE_MUX_METHODS = ["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"];

export type Handler = (ctx: HttpContext) => Promise<void> | void;

/**
 * Kratos' path router: `/admin/identities/:id` style patterns, exact
 * segment matching (empty segments ignored), HEAD served by GET routes, 404
 * for unknown paths and 405 for known paths with an unsupported method.
 * Strategies add their own routes through it.
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

  /** Whether some route takes this path (with any method). */
  hasPath(path: string): boolean {
    return this.table.match("GET", path).kind !== "not-found";
  }

  /**
   * Resolves a handler, or answers as Go's http.ServeMux does where no route
   * takes the request (the admin port, whose router nothing wraps): 404
   * `404 page not found`, or 405 `Method Not Allowed` with `Allow` naming
   * the methods routes of the path take (routing_tree.go matchingMethods:
   * HEAD with GET, sorted); both text/plain through http.Error.
   */
  resolveAsServeMux(ctx: HttpContext): Handler | undefined {
    const found = this.table.match(ctx.method, ctx.path);
    if (found.kind === "found") {
      ctx.params = found.params;
      return found.handler;
    }
    if (found.kind === "method-not-allowed") {
      const allowed = SERVE_MUX_METHODS.filter((method) => this.table.match(method, ctx.path).kind === "found");
      ctx.res.setHeader("Allow", allowed.join(", "));
      ctx.text(405, "Method Not Allowed\n");
    } else ctx.text(404, "404 page not found\n");
    return undefined;
  }

  /** Resolves a handler or throws 404/405 as Kratos' error JSON. */
  resolve(ctx: HttpContext): Handler {
    const found = this.table.match(ctx.method, ctx.path);
    if (found.kind === "found") {
      ctx.params = found.params;
      return found.handler;
    }
    if (found.kind === "method-not-allowed") throw errors.methodNotAllowed();
    throw errors.notFound("The requested resource could not be found");
  }
}
