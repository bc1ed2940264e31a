import { expect, test } from "./support/fixtures";

test.describe("Hera's security headers", () => {
  test("flow pages carry a nonce-based CSP, frame-ancestors 'none', Referrer-Policy and no-store", async ({ page, stack }) => {
    const response = await page.goto(`${stack.ciam.hera}/login`);
    expect(response).not.toBeNull();
    const headers = response?.headers() ?? {};
    const csp = headers["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    // Ory Elements talks to Kratos on Hera's own origin (/.ory/kratos): nothing else is allowed.
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).toMatch(/form-action 'self'(;|$)/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;| 'unsafe-eval';)/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["cache-control"]).toContain("no-store");
    // Development instances do not pin HTTPS (the embedded stack is plain http).
    expect(headers["strict-transport-security"]).toBeUndefined();

    // Every script the server sent carries this response's nonce (what they load is trusted via 'strict-dynamic').
    const html = (await response?.text()) ?? "";
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    // A second response gets a different nonce.
    const again = await page.reload();
    expect(again?.headers()["content-security-policy"]).not.toContain(`'nonce-${nonce}'`);
  });

  test("Hera cannot be framed", async ({ page, stack }) => {
    await page.setContent(`<iframe id="f" src="${stack.ciam.hera}/login"></iframe>`);
    const frame = page.frameLocator("#f");
    await expect(frame.locator("body")).not.toContainText("Sign in", { timeout: 3000 });
  });

  test("the Kratos session cookie is host-only on the domain's own host", async ({ page, stack }) => {
    await page.goto(`${stack.ciam.hera}/login`);
    const csrf = (await page.context().cookies()).filter((c) => c.name.startsWith("csrf_token_"));
    expect(csrf.length).toBeGreaterThan(0);
    for (const cookie of csrf) {
      expect(cookie.domain).toBe("ciam.localhost"); // no leading dot: never a parent domain
      expect(cookie.httpOnly).toBe(true);
    }
  });
});
