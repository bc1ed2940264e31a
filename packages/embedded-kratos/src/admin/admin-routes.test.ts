import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * Which routes the admin port serves and how it reaches them, as Kratos'
 * serveAdmin does (cmd/daemon/serve.go): httprouterx's
 * AddAdminPrefixIfNotPresentNegroni joins `/admin` in front of every path
 * that does not start with it (path.Join, so the path is cleaned), and the
 * admin router (RegistryDefault.RegisterAdminRoutes) holds the admin
 * handlers plus the routes each handler's RegisterAdminRoutes sends to the
 * public port with redir.RedirectToPublicRoute.
 */
describe("admin port routing", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_routes")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const admin = (method: string, path: string) => fetch(`${kratos.adminUrl}${path}`, { method, redirect: "manual" });

  it("joins /admin in front of a path without it (httprouterx AddAdminPrefixIfNotPresentNegroni), cleaning it as path.Join does", async () => {
    const email = uniqueEmail("prefix");
    await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email } } });

    const list = await admin("GET", `/identities?credentials_identifier=${encodeURIComponent(email)}`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { traits: { email: string } }[]).map((i) => i.traits.email)).toEqual([email]);
    // keysetpagination.Header builds the Link from r.URL, whose path the middleware changed.
    expect(list.headers.get("link")).toMatch(/^<\/admin\/identities\?/);

    const cleaned = await admin("GET", "/identities/?per_page=1");
    expect(cleaned.status).toBe(200);
    expect(cleaned.headers.get("link")).toMatch(/^<\/admin\/identities\?/);

    // The admin session list (session/handler.go adminListSessions), not a redirect to the public /sessions.
    const sessions = await admin("GET", "/sessions");
    expect(sessions.status).toBe(200);
    expect(Array.isArray(await sessions.json())).toBe(true);

    // healthx and the version route sit on the admin router too (RegisterAdminRoutes: SetHealthRoutes, SetVersionRoutes).
    for (const path of ["/admin/health/alive", "/admin/health/ready", "/admin/version", "/health/alive", "/version"])
      expect((await admin("GET", path)).status, path).toBe(200);
  });

  it("answers a path or method no admin route takes as Go's ServeMux does (http.NotFound, 405 with Allow)", async () => {
    const notFound = await admin("GET", "/admin/no/such/route");
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(notFound.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await notFound.text()).toBe("404 page not found\n");

    // routing_tree.go matchingMethods: the methods of every pattern taking the path, HEAD with GET, sorted.
    for (const [method, path, allow] of [
      ["POST", "/admin/identities/00000000-0000-0000-0000-000000000001", "DELETE, GET, HEAD, PATCH, PUT"],
      ["PUT", "/admin/sessions", "DELETE, GET, HEAD"],
      ["DELETE", "/health/alive", "GET, HEAD"],
    ] as const) {
      const res = await admin(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await res.text()).toBe("Method Not Allowed\n");
    }
  });

  it("sends the schema routes to the public port (schema/handler.go RegisterAdminRoutes: redir.RedirectToPublicRoute)", async () => {
    for (const [path, target] of [
      ["/admin/schemas?page=1", "/schemas?page=1"],
      ["/admin/schemas/default", "/schemas/default"],
      ["/schemas/customer", "/schemas/customer"],
    ] as const) {
      const res = await admin("GET", path);
      expect(res.status, path).toBe(307);
      expect(res.headers.get("location"), path).toBe(`${kratos.publicUrl}${target}`);
    }
    // The public router serves the same routes under /admin as well (schema/handler.go RegisterPublicRoutes).
    const onPublic = await fetch(`${kratos.publicUrl}/admin/schemas/default`, { redirect: "manual" });
    expect(onPublic.status).toBe(200);
    expect(((await onPublic.json()) as { title: string }).title).toBe("Customer (basic)");
  });

  it("sends DELETE /admin/sessions and the self-service routes to the public port (session and selfservice/flow handlers' RegisterAdminRoutes)", async () => {
    const redirects: [string, string, string][] = [
      ["DELETE", "/admin/sessions", "/sessions"],
      ["DELETE", "/sessions", "/sessions"],
      ["GET", "/admin/sessions/whoami?x=1", "/sessions/whoami?x=1"],
      ["GET", "/self-service/login/browser?return_to=x", "/self-service/login/browser?return_to=x"],
      ["GET", "/admin/self-service/registration/api", "/self-service/registration/api"],
      ["POST", "/self-service/settings?flow=1", "/self-service/settings?flow=1"],
      ["GET", "/self-service/recovery/flows?id=1", "/self-service/recovery/flows?id=1"],
      ["POST", "/self-service/verification", "/self-service/verification"],
      ["DELETE", "/self-service/logout/api", "/self-service/logout/api"],
      ["GET", "/self-service/logout?token=t", "/self-service/logout?token=t"],
      ["GET", "/self-service/errors?id=e", "/self-service/errors?id=e"],
    ];
    for (const [method, path, target] of redirects) {
      const res = await admin(method, path);
      expect(res.status, `${method} ${path}`).toBe(307);
      expect(res.headers.get("location"), `${method} ${path}`).toBe(`${kratos.publicUrl}${target}`);
    }
    // Routes no admin handler registers are not found there.
    expect((await admin("GET", "/self-service/methods/oidc/callback/google")).status).toBe(404);
    expect((await admin("GET", "/sessions/token-exchange")).status).toBe(400);
  });
});
