import { randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosInstancesWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../testing/harness";
import { nosurfIgnores } from "./nosurf";

/**
 * ory/nosurf v1.2.7 CSRFHandler.ServeHTTP, which cmd/daemon/serve.go
 * servePublic wraps around the whole public router (x/nosurfx
 * NewCSRFHandler): on a route's own answers as on ServeMux's
 * (mux-routing.test.ts covers those), and reading a multipart body's
 * csrf_token (extractToken: r.PostFormValue → ParseMultipartForm).
 */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Answer> {
  const { hostname, port } = new URL(base);
  const sized = body ? { ...headers, "Content-Length": String(body.length) } : headers;
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers: sized }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    // A request the server never answers fails here rather than at the test's timeout.
    req.setTimeout(45_000, () => req.destroy(new Error(`no answer to ${method} ${path}`)));
    req.end(body);
  });
}

const DISABLED = new Set(["/health/alive", "/health/ready", "/version"]);
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const vary = (answer: Answer): string => [answer.headers.vary ?? []].flat().join(", ");
const csrfCookies = (answer: Answer): string[] => [answer.headers["set-cookie"] ?? []].flat().filter((c) => c.startsWith("csrf_token_"));
/** The `name=value` pair of a Set-Cookie. */
const pairOf = (setCookie: string | undefined): string => (setCookie ?? "").split(";")[0] ?? "";
/** The raw token a `name=value` pair holds (this server percent-encodes the base64 value). */
const rawOf = (pair: string): Buffer => Buffer.from(decodeURIComponent(pair.slice(pair.indexOf("=") + 1)), "base64");
/** A route pattern as a request path: each parameter a fresh UUID. */
const pathOf = (pattern: string): string => pattern.replace(/:[A-Za-z_]+/g, () => randomUUID());

/** nosurf's masked form of a raw token: pad || token XOR pad (crypto.go maskToken). */
function mask(raw: Buffer): string {
  const pad = randomBytes(raw.length);
  return Buffer.concat([pad, Buffer.from(raw.map((byte, i) => byte ^ (pad[i] ?? 0)))]).toString("base64");
}

function unmask(masked: string): Buffer {
  const bytes = Buffer.from(masked, "base64");
  const half = bytes.length / 2;
  return Buffer.from(bytes.subarray(half).map((byte, i) => byte ^ (bytes[i] ?? 0)));
}

