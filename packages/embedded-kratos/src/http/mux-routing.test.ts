import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosInstancesWithPostgres,
  stopKratosAndPostgres,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";

/**
 * How Kratos' HTTP stack reaches a route (cmd/daemon/serve.go over oryx
 * httprouterx/router.go, a Go 1.22+ net/http ServeMux) and answers where
 * none takes the request: the admin prefix joined to the decoded path,
 * ServeMux's 301 to the clean path, the config hash route, and on the
 * public port ory/nosurf in front of the router.
 */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path exactly as written (fetch would resolve `//` and dot segments first). */
function send(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

const setCookies = (answer: Answer): string[] => [answer.headers["set-cookie"] ?? []].flat();
const vary = (answer: Answer): string => [answer.headers.vary ?? []].flat().join(", ");

let pg: TestPostgres;
let kratos: TestKratos;
let revised: TestKratos;
let changed: TestKratos;
const TOKEN = "mux-routing-admin-token";

beforeAll(async () => {
  ({
    pg,
    kratos: [kratos, revised, changed],
  } = await startKratosInstancesWithPostgres([
    { database: "mux_routing" },
    { database: "mux_routing_revised", options: { adminToken: TOKEN, configOverrides: { revision: "2026-12-05.r1" } } },
    { database: "mux_routing_changed", options: { configOverrides: { session: { lifespan: "2h" } } } },
  ] as const));
});
afterAll(() => stopKratosAndPostgres([kratos, revised, changed], pg));

describe("admin port: the /admin prefix and ServeMux's clean paths", () => {
  it("tests and joins /admin on the decoded path (httprouterx AddAdminPrefixIfNotPresentNegroni edits r.URL.Path only)", async () => {
    const email = uniqueEmail("mux");
    const { data: created } = await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email } } });

    // `/%61dmin` decodes to `/admin`: no second prefix, and ServeMux matches each segment decoded (routing_tree.go firstSegment).
    const spelled = await send(kratos.adminUrl, "GET", `/%61dmin/identities?credentials_identifier=${encodeURIComponent(email)}`);
    expect(spelled.status).toBe(200);
    expect((JSON.parse(spelled.body) as { id: string }[]).map((i) => i.id)).toEqual([created.id]);

    // The new Path no longer fits the RawPath, so EscapedPath escapes it afresh: the `%2F` sent is a plain `/`.
    const joined = await send(kratos.adminUrl, "GET", `/identities%2F${created.id}`);
    expect(joined.status).toBe(200);
    expect((JSON.parse(joined.body) as { id: string }).id).toBe(created.id);
  });

  it("redirects (301) a path with empty, `.` or `..` segments to its clean form, the query kept (server.go findHandler, cleanPath)", async () => {
    const get = await send(kratos.adminUrl, "GET", "/admin//identities?per_page=1");
    expect(get.status).toBe(301);
    expect(get.headers.location).toBe("/admin/identities?per_page=1");
    expect(get.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(get.body).toBe('<a href="/admin/identities?per_page=1">Moved Permanently</a>.\n\n');

    // Any method; HEAD gets the Content-Type only, others neither (http.Redirect).
    const head = await send(kratos.adminUrl, "HEAD", "/admin/./identities");
    expect([head.status, head.headers.location, head.headers["content-type"]]).toEqual([
      301,
      "/admin/identities",
      "text/html; charset=utf-8",
    ]);
    const post = await send(kratos.adminUrl, "POST", "/admin/identities/../courier/messages?");
    expect([post.status, post.headers.location, post.headers["content-type"], post.body]).toEqual([
      301,
      "/admin/courier/messages",
      undefined,
      "",
    ]);

    // url.URL{Path: cleaned}.String() escapes the already escaped path again; a trailing slash stays.
    const escaped = await send(kratos.adminUrl, "GET", "/admin//a%20b/");
    expect([escaped.status, escaped.headers.location]).toEqual([301, "/admin/a%2520b/"]);
  });

  it("matches a pattern exactly: a trailing slash after /admin takes no route (http.NotFound)", async () => {
    const slash = await send(kratos.adminUrl, "GET", "/admin/identities/");
    expect([slash.status, slash.headers["content-type"], slash.body]).toEqual([404, "text/plain; charset=utf-8", "404 page not found\n"]);
    // Without the prefix, path.Join drops the slash.
    expect((await send(kratos.adminUrl, "GET", "/identities/?per_page=1")).status).toBe(200);
  });

  it("serves /admin/health/config: the revision, else a SHA-256 of the loaded config (driver/config/handler.go RegisterConfigHashRoute)", async () => {
    const hash = await send(kratos.adminUrl, "GET", "/admin/health/config");
    expect(hash.status).toBe(200);
    expect(hash.headers["content-type"]).toBe("text/plain");
    expect(hash.body).toMatch(/^[0-9a-f]{64}$/);
    expect((await send(kratos.adminUrl, "GET", "/health/config")).body).toBe(hash.body);
    // Another configuration, another digest.
    const other = await send(changed.adminUrl, "GET", "/admin/health/config");
    expect(other.body).toMatch(/^[0-9a-f]{64}$/);
    expect(other.body).not.toBe(hash.body);

    const revision = await send(revised.adminUrl, "GET", "/admin/health/config", { Authorization: `Bearer ${TOKEN}` });
    expect([revision.status, revision.headers["content-type"], revision.body]).toEqual([200, "text/plain", "2026-12-05.r1"]);

    // Only the admin router has it (RegisterAdminRoutes); the public port's mux does not.
    const onPublic = await send(kratos.publicUrl, "GET", "/admin/health/config");
    expect([onPublic.status, onPublic.body]).toEqual([404, "404 page not found\n"]);
  });

  it("keeps ADMIN_API_TOKEN on /admin/health/config (it digests the whole config); the liveness and readiness probes stay free", async () => {
    expect((await send(revised.adminUrl, "GET", "/admin/health/config")).status).toBe(401);
    expect((await send(revised.adminUrl, "GET", "/health/alive")).status).toBe(200);
    expect((await send(revised.adminUrl, "GET", "/admin/health/ready")).status).toBe(200);
    // A probe path spelled uncleanly is no probe: the token decides before ServeMux's redirect.
    expect((await send(revised.adminUrl, "GET", "/admin/health//alive")).status).toBe(401);
  });
});

