import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { freePort } from "@olympus/test-postgres";
import { startApp, type RunningApp } from "../support/app-server";
import { expect, test } from "./support/fixtures";

// A Hera whose Kratos and Hydra do not answer (nothing listens on their ports).
test.describe("Hera when Kratos or Hydra is down", () => {
  let hera: RunningApp | undefined;

  test.beforeAll(async () => {
    const port = await freePort();
    const [kratos, hydra] = [await freePort(), await freePort()];
    hera = await startApp("hera", {
      ...embeddedAppEnv("ciam", "hera", port),
      CIAM_PUBLIC_URL: `http://127.0.0.1:${port}`,
      CIAM_KRATOS_PUBLIC_URL: `http://127.0.0.1:${kratos}`,
      CIAM_KRATOS_ADMIN_URL: `http://127.0.0.1:${kratos}`,
      CIAM_HYDRA_ADMIN_URL: `http://127.0.0.1:${hydra}`,
      CIAM_HYDRA_PUBLIC_URL: `http://127.0.0.1:${hydra}`,
    });
  });

  test.afterAll(async () => {
    await hera?.stop();
  });

  test("the login page explains the outage and offers a retry, never a stack trace", async ({ page }) => {
    await page.goto(`${hera?.url}/login`);
    await expect(page.getByTestId("service-unavailable")).toContainText(/temporarily unavailable/i);
    await expect(page.getByTestId("retry")).toHaveAttribute("href", "/self-service/login/browser");
    const text = await page.locator("body").innerText();
    expect(text).not.toMatch(/ECONNREFUSED|at \w+ \(|Error:/);
  });

  test("a consent challenge while Hydra is down gets the same page, with a retry of the same URL", async ({ page }) => {
    await page.goto(`${hera?.url}/consent?consent_challenge=abc`);
    await expect(page.getByTestId("service-unavailable")).toBeVisible();
    await expect(page.getByTestId("retry")).toHaveAttribute("href", "/consent?consent_challenge=abc");
  });

  test("the landing page still renders without Kratos", async ({ page }) => {
    await page.goto(`${hera?.url}/`);
    await expect(page.getByTestId("domain")).toHaveText("Serving the CIAM domain");
  });
});
