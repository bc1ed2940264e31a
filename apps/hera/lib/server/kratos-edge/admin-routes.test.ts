import { describe, expect, it } from "vitest";
import { isAdminLocation, kratosRoutingPath, reachesKratosAdminRoute } from "./admin-routes";

/**
 * Kratos' public routes that redirect to its admin API (x/redir
 * RedirectToAdminRoute in identity/handler.go, courier/handler.go,
 * session/handler.go, strategy/code and strategy/link RegisterPublicRoutes),
 * as Kratos' router sees the path: percent-decoded (net/url), cleaned.
 */
describe("reachesKratosAdminRoute", () => {
  it.each([
    "/admin",
    "/admin/identities",
    "/admin/courier/messages",
    "/identities",
    "/identities/",
    "/identities/4f1b0f6e/sessions",
    "/recovery/code",
    "/recovery/link",
    "/%61dmin/identities",
    "/%61%64%6D%69%6E/identities/%FF",
    "/%69dentities",
    "//identities",
    "/self-service/../identities",
    "/self-service/..%2Fidentities",
    "/./recovery/link/",
  ])("refuses %s", (path) => {
    expect(reachesKratosAdminRoute(path)).toBe(true);
  });

  it.each([
    "/",
    "/sessions/whoami",
    "/self-service/recovery",
    "/self-service/login/browser",
    "/administrator",
    "/identitiesx",
    "/recovery/codes",
    "/schemas/default",
    // Go's server refuses a malformed escape itself (400); Kratos says so.
    "/%zzdmin/identities",
  ])("lets %s through", (path) => {
    expect(reachesKratosAdminRoute(path)).toBe(false);
  });
});

describe("isAdminLocation", () => {
  const target = {
    kratosUrl: "http://kratos:3100",
    browserUrl: "https://ciam.example.com/.ory/kratos",
    adminUrl: "http://kratos:3101",
  };

  it("spots a Location at Kratos' admin address or under /admin anywhere (RedirectToAdminRoute's form)", () => {
    expect(isAdminLocation("http://kratos:3101/admin/identities", target)).toBe(true);
    expect(isAdminLocation("http://kratos:3101/health/ready", target)).toBe(true);
    expect(isAdminLocation("https://kratos-admin.internal/admin/identities?page=1", target)).toBe(true);
    expect(isAdminLocation("https://kratos-admin.internal/%61dmin/identities", target)).toBe(true);
    expect(isAdminLocation("/admin/identities", target)).toBe(true);
  });

  it("lets Hera's pages, Kratos' public URL and a social sign-in provider through", () => {
    expect(isAdminLocation("https://ciam.example.com/login?flow=1", target)).toBe(false);
    expect(isAdminLocation("http://kratos:3100/self-service/login/browser", target)).toBe(false);
    expect(isAdminLocation("https://accounts.google.com/o/oauth2/v2/auth?client_id=x", target)).toBe(false);
    expect(isAdminLocation("/administrator", { kratosUrl: target.kratosUrl, browserUrl: target.browserUrl })).toBe(false);
    // One gateway origin for both APIs: only the admin URL's path is the admin API.
    const gateway = {
      kratosUrl: "https://gw.internal/kratos",
      browserUrl: target.browserUrl,
      adminUrl: "https://gw.internal/kratos-admin/",
    };
    expect(isAdminLocation("https://gw.internal/kratos/self-service/login/browser", gateway)).toBe(false);
    expect(isAdminLocation("https://gw.internal/kratos-admin/health/ready", gateway)).toBe(true);
  });
});

describe("kratosRoutingPath", () => {
  it.each([
    ["/self-service/%6Cogin", "/self-service/login"],
    ["/%73elf-service/recovery", "/self-service/recovery"],
    ["/self-service/./verification/", "/self-service/verification"],
    ["//self-service/login", "/self-service/login"],
    ["/self-service/login", "/self-service/login"],
  ])("routes %s as %s", (path, routed) => {
    expect(kratosRoutingPath(path)).toBe(routed);
  });

  it("is undefined where Go refuses the request target", () => {
    expect(kratosRoutingPath("/self-service/%zzlogin")).toBeUndefined();
  });
});