describe("public port: nosurf in front of ServeMux", () => {
  it("answers an unknown path with ServeMux's 404 after nosurf added Vary: Cookie and a new anti-CSRF cookie", async () => {
    const res = await send(kratos.publicUrl, "GET", "/nope");
    expect([res.status, res.headers["content-type"], res.body]).toEqual([404, "text/plain; charset=utf-8", "404 page not found\n"]);
    expect(vary(res)).toContain("Cookie");
    const [cookie] = setCookies(res);
    expect(cookie).toMatch(/^csrf_token_[0-9a-f]{64}=[^;]+; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax/);

    // With the cookie held, nosurf keeps it.
    const pair = (cookie ?? "").split(";")[0] ?? "";
    const again = await send(kratos.publicUrl, "GET", "/nope", { Cookie: pair });
    expect([again.status, setCookies(again)]).toEqual([404, []]);
  });

  it("refuses an unsafe method on an unknown path without the cookie's token (nosurfx CSRFFailureHandler), lets it through with it", async () => {
    const refused = await send(kratos.publicUrl, "POST", "/nope");
    expect(refused.status).toBe(403);
    const body = JSON.parse(refused.body) as { error: { id: string; details: { reject_reason: string } } };
    expect(body.error.id).toBe("security_csrf_violation");
    expect(body.error.details.reject_reason).toBe("The HTTP Cookie Header is empty or not set.");

    const cookie = (setCookies(refused)[0] ?? "").split(";")[0] ?? "";
    const token = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1));
    const passed = await send(kratos.publicUrl, "POST", "/nope", { Cookie: cookie, "X-CSRF-Token": token });
    expect([passed.status, passed.body]).toEqual([404, "404 page not found\n"]);
  });

  it("answers a known path's other method with ServeMux's 405; nosurf skips ignored and disabled paths", async () => {
    // IgnorePath(RouteInitAPIFlow): no cookie, no check, Vary still added.
    const ignored = await send(kratos.publicUrl, "DELETE", "/self-service/login/api");
    expect([ignored.status, ignored.headers.allow, ignored.body, setCookies(ignored)]).toEqual([
      405,
      "GET, HEAD",
      "Method Not Allowed\n",
      [],
    ]);
    expect(vary(ignored)).toContain("Cookie");
    // DisablePath(AliveCheckPath): nosurf is not there at all.
    const disabled = await send(kratos.publicUrl, "POST", "/health/alive");
    expect([disabled.status, disabled.headers.allow, setCookies(disabled)]).toEqual([405, "GET, HEAD", []]);
    expect(vary(disabled)).not.toContain("Cookie");
    // Not ignored: nosurf refuses before ServeMux could say 405.
    expect((await send(kratos.publicUrl, "PUT", "/self-service/login/browser")).status).toBe(403);
  });

  it("redirects an unclean path with 301 after nosurf, and sends only the admin routes Kratos lists to the admin port", async () => {
    const unclean = await send(kratos.publicUrl, "GET", "//self-service/login/browser?return_to=x");
    expect([unclean.status, unclean.headers.location]).toEqual([301, "/self-service/login/browser?return_to=x"]);
    expect(setCookies(unclean)).toHaveLength(1);

    // identity/handler.go RegisterPublicRoutes: with and without /admin (redir.RedirectToAdminRoute, 307).
    for (const [method, path, target] of [
      ["GET", "/identities?page_size=1", "/admin/identities?page_size=1"],
      ["GET", "/admin/identities", "/admin/identities"],
      ["POST", "/recovery/code", "/admin/recovery/code"],
      ["GET", "/admin/courier/messages?", "/admin/courier/messages?"],
    ] as const) {
      const res = await send(kratos.publicUrl, method, path);
      expect([res.status, res.headers.location], `${method} ${path}`).toEqual([307, `${kratos.adminUrl}${target}`]);
    }
    // Any other /admin path is the mux's 404.
    const unknown = await send(kratos.publicUrl, "GET", "/admin/nope");
    expect([unknown.status, unknown.body]).toEqual([404, "404 page not found\n"]);
  });
});
