/** One scrape of a Prometheus text endpoint: its status, Content-Type and body lines. */
export interface PrometheusScrape {
  status: number;
  type: string | null;
  lines: string[];
}

/** GETs a metrics endpoint (Kratos' and Hydra's /admin/metrics/prometheus) and splits its text into lines. */
export async function scrapePrometheus(url: string | URL): Promise<PrometheusScrape> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get("content-type"), lines: (await res.text()).split("\n") };
}

/** The value of the one series whose line starts with `prefix` (labels in Prometheus' sorted order). */
export function seriesValue(lines: readonly string[], prefix: string): number | undefined {
  const line = lines.find((entry) => entry.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** The families ory/x prometheusx metrics.go NewHTTPMetrics registers, as [name, help, type] (both servers expose them). */
export const PROMETHEUSX_HTTP_FAMILIES: readonly (readonly [name: string, help: string, kind: "counter" | "histogram"])[] = [
  ["http_requests_total", "number of requests", "counter"],
  ["http_requests_duration_seconds", "duration of a requests in seconds", "histogram"],
  ["http_response_time_seconds", "Description", "histogram"],
  ["http_response_size_bytes", "size of the responses in bytes", "histogram"],
  ["http_requests_size_bytes", "size of the requests in bytes", "histogram"],
  ["http_requests_statuses_total", "count number of responses per status", "counter"],
];
