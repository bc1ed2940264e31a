import { PROMETHEUSX_HTTP_FAMILIES, scrapePrometheus, seriesValue as value } from "@olympus/server-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

/**
 * GET /admin/metrics/prometheus, compared with Hydra v26.2.0: the route of
 * oryx/prometheusx/handler.go SetMuxRoutes on the admin router, the
 * families of oryx/prometheusx/metrics.go NewHTTPMetrics("hydra", "http", …)
 * and Instrument, wrapped around every route of both routers
 * (oryx/httprouterx/router.go handle, GetLabelForPattern).
 */
let pg: TestPostgres;
let hydra: HydraUnderTest;

const scrape = () => scrapePrometheus(new URL("admin/metrics/prometheus", hydra.adminUrl));

// cmd/server/handler.go httpMetrics: config.Version, config.Commit (the v26.2.0 tag's commit) and config.Date as constant labels.
const CONST = 'app="hydra",buildTime="2026-03-20T11:01:06Z"';
const HASH = 'hash="0b84568fffccf151dc5e6c7955fdfb738555bf4b"';

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
}, 60_000);

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("Prometheus metrics (prometheusx NewHTTPMetrics, Instrument)", () => {
  it("counts requests of both ports by code, method and route pattern, with Hydra's names, help and labels", async () => {
    await fetch(new URL("health/alive", hydra.publicUrl));
    await fetch(new URL(".well-known/openid-configuration", hydra.publicUrl));
    await fetch(new URL("admin/clients/does-not-exist", hydra.adminUrl));
    await fetch(new URL("clients/does-not-exist", hydra.adminUrl));
    await fetch(new URL("no/such/route", hydra.adminUrl));

    const { status, type, lines } = await scrape();
    expect(status).toBe(200);
    expect(type).toBe("text/plain; version=0.0.4; charset=utf-8");
    for (const [name, help, kind] of PROMETHEUSX_HTTP_FAMILIES) {
      expect(lines).toContain(`# HELP ${name} ${help}`);
      expect(lines).toContain(`# TYPE ${name} ${kind}`);
    }
    const requests = (code: string, method: string, endpoint: string) =>
      value(lines, `http_requests_total{${CONST},code="${code}",endpoint="${endpoint}",${HASH},method="${method}",version="v26.2.0"}`);
    expect(requests("200", "get", "/health/alive")).toBe(1);
    expect(requests("200", "get", "/.well-known/openid-configuration")).toBe(1);
    // The admin prefix is added before routing; parameters become {param}.
    expect(requests("404", "get", "/admin/clients/{param}")).toBe(2);
    expect(requests("404", "get", "/")).toBe(1);
    expect(value(lines, `http_requests_statuses_total{${CONST},${HASH},method="GET",status_bucket="4xx",version="v26.2.0"}`)).toBe(3);
    expect(
      value(
        lines,
        `http_requests_duration_seconds_bucket{${CONST},code="200",endpoint="/health/alive",${HASH},le="+Inf",method="get",version="v26.2.0"}`,
      ),
    ).toBe(1);
    expect(value(lines, `http_response_time_seconds_count{${CONST},endpoint="/admin/clients/{param}",${HASH},version="v26.2.0"}`)).toBe(2);
    expect(lines.some((line) => line.startsWith(`http_response_size_bytes_sum{${CONST},code="200",${HASH},method="get"`))).toBe(true);
  });

  it("serves the scrape handler's own counters and honest process metrics, and no go_* metrics", async () => {
    const first = await scrape();
    expect(value(first.lines, "promhttp_metric_handler_requests_in_flight")).toBe(1);
    const before = value(first.lines, 'promhttp_metric_handler_requests_total{code="200"}') ?? -1;
    const second = await scrape();
    expect(value(second.lines, 'promhttp_metric_handler_requests_total{code="200"}')).toBe(before + 1);
    expect(value(second.lines, 'promhttp_metric_handler_requests_total{code="503"}')).toBe(0);
    expect(value(second.lines, "process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(value(second.lines, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(second.lines.some((line) => line.startsWith("go_"))).toBe(false);
    // The metrics route is instrumented like any other admin route.
    expect(
      value(
        second.lines,
        `http_requests_total{${CONST},code="200",endpoint="/admin/metrics/prometheus",${HASH},method="get",version="v26.2.0"}`,
      ),
    ).toBeGreaterThanOrEqual(1);
  });
});
