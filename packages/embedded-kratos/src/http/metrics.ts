import { RouteTable, type RouteInfo } from "@olympus/server-kit/http";
import { endpointLabelOf, METRICS_PATH, ServerMetrics } from "@olympus/server-kit/metrics";
import type { Router } from "./router";

/**
 * The Kratos release whose build information the metrics carry
 * (driver/config/buildinfo.go, set by goreleaser's ldflags): `Commit` is the
 * commit the v26.2.0 tag names. `Date` is when the release pipeline built
 * the binary, which the sources cannot tell; the tagged commit's time (in
 * goreleaser's RFC 3339 form) stands for it.
 */
const KRATOS_BUILD = { version: "v26.2.0", commit: "9d7085948039ffb8960160d4979f71527b5cf4d5", date: "2026-03-20T11:01:06Z" };

/** cmd/daemon/serve.go httpMetrics: `NewHTTPMetrics("kratos", HTTPPrefix, config.Version, config.Commit, config.Date)`, one for both ports. */
export function createKratosMetrics(): ServerMetrics {
  return new ServerMetrics({ app: "kratos", version: KRATOS_BUILD.version, hash: KRATOS_BUILD.commit, buildTime: KRATOS_BUILD.date });
}

/**
 * prometheusx.GetLabelForPattern of the route a request is routed to, as
 * httprouterx's handle fixes it per route (under the router's prefix).
 * Routed by the same rules as Kratos' Router.
 */
export class EndpointLabels {
  private readonly table = new RouteTable<string>({ emptySegments: "ignore", headServedByGet: true, unstorableParam: "no-match" });

  constructor(routes: readonly RouteInfo[]) {
    for (const route of routes) this.table.add(route.methods, route.pattern, endpointLabelOf(route.pattern));
  }

  label(method: string, path: string): string {
    const found = this.table.match(method, path);
    return found.kind === "found" ? found.handler : "/";
  }
}

/** RegistryDefault.RegisterAdminRoutes' prometheusx.SetMuxRoutes: promhttp.Handler on the admin router only. */
export function registerMetricsRoute(router: Router, metrics: ServerMetrics): void {
  router.get(METRICS_PATH, (ctx) => {
    const scrape = metrics.scrape();
    ctx.text(200, scrape.body, scrape.contentType);
    scrape.done(200);
  });
}
