import { describe, expect, it } from "vitest";
import { caddyfileCopy, edit, goodEnv, SHIPPED_PROD_DIR, verify } from "./test-support";

const CIAM_HYDRA_ROUTE = "reverse_proxy {$CIAM_HYDRA_PUBLIC_UPSTREAM:ciam-hydra:3102}";

/**
 * An upstream decided when the request arrives (DNS answers, the request's own
 * headers, the Caddy process environment) cannot be checked before deploying.
 */
describe("verify-config: Caddy upstreams fixed at deploy time", () => {
  it("refuses dynamic upstreams", () => {
    const file = caddyfileCopy();
    edit(file, CIAM_HYDRA_ROUTE, "reverse_proxy {\n\t\t\tdynamic a iam-kratos 4101\n\t\t}");
    expect(verify(SHIPPED_PROD_DIR, goodEnv(), file)).toMatch(/Caddyfile:ciam.example.com: reverse_proxy uses dynamic upstreams \(a\)/);
  });

  it.each([
    ["a request header", "{http.request.header.X-Upstream}"],
    ["a runtime environment variable", "{env.CIAM_KRATOS}"],
    ["a runtime port", "ciam-kratos:{env.KRATOS_PORT}"],
  ])("refuses an upstream named through %s", (_what, upstream) => {
    const file = caddyfileCopy();
    edit(file, CIAM_HYDRA_ROUTE, `reverse_proxy ${upstream}`);
    const report = verify(SHIPPED_PROD_DIR, goodEnv(), file);
    const escaped = upstream.replace(/[{}.]/g, "\\$&");
    expect(report).toMatch(new RegExp(`Caddyfile:ciam.example.com: reverse_proxy to ${escaped} is decided at request time`));
    // One line for it, not a second "not an upstream of the ciam domain".
    expect(report.split("\n").filter((line) => line.includes(upstream))).toHaveLength(1);
  });
});
