import { otherDomain, loadConfig, DOMAINS } from "@olympus/runtime-config/config";
import { loadAthenaConfig } from "@olympus/runtime-config/config/athena";
import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { freePort } from "@olympus/test-postgres";
import { exitCode, spawnApp } from "../support/app-server";
import { adminValuesOf } from "./support/app-config";
import { expect, test } from "./support/fixtures";

// The running instances got exactly embeddedAppEnv(domain, app) from startDevstack; resolving
// it the way each app does at start-up gives the configuration they run with.
const resolved = {
  athena: (domain: "ciam" | "iam") => loadAthenaConfig(embeddedAppEnv(domain, "athena")),
  hera: (domain: "ciam" | "iam") => loadConfig(embeddedAppEnv(domain, "hera")),
};

test.describe("each app instance holds only its own domain's admin APIs", () => {
  for (const domain of DOMAINS) {
    test(`Athena ${domain.toUpperCase()} and Hera ${domain.toUpperCase()}: no ${otherDomain(domain).toUpperCase()} admin URL or token`, async ({
      request,
      stack,
    }) => {
      // The instances are the running ones, serving the domain they were given.
      for (const [app, url] of [
        ["athena", stack[domain].athena],
        ["hera", stack[domain].hera],
      ] as const) {
        const health = await request.get(url.replace(`${domain}.localhost`, "127.0.0.1") + "/api/health");
        expect(await health.json()).toEqual({ status: "ok", app, domain });
      }
      const athena = resolved.athena(domain);
      // The scan finds the domain's own admin URLs, so an empty answer for the other domain means something.
      expect(adminValuesOf(athena, domain)).toEqual(
        expect.arrayContaining([`kratos.adminUrl=${athena.kratos.adminUrl}`, `hydra.adminUrl=${athena.hydra.adminUrl}`]),
      );
      expect(adminValuesOf(athena, otherDomain(domain))).toEqual([]);
      expect(adminValuesOf(resolved.hera(domain), otherDomain(domain))).toEqual([]);
    });
  }

  // The CIAM-instance direction (IAM_KRATOS_ADMIN_URL, a 4103 URL) is e2e/foundation/one-build-two-domains.spec.ts.
  const refusals: [string, Record<string, string>, RegExp][] = [
    ["a prefixed CIAM admin URL", { CIAM_KRATOS_ADMIN_URL: "http://127.0.0.1:3101" }, /CIAM_KRATOS_ADMIN_URL: belongs to the ciam domain/],
    [
      "its own admin variable pointing at CIAM Hydra's admin port",
      { IAM_HYDRA_ADMIN_URL: "http://127.0.0.1:3103" },
      /IAM_HYDRA_ADMIN_URL: port 3103 is in the ciam range/,
    ],
    [
      "its own admin variable naming CIAM Kratos' host",
      { IAM_KRATOS_ADMIN_URL: "http://ciam-kratos:4101" },
      /IAM_KRATOS_ADMIN_URL: .*ciam/,
    ],
  ];
  for (const [title, change, expected] of refusals) {
    test(`the built Athena IAM given ${title} refuses to start`, async () => {
      const { child, output } = spawnApp("athena", { ...embeddedAppEnv("iam", "athena", await freePort()), ...change });
      expect(await exitCode(child)).toBe(1);
      const lines = output()
        .split("\n")
        .filter((line) => line.includes("Invalid Olympus configuration"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
    });
  }
});

test.describe("companion: the scan reports another domain's admin API in a config", () => {
  test("an Athena CIAM config carrying IAM Kratos' admin URL and IAM's admin token", () => {
    const athena = resolved.athena("ciam");
    // The loader refuses this environment (above); build the broken config the loader would have had to produce.
    const broken = {
      ...athena,
      kratos: { ...athena.kratos, adminUrl: "http://iam-kratos:4101" },
      secrets: { ...athena.secrets, adminApiToken: embeddedAppEnv("iam", "athena").IAM_ADMIN_API_TOKEN },
    };
    expect(adminValuesOf(broken, "iam")).toEqual(["kratos.adminUrl=http://iam-kratos:4101", "secrets.adminApiToken=<admin token>"]);
  });
});
