import type { IncomingMessage, ServerResponse } from "node:http";
import { RouteTable, type RouteInfo } from "@olympus/server-kit/http";
import { endpointLabelOf, instrumentResponse, type HttpMetrics } from "@olympus/server-kit/metrics";

/**
 * prometheusx.GetLabelForPattern: the route's pattern with every parameter
 * as `{param}`. Requests no route takes are Hydra's not-found handler, "/".
 */
export class EndpointLabels {
  private readonly table = new RouteTable<string>({ emptySegments: "strict", headServedByGet: false, unstorableParam: "no-match" });

  constructor(routes: readonly RouteInfo[]) {
    for (const route of routes) {
      this.table.add(route.methods, route.pattern, endpointLabelOf(route.pattern));
    }
  }

  label(method: string, path: string): string {
    const found = this.table.match(method, path);
    return found.kind === "found" ? found.handler : "/";
  }
}

/**
 * Records one request once its answer is sent. `path` is the path as
 * routed when the request arrived (before any rewriting; on the admin port
 * with the prefix Hydra's middleware adds before routing).
 */
export function instrumentRequest(
  metrics: HttpMetrics,
  labels: EndpointLabels,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void {
  instrumentResponse(metrics, req, res, (method) => labels.label(method, path));
}
