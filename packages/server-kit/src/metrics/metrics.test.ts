import { describe, expect, it } from "vitest";
import { endpointLabelOf, formatValue, HttpMetrics, renderFamilies } from "./index";

/** The text exposition format as client_golang's expfmt writes it, and prometheusx's labelling (ory/x prometheusx metrics.go). */
describe("metrics", () => {
  it("writes values as strconv.FormatFloat(v, 'g', -1, 64) and escapes label values", () => {
    expect([formatValue(Infinity), formatValue(1e-7), formatValue(3), formatValue(0.25)]).toEqual(["+Inf", "1e-07", "3", "0.25"]);
    const text = renderFamilies([
      { name: "b_total", help: "b", type: "counter", samples: [{ suffix: "", labels: { z: "1", a: 'q"\\\n' }, value: 2 }] },
      { name: "a_total", help: "a\nline", type: "counter", samples: [{ suffix: "", labels: {}, value: 1 }] },
    ]);
    expect(text).toBe(
      '# HELP a_total a\\nline\n# TYPE a_total counter\na_total 1\n# HELP b_total b\n# TYPE b_total counter\nb_total{a="q\\"\\\\\\n",z="1"} 2\n',
    );
  });

  it("labels methods as promhttp's sanitizeMethod and statuses by bucket; patterns as GetLabelForPattern", () => {
    const metrics = new HttpMetrics({ app: "x" });
    metrics.record({ method: "Get", endpoint: "/a", status: 201, durationSeconds: 0.01, requestBytes: 1, responseBytes: 1 });
    const total = metrics.families().find((family) => family.name === "http_requests_total");
    expect(total?.samples).toEqual([{ suffix: "", labels: { app: "x", code: "201", method: "unknown", endpoint: "/a" }, value: 1 }]);
    const statuses = metrics.families().find((family) => family.name === "http_requests_statuses_total");
    expect(statuses?.samples[0]?.labels).toEqual({ app: "x", method: "Get", status_bucket: "2xx" });
    expect(endpointLabelOf("/admin/identities/:id/credentials/:type")).toBe("/admin/identities/{param}/credentials/{param}");
  });
});
