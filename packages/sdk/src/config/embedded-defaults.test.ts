import { describe, expect, it } from "vitest";
import { DOMAINS } from "./domain";
import { embeddedAppEnv, withoutDomainVariables } from "./embedded-defaults";
import { loadConfig } from "./load";

describe("embeddedAppEnv", () => {
  it.each(DOMAINS.flatMap((d) => (["hera", "athena"] as const).map((a) => [d, a] as const)))(
    "%s %s gets a valid config of its own domain only",
    (domain, app) => {
      const env = embeddedAppEnv(domain, app);
      const config = loadConfig(env);
      expect(config.domain).toBe(domain);
      const other = domain === "ciam" ? "IAM_" : "CIAM_";
      expect(Object.keys(env).filter((k) => k.startsWith(other))).toEqual([]);
    },
  );

  it("gives Hera the browser-facing Kratos URL on its own domain's host", () => {
    expect(loadConfig(embeddedAppEnv("ciam", "hera")).browser.kratosPublicUrl).toBe("http://ciam.localhost:3100");
    expect(loadConfig(embeddedAppEnv("iam", "hera")).browser.kratosPublicUrl).toBe("http://iam.localhost:4100");
    expect(loadConfig(embeddedAppEnv("iam", "hera")).kratos.publicUrl).toBe("http://127.0.0.1:4100");
  });

  it("puts each app on its port-table port", () => {
    expect(embeddedAppEnv("ciam", "hera").PORT).toBe("3000");
    expect(embeddedAppEnv("iam", "athena").PORT).toBe("4001");
  });
});

describe("withoutDomainVariables", () => {
  it("strips both domains' variables and DOMAIN but keeps the rest", () => {
    expect(withoutDomainVariables({ PATH: "/bin", DOMAIN: "iam", IAM_X: "1", CIAM_Y: "2", MIAMI: "3" })).toEqual({ PATH: "/bin", MIAMI: "3" });
  });
});
