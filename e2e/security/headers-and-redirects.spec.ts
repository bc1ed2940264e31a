import { signInToAthena } from "./support/athena";
import type { SecurityStack } from "./support/stack";
import { expect, test } from "./support/fixtures";

// Attacks: framing and open redirects. Athena sent no security headers, so any page could
// frame the signed-in identities page (clickjacking); Athena's `/signin?callbackUrl=` and
// Hera's `/unavailable?retry=` accepted `/\evil.example`-style targets that browsers read
// as another site. Both apps now take their headers and their redirect check from one
// place (`@olympus/web-security`).

const HERA_ROUTES = [
  "/",
  "/login",
  "/login?login_challenge=unknown",
  "/registration",
  "/recovery",
  "/verification",
  "/settings",
  "/consent?consent_challenge=unknown",
  "/logout",
  "/logout/end",
  "/error",
  "/logged-out",
  "/unavailable",
  "/self-service/login/browser",
  "/api/health",
  "/no-such-page",
];

const ATHENA_ROUTES = [
  "/",
  "/signin",
  "/identities",
  "/identities/new",
  "/identities/00000000-0000-0000-0000-000000000000",
  "/sessions",
  "/consents",
  "/oauth2-clients",
  "/oauth2-clients/new",
  "/m2m-clients",
  "/courier",
  "/schemas",
  "/settings",
  "/audit",
  "/api/health",
  "/api/auth/session",
  "/api/auth/providers",
  "/no-such-page",
];

/** The apps by loopback address (Node cannot resolve *.localhost), with the host name browsers use. */
function apps(stack: SecurityStack): { name: string; base: string; host: string; routes: string[] }[] {
  const entry = (name: string, url: string, routes: string[]) => {
    const parsed = new URL(url);
    return { name, base: `http://127.0.0.1:${parsed.port}`, host: parsed.host, routes };
  };
  return [
    entry("Hera CIAM", stack.ciam.hera, HERA_ROUTES),
    entry("Hera IAM", stack.iam.hera, HERA_ROUTES),
    entry("Athena CIAM", stack.ciam.athena, ATHENA_ROUTES),
    entry("Athena IAM", stack.iam.athena, ATHENA_ROUTES),
  ];
}

test("every route of both apps, in both domains, forbids framing and sniffing and sends a nonce CSP", async ({ stack }) => {
  for (const app of apps(stack)) {
    for (const route of app.routes) {
      const response = await fetch(`${app.base}${route}`, { redirect: "manual", headers: { Host: app.host } });
      const where = `${app.name} ${route} (${response.status})`;
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, where).toContain("frame-ancestors 'none'");
      expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(response.headers.get("x-frame-options"), where).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), where).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), where).toBe("same-origin");
      expect(response.status, where).toBeLessThan(500);
    }
  }
});

test("a page on another site cannot frame Athena's identities page", async ({ page, stack }) => {
  await signInToAthena(page, stack.iam.athena, stack.iam.hera, stack.admin.email, stack.admin.password);
  // The attacker's page, on the relying-party stub's origin (another site as far as the browser is concerned).
  await page.goto(`${stack.iam.relyingParty}/`);
  await page.setContent(`<iframe id="victim" src="${stack.iam.athena}/identities" width="800" height="600"></iframe>`);
  const frame = page.frameLocator("#victim");
  // Same site (cookies go along), so without frame-ancestors the signed-in page would render here.
  await page.waitForTimeout(3_000);
  await expect(frame.getByRole("heading").first()).toBeHidden();
  await expect(frame.getByText("Identities")).toHaveCount(0);
});

const BYPASSES = [
  "/%5Cevil.example/x",
  "/\\evil.example/x",
  "//evil.example/x",
  "/%09/evil.example",
  "/%2F%2Fevil.example",
  "https://evil.example/",
  "javascript:alert(1)",
];

test("Athena's callbackUrl and Hera's retry link never lead off-site", async ({ page, stack }) => {
  await signInToAthena(page, stack.ciam.athena, stack.iam.hera, stack.admin.email, stack.admin.password);
  for (const target of BYPASSES) {
    await page.goto(`${stack.ciam.athena}/signin?callbackUrl=${encodeURIComponent(target)}`);
    await page.waitForLoadState("domcontentloaded");
    expect(new URL(page.url()).origin, `callbackUrl ${target}`).toBe(stack.ciam.athena);

    await page.goto(`${stack.ciam.hera}/unavailable?retry=${encodeURIComponent(target)}`);
    const href = await page.getByTestId("retry").getAttribute("href");
    expect(href, `retry ${target}`).toBe("/login");
  }
});
