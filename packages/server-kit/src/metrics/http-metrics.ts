import type { Family, Labels, Sample } from "./exposition";

/** client_golang's prometheus.DefBuckets, which every histogram of ory/x prometheusx uses. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** One labelled series of a counter or histogram, keyed by its variable labels. */
class Series<T> {
  private readonly byKey = new Map<string, { labels: Labels; value: T }>();

  constructor(
    private readonly names: readonly string[],
    private readonly initial: () => T,
  ) {}

  get(values: readonly string[]): T {
    const key = values.join("\u0000");
    let entry = this.byKey.get(key);
    if (!entry) {
      const labels: Labels = {};
      this.names.forEach((name, index) => (labels[name] = values[index] ?? ""));
      entry = { labels, value: this.initial() };
      this.byKey.set(key, entry);
    }
    return entry.value;
  }

  /** Entries sorted by their label values, as client_golang sorts the series of a family. */
  entries(): { labels: Labels; value: T }[] {
    return [...this.byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
  }
}

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

function histogramSamples(series: Series<Histogram>, constLabels: Labels): Sample[] {
  const samples: Sample[] = [];
  for (const { labels, value } of series.entries()) {
    const all = { ...constLabels, ...labels };
    DEFAULT_BUCKETS.forEach((bound, index) =>
      samples.push({ suffix: "_bucket", labels: { ...all, le: String(bound) }, value: value.counts[index] ?? 0 }),
    );
    samples.push({ suffix: "_bucket", labels: { ...all, le: "+Inf" }, value: value.count });
    samples.push({ suffix: "_sum", labels: all, value: value.sum }, { suffix: "_count", labels: all, value: value.count });
  }
  return samples;
}

function observe(histogram: Histogram, value: number): void {
  DEFAULT_BUCKETS.forEach((bound, index) => {
    if (value <= bound) histogram.counts[index] = (histogram.counts[index] ?? 0) + 1;
  });
  histogram.sum += value;
  histogram.count += 1;
}

const newHistogram = (): Histogram => ({ counts: DEFAULT_BUCKETS.map(() => 0), sum: 0, count: 0 });
const newCounter = (): { value: number } => ({ value: 0 });

/** One answered request, as promhttp's instrumentation sees it. */
export interface ObservedRequest {
  /** The request method as sent (the status-bucket counter keeps it so). */
  method: string;
  /** The route pattern the request was routed to (`/admin/clients/{param}`), "/" when none. */
  endpoint: string;
  status: number;
  durationSeconds: number;
  requestBytes: number;
  responseBytes: number;
}

/** promhttp's sanitizeMethod: a standard method (all upper or all lower case) in lower case, anything else "unknown". */
const KNOWN_METHODS = new Set(["GET", "PUT", "HEAD", "POST", "DELETE", "CONNECT", "OPTIONS", "NOTIFY", "TRACE", "PATCH"]);
function sanitizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) && (method === upper || method === method.toLowerCase()) ? method.toLowerCase() : "unknown";
}

function statusBucket(status: number): string {
  if (status >= 200 && status <= 299) return "2xx";
  if (status >= 300 && status <= 399) return "3xx";
  if (status >= 400 && status <= 499) return "4xx";
  if (status >= 500 && status <= 599) return "5xx";
  return "unknown";
}

/**
 * ory/x prometheusx.HTTPMetrics as Hydra registers it
 * (`NewHTTPMetrics("hydra", "http", version, commit, date)` in
 * cmd/server/handler.go; `Instrument` around every route of both routers):
 * the same six families, names, help texts, label names and buckets.
 */
export class HttpMetrics {
  private readonly responseTime = new Series(["endpoint"], newHistogram);
  private readonly totalRequests = new Series(["code", "method", "endpoint"], newCounter);
  private readonly duration = new Series(["code", "method", "endpoint"], newHistogram);
  private readonly responseSize = new Series(["code", "method"], newHistogram);
  private readonly requestSize = new Series(["code", "method"], newHistogram);
  private readonly statuses = new Series(["method", "status_bucket"], newCounter);

  constructor(private readonly constLabels: Labels) {}

  record(request: ObservedRequest): void {
    const code = String(request.status);
    const method = sanitizeMethod(request.method);
    observe(this.responseTime.get([request.endpoint]), request.durationSeconds);
    this.totalRequests.get([code, method, request.endpoint]).value += 1;
    observe(this.duration.get([code, method, request.endpoint]), request.durationSeconds);
    observe(this.responseSize.get([code, method]), request.responseBytes);
    observe(this.requestSize.get([code, method]), request.requestBytes);
    this.statuses.get([request.method, statusBucket(request.status)]).value += 1;
  }

  families(): Family[] {
    const counter = (series: Series<{ value: number }>) =>
      series.entries().map(({ labels, value }) => ({ suffix: "", labels: { ...this.constLabels, ...labels }, value: value.value }));
    return [
      {
        name: "http_response_time_seconds",
        help: "Description",
        type: "histogram",
        samples: histogramSamples(this.responseTime, this.constLabels),
      },
      { name: "http_requests_total", help: "number of requests", type: "counter", samples: counter(this.totalRequests) },
      {
        name: "http_requests_duration_seconds",
        help: "duration of a requests in seconds",
        type: "histogram",
        samples: histogramSamples(this.duration, this.constLabels),
      },
      {
        name: "http_response_size_bytes",
        help: "size of the responses in bytes",
        type: "histogram",
        samples: histogramSamples(this.responseSize, this.constLabels),
      },
      {
        name: "http_requests_size_bytes",
        help: "size of the requests in bytes",
        type: "histogram",
        samples: histogramSamples(this.requestSize, this.constLabels),
      },
      {
        name: "http_requests_statuses_total",
        help: "count number of responses per status",
        type: "counter",
        samples: counter(this.statuses),
      },
    ];
  }
}
