import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { rawRequest } from "./testing/raw-request";

/**
 * How Hydra v26.2.0 routes (cmd/server/handler.go adminServer, publicServer): negroni's
 * TrimTrailingSlashNegroni (and on the admin port AddAdminPrefixIfNotPresentNegroni) in front of
 * oryx httprouterx/router.go, which registers `METHOD /path` patterns on Go's net/http ServeMux, with
 * serverx.DefaultNotFoundHandler for any method at `/` (public) and at the exact `/admin` (admin).
 */

let pg: TestPostgres;
let hydra: HydraUnderTest;
/** oryx/serverx/404.html as Hydra embeds it. */
let page404: string;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  page404 = await readFile(new URL("./mux/not-found-page.ts", import.meta.url), "utf8").then((source) => {
    const start = source.indexOf("const PAGE_HTML = `") + "const PAGE_HTML = `".length;
    return source.slice(start, source.indexOf("`;", start));
  });
});
afterAll(() => stopHydraAndPostgres(hydra, pg));

const admin = (method: string, path: string, headers?: Record<string, string>) => rawRequest(hydra.adminUrl, method, path, headers);
const publicPort = (method: string, path: string, headers?: Record<string, string>) => rawRequest(hydra.publicUrl, method, path, headers);

describe("a known path with another method", () => {
  it("is ServeMux's 405 on the admin port: Allow sorted, HEAD with GET, http.Error's text (server.go findHandler)", async () => {
    for (const method of ["DELETE", "PUT", "OPTIONS"]) {
      const answer = await admin(method, "/admin/clients");
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe("GET, HEAD, POST");
      expect(answer.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.body).toBe("Method Not Allowed\n");
    }
    expect((await admin("POST", "/admin/clients/some-id")).headers.allow).toBe("DELETE, GET, HEAD, PATCH, PUT");
    // The health and version routes are GET only (oryx healthx SetHealthRoutes, SetVersionRoutes), prefixed or not.
    for (const path of ["/health/alive", "/admin/health/ready", "/admin/version"]) {
      const answer = await admin("POST", path);
      expect([answer.status, answer.headers.allow, answer.body]).toEqual([405, "GET, HEAD", "Method Not Allowed\n"]);
    }
  });

  it("is the not-found page on the public port, whose catch-all `/` takes every method", async () => {
    for (const [method, path] of [
      ["GET", "/oauth2/token"],
      ["PUT", "/oauth2/token"],
      ["DELETE", "/.well-known/jwks.json"],
      ["POST", "/health/alive"],
      ["GET", "/oauth2/revoke"],
    ]) {
      const answer = await publicPort(method ?? "", path ?? "");
      expect([method, path, answer.status, answer.headers["content-type"]]).toEqual([method, path, 404, "text/html; charset=utf-8"]);
      expect(answer.body).toBe(page404);
      expect(answer.headers.allow).toBeUndefined();
    }
  });
});

describe("HEAD", () => {
  it("is served by the GET route on both ports (a GET pattern matches HEAD: routing_tree.go matchMethodAndPath)", async () => {
    for (const [base, path] of [
      [hydra.adminUrl, "/admin/clients"],
      [hydra.adminUrl, "/admin/version"],
      [hydra.adminUrl, "/health/alive"],
      [hydra.publicUrl, "/.well-known/openid-configuration"],
      [hydra.publicUrl, "/oauth2/fallbacks/login"],
      [hydra.publicUrl, "/health/ready"],
    ]) {
      const get = await rawRequest(base ?? "", "GET", path ?? "");
      const head = await rawRequest(base ?? "", "HEAD", path ?? "");
      expect([path, head.status, head.body]).toEqual([path, get.status, ""]);
      expect(head.headers["content-type"]).toBe(get.headers["content-type"]);
      expect(head.headers["content-length"]).toBe(get.headers["content-length"]);
    }
  });
});

