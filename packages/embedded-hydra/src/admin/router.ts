import type { IncomingMessage, ServerResponse } from "node:http";
import { RouteTable } from "@olympus/server-kit/http";
import { ADMIN_PREFIX, methodNotAllowed, notFoundText } from "../mux/go-mux";
import { notFoundPage } from "../mux/not-found-page";

export interface AdminRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type AdminHandler = (request: AdminRequest) => Promise<void>;

/**
 * Hydra's admin router (oryx/httprouterx over net/http's ServeMux): one
 * method per route, a GET route serves HEAD too, `:name` segments become
 * params. The path it gets is already trimmed, prefixed and clean (see
 * admin/server.ts). A parameter that is not storable text names no client,
 * key or session (404).
 */
export class AdminRouter {
  private readonly table = new RouteTable<AdminHandler>({ emptySegments: "strict", headServedByGet: true, unstorableParam: "not-found" });
  private readonly methods = new Set<string>();

  add(method: string, path: string, handler: AdminHandler): this {
    this.table.add([method], path, handler);
    this.methods.add(method.toUpperCase());
    return this;
  }

  /** Every registered route, methods grouped per path (for the route-wide header and fuzz tests). */
  list(): { methods: string[]; pattern: string }[] {
    return this.table.listByPattern();
  }

  /** `path` is the mux's routing spelling of the request path (mux/mux-path.ts MuxPath.routing). */
  async dispatch(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    // cmd/server/handler.go adminServer: serverx.DefaultNotFoundHandler for any method at the exact /admin.
    if (path === ADMIN_PREFIX) return notFoundPage(req, res);
    // The path was trimmed once already; a slash still trailing matches no pattern (the table would allow one).
    if (path.endsWith("/")) return notFoundText(res);
    const found = this.table.match(req.method ?? "", path);
    if (found.kind === "found") return found.handler({ req, res, url, params: found.params });
    if (found.kind === "method-not-allowed") return methodNotAllowed(res, this.allowedMethods(path));
    // No pattern takes the path: ServeMux's own http.NotFound.
    notFoundText(res);
  }

  /** The methods some route takes this path with (ServeMux matchingMethods). */
  private allowedMethods(path: string): string[] {
    return [...this.methods].filter((method) => this.table.match(method, path).kind !== "method-not-allowed");
  }
}
