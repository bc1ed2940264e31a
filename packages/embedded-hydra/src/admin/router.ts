import type { IncomingMessage, ServerResponse } from "node:http";
import { RouteTable } from "@olympus/server-kit/http";
import { HydraError } from "../errors";

export interface AdminRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type AdminHandler = (request: AdminRequest) => Promise<void>;

/**
 * Hydra's admin router: one method per route, `:name` segments become
 * params, the path must be the pattern (one trailing slash allowed). A
 * parameter that is not storable text names no client, key or session (404).
 */
export class AdminRouter {
  private readonly table = new RouteTable<AdminHandler>({ emptySegments: "strict", headServedByGet: false, unstorableParam: "not-found" });

  add(method: string, path: string, handler: AdminHandler): this {
    this.table.add([method], path, handler);
    return this;
  }

  /** Every registered route, methods grouped per path (for the route-wide header and fuzz tests). */
  list(): { methods: string[]; pattern: string }[] {
    return this.table.listByPattern();
  }

  async dispatch(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const found = this.table.match(req.method ?? "", url.pathname);
    if (found.kind === "found") return found.handler({ req, res, url, params: found.params });
    if (found.kind === "method-not-allowed")
      throw new HydraError(405, "method_not_allowed", `${req.method} is not allowed on ${url.pathname}`);
    // No pattern takes the path: http.ServeMux's own http.NotFound (oryx/httprouterx; cmd/server/handler.go adminServer
    // registers its DefaultNotFoundHandler at the exact /admin only).
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" }).end("404 page not found\n");
  }
}

/** Reads a required query parameter or fails with Hydra's 400. */
export function requiredQuery(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw HydraError.badRequest(`The query parameter "${name}" is required`);
  return value;
}
