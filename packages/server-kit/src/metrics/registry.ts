import { CONTENT_TYPE, renderFamilies, type Family, type Labels } from "./exposition";
import { HttpMetrics } from "./http-metrics";
import { processFamilies } from "./process-metrics";

/** prometheusx.MetricsPrometheusPath under the admin prefix, where both Ory servers serve promhttp.Handler. */
export const METRICS_PATH = "/admin/metrics/prometheus";

/**
 * What an Ory server's default Prometheus registry holds: the HTTP metrics
 * of prometheusx.NewHTTPMetrics with the server's constant labels, the
 * process collector, and promhttp.Handler's own scrape counters.
 */
export class ServerMetrics {
  readonly http: HttpMetrics;
  private inFlight = 0;
  private readonly scrapes = new Map<string, number>([
    ["200", 0],
    ["500", 0],
    ["503", 0],
  ]);

  /** `constLabels`: NewHTTPMetrics' app, version, hash and buildTime. */
  constructor(constLabels: Labels) {
    this.http = new HttpMetrics(constLabels);
  }

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
