import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newCspNonce, securityHeaders } from "./headers";

const sources = { connect: ["https://auth.example.com/kratos"], formActions: ["https://auth.example.com/kratos"] };
const production = { environment: "production", sources } as const;
const development = { environment: "development", sources } as const;

/** The CSP's directives by name. */
function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values.join(" ")] as const;
    }),
  );
}

describe("securityHeaders", () => {
  it("pins HTTPS with HSTS outside development", () => {
    expect(securityHeaders("production")["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
  });

  it("sends no HSTS in development, where the stack is plain http", () => {
    expect(securityHeaders("development")).not.toHaveProperty("Strict-Transport-Security");
  });

  it("always sends Referrer-Policy same-origin, nosniff and no framing", () => {
    for (const environment of ["production", "development"] as const) {
      expect(securityHeaders(environment)).toMatchObject({
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
      });
    }
  });
});

describe("contentSecurityPolicy", () => {
  it("binds scripts to a nonce that is fresh for every response", () => {
    const [first, second] = [newCspNonce(), newCspNonce()];
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9+/]{22,}={0,2}$/);
    const csp = directives(contentSecurityPolicy(production, first, false));
    expect(csp.get("script-src")).toBe(`'self' 'nonce-${first}' 'strict-dynamic'`);
    expect(contentSecurityPolicy(production, second, false)).not.toContain(first);
  });

  it("forbids framing and plugins, and talks only to the app and the origins named", () => {
    const csp = directives(contentSecurityPolicy(production, newCspNonce(), false));
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("connect-src")).toBe("'self' https://auth.example.com");
    expect(csp.get("form-action")).toBe("'self' https://auth.example.com");
    expect(csp.has("upgrade-insecure-requests")).toBe(true);
    const bare = directives(contentSecurityPolicy({ environment: "production" }, "n", false));
    expect(bare.get("connect-src")).toBe("'self'");
    expect(bare.get("form-action")).toBe("'self'");
  });

  it("allows eval only to the development server and never inline scripts", () => {
    const dev = directives(contentSecurityPolicy(development, "n", true));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.has("upgrade-insecure-requests")).toBe(false);
    for (const csp of [dev, directives(contentSecurityPolicy(production, "n", false))])
      expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
    expect(directives(contentSecurityPolicy(production, "n", false)).get("script-src")).not.toContain("'unsafe-eval'");
  });
});
