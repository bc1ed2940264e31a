import { METRICS_PATH, ServerMetrics } from "@olympus/server-kit/metrics";
import type { AdminRouter } from "../admin/router";
import { HYDRA_BUILD_DATE, HYDRA_COMMIT, HYDRA_VERSION } from "../version";

/** The metrics of one embedded Hydra (both ports), Hydra's default Prometheus registry. */
export class HydraMetrics extends ServerMetrics {
  constructor() {
    // Hydra's constant labels: app, version, and the build's commit and date.
    super({ app: "hydra", version: HYDRA_VERSION, hash: HYDRA_COMMIT, buildTime: HYDRA_BUILD_DATE });
  }
}

const byInstance = new WeakMap<object, HydraMetrics>();

/** The metrics of the instance `deps` belongs to (both servers get the same deps object). */
export function metricsOf(deps: object): HydraMetrics {
  let metrics = byInstance.get(deps);
  if (!metrics) {
    metrics = new HydraMetrics();
    byInstance.set(deps, metrics);
  }
  return metrics;
}

/** GET /admin/metrics/prometheus (prometheusx.SetMuxRoutes on Hydra's admin router): the text exposition format. */
export function registerMetricsRoute(router: AdminRouter, deps: object): void {
  router.add("GET", METRICS_PATH, ({ res }) => {
    const scrape = metricsOf(deps).scrape();
    res.writeHead(200, { "content-type": scrape.contentType, "content-length": Buffer.byteLength(scrape.body) });
    res.end(scrape.body);
    scrape.done(200);
    return Promise.resolve();
  });
}
