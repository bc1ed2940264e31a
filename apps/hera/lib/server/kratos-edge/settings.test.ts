import { describe, expect, it } from "vitest";
import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { limitsFile } from "@/lib/testing/edge-stack";
import { loadEdgeSettings } from "./settings";

describe("the edge's settings", () => {
  const url = "postgres://olympus_ciam:pw@db:5432/olympus";

  it("are read from the embedded stack's environment for either domain", () => {
    for (const domain of ["ciam", "iam"] as const) {
      const settings = loadEdgeSettings(embeddedAppEnv(domain, "hera"), domain);
      expect(settings.databaseUrl).toContain(`olympus_${domain}:`);
      expect(settings.limits.source).toBe(limitsFile("dev", domain));
    }
  });

  it("take a plain or prefixed name, and the domain's production figures without a file", () => {
    expect(loadEdgeSettings({ OLYMPUS_DATABASE_URL: url }, "ciam").limits.source).toBeUndefined();
    expect(
      loadEdgeSettings({ CIAM_OLYMPUS_DATABASE_URL: url, CIAM_LIMITS_FILE: limitsFile("prod", "ciam") }, "ciam").limits.client_ip
        .trusted_proxies,
    ).toEqual(["172.16.0.0/12"]);
  });

  it("name the variable and the fix when something is wrong", () => {
    expect(() => loadEdgeSettings({}, "ciam")).toThrow(/^OLYMPUS_DATABASE_URL: is missing; .* postgres:\/\/olympus_ciam:/);
    expect(() => loadEdgeSettings({ OLYMPUS_DATABASE_URL: "mysql://x@db/olympus" }, "ciam")).toThrow(/must be a postgres:\/\/ URL/);
    expect(() => loadEdgeSettings({ OLYMPUS_DATABASE_URL: "postgres://olympus_iam:pw@db:5432/olympus" }, "ciam")).toThrow(
      /logs in as "olympus_iam"; Hera CIAM must log in as "olympus_ciam"/,
    );
    expect(() => loadEdgeSettings({ OLYMPUS_DATABASE_URL: "postgres://olympus_ciam:pw@db:5432/ciam_kratos" }, "ciam")).toThrow(
      /must name the olympus database/,
    );
    expect(() =>
      loadEdgeSettings({ OLYMPUS_DATABASE_URL: url, CIAM_OLYMPUS_DATABASE_URL: "postgres://olympus_ciam:other@db:5432/olympus" }, "ciam"),
    ).toThrow(/conflicts with CIAM_OLYMPUS_DATABASE_URL/);
    expect(() => loadEdgeSettings({ OLYMPUS_DATABASE_URL: url, LIMITS_FILE: "/nowhere/limits.yml" }, "ciam")).toThrow(
      /^LIMITS_FILE: cannot read limits file \/nowhere\/limits\.yml: ENOENT/,
    );
  });
});
