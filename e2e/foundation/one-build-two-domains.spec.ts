import { expect, test } from "@playwright/test";
import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { freePort } from "@olympus/test-postgres";
import { exitCode, spawnApp, startApp, type AppName, type RunningApp } from "../support/app-server";

// Each app is built once (turbo runs `next build` before this suite); the same
// .next output is started twice, differing only in runtime environment.
for (const app of ["hera", "athena"] as AppName[]) {
  test.describe(`${app}: one build, two domains`, () => {
    const running: Partial<Record<"ciam" | "iam", RunningApp>> = {};

    test.beforeAll(async () => {
      const [ciamPort, iamPort] = [await freePort(), await freePort()];
      [running.ciam, running.iam] = await Promise.all([
        startApp(app, embeddedAppEnv("ciam", app, ciamPort)),
        startApp(app, embeddedAppEnv("iam", app, iamPort)),
      ]);
    });

    test.afterAll(async () => {
      await Promise.all(Object.values(running).map((r) => r?.stop()));
    });

    for (const domain of ["ciam", "iam"] as const) {
      test(`serves ${domain.toUpperCase()} with its own branding`, async ({ page, request }) => {
        const server = running[domain];
        if (!server) throw new Error("server not started");
        const health = await request.get(`${server.url}/api/health`);
        expect(await health.json()).toEqual({ status: "ok", app, domain });

        await page.goto(server.url);
        await expect(page.getByTestId("domain")).toHaveText(`Serving the ${domain.toUpperCase()} domain`);
        await expect(page.locator("html")).toHaveAttribute("data-domain", domain);
        await expect(page).toHaveTitle(new RegExp(`\\(${domain.toUpperCase()}\\)`));
        const brand = await page.locator("body").evaluate((b) => getComputedStyle(b).getPropertyValue("--brand-primary").trim());
        expect(brand).toBe(domain === "ciam" ? "#2563eb" : "#7c3aed");
      });
    }

    test("the two instances report different domains from the same build", async ({ request }) => {
      const [ciam, iam] = await Promise.all(
        (["ciam", "iam"] as const).map(async (d) => (await request.get(`${running[d]?.url}/api/health`)).json()),
      );
      expect([ciam.domain, iam.domain]).toEqual(["ciam", "iam"]);
    });
  });

  test.describe(`${app}: a bad environment stops the process at start-up`, () => {
    const cases: [string, (env: Record<string, string>) => Record<string, string>, RegExp][] = [
      ["missing DOMAIN", ({ DOMAIN: _d, ...env }) => env, /DOMAIN: is missing/],
      [
        "CIAM instance given an IAM admin URL",
        (env) => ({ ...env, IAM_KRATOS_ADMIN_URL: "http://127.0.0.1:4101" }),
        /IAM_KRATOS_ADMIN_URL: belongs to the iam domain/,
      ],
      [
        "URL on the other domain's port",
        (env) => ({ ...env, CIAM_HYDRA_ADMIN_URL: "http://127.0.0.1:4103" }),
        /CIAM_HYDRA_ADMIN_URL: port 4103 is in the iam range/,
      ],
      ["malformed URL", (env) => ({ ...env, CIAM_KRATOS_PUBLIC_URL: "kratos" }), /CIAM_KRATOS_PUBLIC_URL: is not a valid URL/],
    ];
    for (const [title, breakEnv, expected] of cases) {
      test(title, async () => {
        const env = breakEnv(embeddedAppEnv("ciam", app, await freePort()));
        const { child, output } = spawnApp(app, env);
        expect(await exitCode(child)).toBe(1);
        const errorLines = output()
          .split("\n")
          .filter((line) => line.includes("Invalid Olympus configuration"));
        expect(errorLines).toHaveLength(1);
        expect(errorLines[0]).toMatch(expected);
      });
    }
  });
}