describe("paths that are not clean", () => {
  it("are redirected 301 to the clean path with the query, as ServeMux does (findHandler, http.Redirect)", async () => {
    const get = await admin("GET", "/admin/x/../clients?page_size=1");
    expect(get.status).toBe(301);
    expect(get.headers.location).toBe("/admin/clients?page_size=1");
    expect(get.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(get.body).toBe('<a href="/admin/clients?page_size=1">Moved Permanently</a>.\n\n');
    const post = await admin("POST", "/admin/./clients");
    expect([post.status, post.headers.location, post.headers["content-type"], post.body]).toEqual([301, "/admin/clients", undefined, ""]);
    expect(post.headers["content-length"]).toBe("0");
    const doubled = await publicPort("GET", "//.well-known/jwks.json");
    expect([doubled.status, doubled.headers.location]).toEqual([301, "/.well-known/jwks.json"]);
    // url.URL{Path: cleaned}.String() escapes the escaped path once more.
    expect((await admin("GET", "/admin/./clients/a%20b")).headers.location).toBe("/admin/clients/a%2520b");
  });

  it("without /admin get the prefix by path.Join, which cleans without a redirect (AddAdminPrefixIfNotPresentNegroni)", async () => {
    expect((await admin("GET", "/./clients")).status).toBe(200);
    // `//admin/clients` does not start with /admin: it becomes /admin/admin/clients, which no route takes.
    const doubled = await admin("GET", "//admin/clients");
    expect([doubled.status, doubled.body]).toEqual([404, "404 page not found\n"]);
  });
});

describe("trailing slashes", () => {
  it("are trimmed once before routing (TrimTrailingSlashNegroni), no redirect", async () => {
    const listed = await admin("GET", "/admin/clients/");
    expect(listed.status).toBe(200);
    // The handlers see the trimmed path: the pagination links name /admin/clients.
    expect(listed.headers.link).toContain("</admin/clients?");
    expect((await publicPort("GET", "/.well-known/jwks.json/")).status).toBe(200);
    // Two slashes leave one: /admin/clients/ is no pattern (ServeMux's own 404).
    expect((await admin("GET", "/admin/clients//")).body).toBe("404 page not found\n");
    expect((await publicPort("GET", "/.well-known/jwks.json//")).body).toBe(page404);
  });
});

describe("the pages at /admin and /", () => {
  it("/admin (and /, /admin/) on the admin port is serverx.DefaultNotFoundHandler for any method", async () => {
    for (const [method, path] of [
      ["GET", "/admin"],
      ["POST", "/admin"],
      ["GET", "/"],
      ["GET", "/admin/"],
    ]) {
      const answer = await admin(method ?? "", path ?? "");
      expect([path, answer.status, answer.headers["content-type"], answer.body]).toEqual([path, 404, "text/html; charset=utf-8", page404]);
    }
    const json = await admin("GET", "/admin", { Accept: "application/json" });
    expect(json.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(json.body)).toEqual({
      error: {
        code: 404,
        message: "Not Found",
        reason: "The requested route does not exist. Make sure you are using the right path, domain, and port.",
      },
    });
    const text = await admin("GET", "/admin", { Accept: "text/plain" });
    expect([text.headers["content-type"], text.body]).toEqual([
      "text/plain; charset=utf-8",
      "Error 404 - The requested route does not exist. Make sure you are using the right path, domain, and port.",
    ]);
  });

  it("other unknown admin paths are ServeMux's http.NotFound", async () => {
    const answer = await admin("GET", "/admin/nope");
    expect([answer.status, answer.headers["content-type"], answer.body]).toEqual([
      404,
      "text/plain; charset=utf-8",
      "404 page not found\n",
    ]);
  });

  it("/ on the public port redirects to itself: the trimmed path is empty and cleanPath makes it / again", async () => {
    const answer = await publicPort("GET", "/");
    expect([answer.status, answer.headers.location, answer.body]).toEqual([301, "/", '<a href="/">Moved Permanently</a>.\n\n']);
  });

  it("an unknown public path is the negotiated not-found page", async () => {
    const answer = await publicPort("GET", "/nope", { Accept: "application/json" });
    expect([answer.status, answer.headers["content-type"]]).toEqual([404, "application/json; charset=utf-8"]);
    expect(answer.body.startsWith('{\n  "error": {\n    "code": 404,')).toBe(true);
    expect((await publicPort("GET", "/admin")).body).toBe(page404);
  });
});