const BOUNDARY = "nosurfBoundary";
function multipart(fields: [string, string][]): { body: Buffer; contentType: string } {
  const parts = fields.map(([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { body: Buffer.from(`${parts.join("")}--${BOUNDARY}--\r\n`), contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}

interface FlowJson {
  id: string;
  ui: { nodes: { attributes: { name?: string; value?: unknown } }[] };
}
const csrfNodeOf = (flow: FlowJson): string => {
  const value = flow.ui.nodes.find((node) => node.attributes.name === "csrf_token")?.attributes.value;
  return typeof value === "string" ? value : "";
};

let pg: TestPostgres;
let kratos: TestKratos;
let sameSiteNone: TestKratos;

beforeAll(async () => {
  ({
    pg,
    kratos: [kratos, sameSiteNone],
  } = await startKratosInstancesWithPostgres([
    { database: "nosurf_routed" },
    { database: "nosurf_same_site_none", options: { configOverrides: { cookies: { same_site: "None", path: "/" } } } },
  ] as const));
});
afterAll(() => stopKratosAndPostgres([kratos, sameSiteNone], pg));

describe("the anti-CSRF cookie nosurf sets (setTokenCookie with nosurfx NosurfBaseCookieHandler's base cookie)", () => {
  it("is written as http.SetCookie writes it: the base64 value as it is, Path, Max-Age of a year, HttpOnly, SameSite", async () => {
    const [cookie] = csrfCookies(await send(kratos.publicUrl, "GET", "/self-service/login/browser"));
    expect(cookie).toMatch(/^csrf_token_[0-9a-f]{64}=[A-Za-z0-9+/]{43}=; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax$/);
  });

  it("is SameSite=Lax whatever cookies.same_site says when it is not Secure", async () => {
    const [cookie] = csrfCookies(await send(sameSiteNone.publicUrl, "GET", "/nope"));
    expect(cookie).toMatch(/; HttpOnly; SameSite=Lax$/);
  });
});

describe("nosurf on the public routes' own answers (CSRFHandler.ServeHTTP before the router)", () => {
  it("adds Vary: Cookie to every route's answer but the disabled paths', and a new anti-CSRF cookie where the path is not ignored", async () => {
    let guarded = 0;
    for (const route of kratos.routes.public) {
      const path = pathOf(route.pattern);
      for (const method of route.methods.filter((m) => !UNSAFE.has(m))) {
        const res = await send(kratos.publicUrl, method, path, { Accept: "application/json" });
        const where = `${method} ${route.pattern} → ${res.status}`;
        if (DISABLED.has(path)) {
          // DisablePath: nosurf hands the request on untouched.
          expect([vary(res), csrfCookies(res)], where).toEqual(["", []]);
          continue;
        }
        expect(vary(res), where).toContain("Cookie");
        if (nosurfIgnores(path)) continue;
        guarded++;
        expect(csrfCookies(res), where).toHaveLength(1);
      }
    }
    expect(guarded).toBeGreaterThan(10);
  });

  it("leaves a route's body to the route: every unsafe public route is on a path nosurf ignores (IgnorePath/IgnoreGlob)", () => {
    const unsafe = kratos.routes.public.filter((route) => route.methods.some((m) => UNSAFE.has(m)));
    expect(unsafe.length).toBeGreaterThan(5);
    for (const route of unsafe) expect(nosurfIgnores(pathOf(route.pattern)), route.pattern).toBe(true);
  });

  it("sets one cookie on a browser flow's init, the one its csrf_token unmasks to (RegenerateToken once per request, ctxWasSent)", async () => {
    const res = await send(kratos.publicUrl, "GET", "/self-service/login/browser", { Accept: "application/json" });
    expect(res.status).toBe(200);
    expect(vary(res)).toContain("Cookie");
    const [cookie] = csrfCookies(res);
    expect(csrfCookies(res)).toHaveLength(1);
    expect(unmask(csrfNodeOf(JSON.parse(res.body) as FlowJson)).equals(rawOf(pairOf(cookie)))).toBe(true);
  });

  it("replaces several anti-CSRF cookies on a guarded path; on an ignored path keeps no token, so a flow's submission is refused", async () => {
    const init = await send(kratos.publicUrl, "GET", "/self-service/login/browser", { Accept: "application/json" });
    const flow = JSON.parse(init.body) as FlowJson;
    const pair = pairOf(csrfCookies(init)[0]);
    const stray = `${pair.slice(0, pair.indexOf("="))}=${encodeURIComponent(randomBytes(32).toString("base64"))}`;

    // len(realTokens) > 1: RegenerateToken, even though one of them is right ("a cleanup job"); the flow's
    // token then matches the request's no more, and getLoginFlow answers CSRFErrorReason.
    const fetched = await send(kratos.publicUrl, "GET", `/self-service/login/flows?id=${flow.id}`, {
      Accept: "application/json",
      Cookie: `${pair}; ${stray}`,
    });
    expect(fetched.status).toBe(403);
    expect(csrfCookies(fetched)).toHaveLength(1);
    expect(pairOf(csrfCookies(fetched)[0])).not.toBe(pair);
    // With the lone cookie the flow is read, and nosurf keeps the cookie.
    const kept = await send(kratos.publicUrl, "GET", `/self-service/login/flows?id=${flow.id}`, {
      Accept: "application/json",
      Cookie: pair,
    });
    expect([kept.status, csrfCookies(kept)]).toEqual([200, []]);

    // IgnorePath(RouteSubmitFlow): no token in the request's context, so flow.EnsureCSRF fails whatever is sent.
    const submit = (cookie: string) =>
      send(
        kratos.publicUrl,
        "POST",
        `/self-service/login?flow=${flow.id}`,
        { Accept: "application/json", "Content-Type": "application/json", Cookie: cookie },
        Buffer.from(
          JSON.stringify({
            method: "password",
            identifier: "nobody@example.com",
            password: "wrong-password-1",
            csrf_token: csrfNodeOf(flow),
          }),
        ),
      );
    const refused = await submit(`${pair}; ${stray}`);
    expect(refused.status).toBe(403);
    expect((JSON.parse(refused.body) as { error: { id: string } }).error.id).toBe("security_csrf_violation");
    expect(csrfCookies(refused)).toEqual([]);
    // With the lone right cookie the check passes and the password is what is refused.
    expect((await submit(pair)).status).toBe(400);
  });
});

describe("nosurf reads a multipart body's csrf_token (extractToken: r.PostFormValue runs ParseMultipartForm)", () => {
  it("lets an unsafe method through with the token in a multipart field, whatever the method", async () => {
    const first = await send(kratos.publicUrl, "GET", "/nope");
    const pair = pairOf(csrfCookies(first)[0]);
    const { body, contentType } = multipart([
      ["other", "x"],
      ["csrf_token", mask(rawOf(pair))],
    ]);
    for (const method of ["POST", "DELETE"]) {
      const res = await send(kratos.publicUrl, method, "/nope", { Cookie: pair, "Content-Type": contentType }, body);
      expect([method, res.status, res.body]).toEqual([method, 404, "404 page not found\n"]);
    }
  });

  it("refuses a wrong multipart token as a mismatch (CSRFErrorReason reads r.Form's csrf_token), a missing one as not sent", async () => {
    const first = await send(kratos.publicUrl, "GET", "/nope");
    const pair = pairOf(csrfCookies(first)[0]);
    const reasonOf = async (fields: [string, string][]) => {
      const { body, contentType } = multipart(fields);
      const res = await send(kratos.publicUrl, "POST", "/nope", { Cookie: pair, "Content-Type": contentType }, body);
      expect(res.status).toBe(403);
      return (JSON.parse(res.body) as { error: { details: { reject_reason?: string; hint: string } } }).error.details;
    };
    expect((await reasonOf([["csrf_token", mask(randomBytes(32))]])).reject_reason).toMatch(/do not match/);
    expect((await reasonOf([["other", "x"]])).hint).toMatch(/^The anti-CSRF cookie was found but the CSRF token was not included/);
  });

  it("reads the body as Go's mime/multipart ReadForm does: quoted-printable decoded, the first Content-Disposition, a part Go skips left out", async () => {
    const first = await send(kratos.publicUrl, "GET", "/nope");
    const pair = pairOf(csrfCookies(first)[0]);
    const token = mask(rawOf(pair));
    const status = async (parts: string[]) => {
      const body = Buffer.from(`${parts.map((part) => `--${BOUNDARY}\r\n${part}\r\n`).join("")}--${BOUNDARY}--\r\n`);
      const contentType = `multipart/form-data; boundary=${BOUNDARY}`;
      return (await send(kratos.publicUrl, "POST", "/nope", { Cookie: pair, "Content-Type": contentType }, body)).status;
    };
    // multipart.go newPart decodes a quoted-printable part: `=3D` is the `=` the base64 token ends in.
    const encoded = token.replace(/=/g, "=3D");
    const qp = `Content-Disposition: form-data; name="csrf_token"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encoded}`;
    expect(await status([qp])).toBe(404);
    // Part.FormName reads Header.Get, the first Content-Disposition.
    const twice = `Content-Disposition: form-data; name="csrf_token"\r\nContent-Disposition: form-data; name="other"\r\n\r\n${token}`;
    expect(await status([twice])).toBe(404);
    // A part named only as an attachment has no FormName: ReadForm skips it.
    expect(await status([`Content-Disposition: attachment; name="csrf_token"\r\n\r\n${token}`])).toBe(403);
  });
});

describe("a route parameter with an encoded slash, past the ignore globs (IgnoreGlob matches r.URL.Path, the router the escaped path)", () => {
  // strategy.go redirectToGET's r.ParseForm after nosurf's ParseMultipartForm: it keeps r.Form, multipart fields included, and returns nil.
  it("leaves the form nosurf parsed to the route: the OIDC form_post callback answers its 302 with the fields", async () => {
    const first = await send(kratos.publicUrl, "GET", "/nope");
    const pair = pairOf(csrfCookies(first)[0]);
    const headers = (contentType: string) => ({ Cookie: pair, "X-CSRF-Token": mask(rawOf(pair)), "Content-Type": contentType });
    const callback = "/self-service/methods/oidc/callback";
    const answer = async (path: string, contentType: string, body: Buffer) => {
      const res = await send(kratos.publicUrl, "POST", path, headers(contentType), body);
      return [res.status, res.headers.location];
    };
    const form = Buffer.from("state=x&code=y");
    const urlencoded = "application/x-www-form-urlencoded";
    expect(await answer(`${callback}/a%2Fb`, urlencoded, form)).toEqual([302, `${kratos.publicUrl}${callback}/a%2Fb?code=y&state=x`]);
    expect(await answer(`${callback}/ab`, urlencoded, form)).toEqual([302, `${kratos.publicUrl}${callback}/ab?code=y&state=x`]);
    const { body, contentType } = multipart([["state", "x"]]);
    expect(await answer(`${callback}/a%2Fb`, contentType, body)).toEqual([302, `${kratos.publicUrl}${callback}/a%2Fb?state=x`]);
    // On the ignored path nothing parsed the multipart body, and redirectToGET's ParseForm leaves it: the query alone.
    expect(await answer(`${callback}/ab`, contentType, body)).toEqual([302, `${kratos.publicUrl}${callback}/ab`]);
  });
});
