import { PROMETHEUSX_HTTP_FAMILIES, scrapePrometheus, seriesValue as value } from "@olympus/server-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * GET /admin/metrics/prometheus, compared with Kratos v26.2.0
 * cmd/daemon/serve.go: one `prometheusx.NewHTTPMetrics("kratos",
 * prometheusx.HTTPPrefix, config.Version, config.Commit, config.Date)`
 * handed to both routers (httprouterx NewRouterPublic and
 * NewRouterAdminWithPrefix, whose handle wraps each route in Instrument
 * under GetLabelForPattern), and RegistryDefault.RegisterAdminRoutes'
 * prometheusx.SetMuxRoutes on the admin router only.
 */
let pg: TestPostgres;
let kratos: TestKratos;

const scrape = (path = "/admin/metrics/prometheus") => scrapePrometheus(`${kratos.adminUrl}${path}`);

// config.Version, config.Commit (the commit the v26.2.0 tag names) and config.Date as NewHTTPMetrics' constant labels.
const CONST = 'app="kratos",buildTime="2026-03-20T11:01:06Z"';
const HASH = 'hash="9d7085948039ffb8960160d4979f71527b5cf4d5"';

beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_metrics")), 60_000);
afterAll(() => stopKratosAndPostgres(kratos, pg));

describe("Prometheus metrics (prometheusx NewHTTPMetrics, SetMuxRoutes)", () => {
  it("serves the text format on the admin port, with or without the /admin prefix, and not on the public port", async () => {
    const { status, type, lines } = await scrape();
    expect(status).toBe(200);
    expect(type).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(lines).toContain("# TYPE promhttp_metric_handler_requests_total counter");
    // serveAdmin's AddAdminPrefixIfNotPresentNegroni joins /admin in front.
    expect((await scrape("/metrics/prometheus")).status).toBe(200);
    // servePublic registers no metrics route (its csrf.DisablePath for the path changes nothing).
    expect((await fetch(`${kratos.publicUrl}/metrics/prometheus`)).status).toBe(404);
  });

  it("counts routed requests of both ports by code, method and route pattern, with Kratos' constant labels", async () => {
    await fetch(`${kratos.publicUrl}/health/alive`);
    await fetch(`${kratos.adminUrl}/admin/identities/00000000-0000-0000-0000-000000000000`);
    await fetch(`${kratos.adminUrl}/identities/00000000-0000-0000-0000-000000000001`);
    await fetch(`${kratos.publicUrl}/no/such/route`);

    const { lines } = await scrape();
    for (const [name, help, kind] of PROMETHEUSX_HTTP_FAMILIES) {
      expect(lines).toContain(`# HELP ${name} ${help}`);
      expect(lines).toContain(`# TYPE ${name} ${kind}`);
    }
    const requests = (code: string, method: string, endpoint: string) =>
      value(lines, `http_requests_total{${CONST},code="${code}",endpoint="${endpoint}",${HASH},method="${method}",version="v26.2.0"}`);
    expect(requests("200", "get", "/health/alive")).toBe(1);
    // The admin prefix is joined before routing; parameters become {param}.
    expect(requests("404", "get", "/admin/identities/{param}")).toBe(2);
    // ServeMux's own 404 for a path no route takes runs outside every Instrument wrapper.
    expect(lines.some((line) => line.includes('endpoint="/"') || line.includes("/no/such/route"))).toBe(false);
    expect(value(lines, `http_response_time_seconds_count{${CONST},endpoint="/admin/identities/{param}",${HASH},version="v26.2.0"}`)).toBe(
      2,
    );
    // The first scrape above is counted like any other admin route.
    expect(requests("200", "get", "/admin/metrics/prometheus")).toBeGreaterThanOrEqual(1);
  });
});
