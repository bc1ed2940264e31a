import type { AdminRouter } from "../admin/router";
import { HYDRA_BUILD_DATE, HYDRA_COMMIT, HYDRA_VERSION } from "../version";
import { CONTENT_TYPE, renderFamilies, type Family } from "./exposition";
import { HttpMetrics } from "./http-metrics";
import { processFamilies } from "./process-metrics";

/** Hydra's route on the admin router (prometheusx.MetricsPrometheusPath under the admin prefix). */
export const METRICS_PATH = "/admin/metrics/prometheus";

/** The metrics of one embedded Hydra (both ports), Hydra's default Prometheus registry. */
export class HydraMetrics {
  /** Hydra's constant labels: app, version, and the build's commit and date (none here). */
  readonly http = new HttpMetrics({ app: "hydra", version: HYDRA_VERSION, hash: HYDRA_COMMIT, buildTime: HYDRA_BUILD_DATE });
  private inFlight = 0;
  private readonly scrapes = new Map<string, number>([
    ["200", 0],
    ["500", 0],
    ["503", 0],
  ]);

  /** promhttp.Handler's own instrumentation: the scrape in progress counts as in flight, finished scrapes by status. */
  scrape(): { contentType: string; body: string; done: (status: number) => void } {
    this.inFlight += 1;
    const families: Family[] = [
      ...this.http.families(),
      ...processFamilies(),
      {
        name: "promhttp_metric_handler_requests_in_flight",
        help: "Current number of scrapes being served.",
        type: "gauge",
        samples: [{ suffix: "", labels: {}, value: this.inFlight }],
      },
      {
        name: "promhttp_metric_handler_requests_total",
        help: "Total number of scrapes by HTTP status code.",
        type: "counter",
        samples: [...this.scrapes].map(([code, value]) => ({ suffix: "", labels: { code }, value })),
      },
    ];
    const body = renderFamilies(families);
    return {
      contentType: CONTENT_TYPE,
      body,
      done: (status) => {
        this.inFlight -= 1;
        this.scrapes.set(String(status), (this.scrapes.get(String(status)) ?? 0) + 1);
      },
    };
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
