import { createHash, randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

interface Seen {
  what: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** oryx httprouterx/router.go NoCacheNegroni (cmd/server/handler.go runs it on both ports): every GET, before any handler. */
const NO_CACHE_NEGRONI = "private, no-cache, no-store, must-revalidate";

/** A request without fetch's header normalisation, so every header the server sends is visible. */
function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path.replace(/^\//, ""), base),
      { method, headers: { ...headers, ...(body ? { "Content-Length": Buffer.byteLength(body) } : {}) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ what: `${method} ${path}`, status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function expectHardened(seen: Seen): void {
  const where = `${seen.what} → ${seen.status}`;
  expect(seen.headers["x-content-type-options"], where).toBe("nosniff");
  expect(seen.headers["x-frame-options"], where).toBe("DENY");
  expect(seen.headers.server, where).toBeUndefined();
  expect(seen.headers["x-powered-by"], where).toBeUndefined();
}

/**
 * Hydra's Cache-Control: fosite's writers set `no-store` and `Pragma:
 * no-cache` on what they write (access_write.go, access_error.go,
 * revoke_handler.go WriteRevocationResponse, introspection_response_writer.go,
 * device_write.go, authorize_write.go, authorize_error.go); everything else
 * keeps NoCacheNegroni's, which only a GET gets — not a HEAD, not a
 * preflight, not a POST.
 */
function expectHydraCaching(seen: Seen, writtenByFosite: boolean): void {
  const where = `${seen.what} → ${seen.status}`;
  const method = seen.what.split(" ")[0];
  const expected = writtenByFosite ? "no-store" : method === "GET" ? NO_CACHE_NEGRONI : undefined;
  expect(seen.headers["cache-control"], where).toBe(expected);
  expect(seen.headers.pragma, where).toBe(writtenByFosite ? "no-cache" : undefined);
}

/** The answers the route walk below gets from one of fosite's writers. */
const FOSITE_WRITTEN = new Set([
  "POST /oauth2/token", // access_error.go writeJsonError
  "POST /oauth2/revoke", // revoke_handler.go WriteRevocationResponse
  "POST /oauth2/device/auth", // access_error.go writeJsonError (oauth2/handler.go oAuth2DeviceFlow)
  "POST /admin/oauth2/introspect", // introspection_response_writer.go WriteIntrospectionError (inactive)
]);

const REDIRECT_URI = "http://rp.localhost:5555/callback";
let pg: TestPostgres;
let hydra: HydraUnderTest;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
});
afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("security headers on every response", () => {
  it("covers every route of both ports with every method they take, plus 404 and 405", async () => {
    const seen: Seen[] = [];
    for (const [base, routes] of [
      [hydra.publicUrl, hydra.routes.public],
      [hydra.adminUrl, hydra.routes.admin],
    ] as const) {
      for (const route of routes) {
        const path = route.pattern.replace(/:[a-z_]+/g, () => randomUUID());
        // A GET route serves HEAD too (Go's ServeMux); NoCacheNegroni leaves a HEAD alone.
        for (const method of route.methods.includes("GET") ? [...route.methods, "HEAD"] : route.methods) {
          const headers: Record<string, string> = {
            Accept: "application/json",
            "Content-Type": method === "GET" ? "application/json" : "application/x-www-form-urlencoded",
          };
          if (method === "OPTIONS")
            Object.assign(headers, { Origin: "http://ciam.localhost:3000", "Access-Control-Request-Method": "POST" });
          seen.push(await call(base, method, path, headers, method === "GET" || method === "OPTIONS" ? undefined : "a=b"));
        }
      }
      seen.push(await call(base, "GET", "/no/such/route"));
      seen.push(await call(base, "POST", "/no/such/route"));
    }
    // The mux's 405 (admin) and the not-found page for a method a route does not take (public).
    seen.push(await call(hydra.adminUrl, "PATCH", "/admin/clients"));
    seen.push(await call(hydra.adminUrl, "GET", "/admin/oauth2/introspect"));
    seen.push(await call(hydra.publicUrl, "GET", "/oauth2/token"));
    expect(seen.length).toBeGreaterThan(40);
    for (const s of seen) expectHardened(s);
    // The discovery document and the key set included: no handler of Hydra's sets a max-age.
    for (const s of seen) expectHydraCaching(s, FOSITE_WRITTEN.has(s.what));
    expect(seen.filter((s) => s.status === 200).length).toBeGreaterThan(5);
    expect(seen.filter((s) => s.status === 405).length).toBeGreaterThan(0);
  });

  it("covers a whole authorization: redirects, challenges, the token response, userinfo and introspection", async () => {
    const { data: client } = await hydra.admin.createOAuth2Client({
      oAuth2Client: { redirect_uris: [REDIRECT_URI], scope: "openid offline_access", grant_types: ["authorization_code", "refresh_token"] },
    });
    const verifier = randomBytes(32).toString("base64url");
    const auth = new URL("oauth2/auth", hydra.publicUrl);
    for (const [k, v] of Object.entries({
      client_id: client.client_id ?? "",
      response_type: "code",
      redirect_uri: REDIRECT_URI,
      scope: "openid offline_access",
      state: "state-123",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }))
      auth.searchParams.set(k, v);

    const browser = new TestBrowser();
    const hops: Seen[] = [];
    const recordingNavigate = async (start: string, stop: (u: URL) => boolean) => {
      let current = new URL(start);
      for (let i = 0; i < 20 && !stop(current); i++) {
        const response = await browser.request(current.toString());
        hops.push({ what: `GET ${current.href}`, status: response.status, headers: Object.fromEntries(response.headers) });
        const location = response.headers.get("location");
        await response.body?.cancel();
        if (!location) break;
        current = new URL(location, current);
      }
      return current;
    };
    const atLogin = await recordingNavigate(auth.toString(), (u) => u.toString().startsWith("http://ciam.localhost:3000/login"));
    const loginChallenge = atLogin.searchParams.get("login_challenge") ?? "";
    const responses: Seen[] = [await call(hydra.adminUrl, "GET", `/admin/oauth2/auth/requests/login?login_challenge=${loginChallenge}`)];
    const { data: login } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge,
      acceptOAuth2LoginRequest: { subject: "header-user" },
    });
    const atConsent = await recordingNavigate(login.redirect_to, (u) => u.toString().startsWith("http://ciam.localhost:3000/consent"));
    const consentChallenge = atConsent.searchParams.get("consent_challenge") ?? "";
    responses.push(await call(hydra.adminUrl, "GET", `/admin/oauth2/auth/requests/consent?consent_challenge=${consentChallenge}`));
    const { data: consent } = await hydra.admin.acceptOAuth2ConsentRequest({
      consentChallenge,
      acceptOAuth2ConsentRequest: { grant_scope: ["openid", "offline_access"] },
    });
    const callback = await recordingNavigate(consent.redirect_to, (u) => u.toString().startsWith(REDIRECT_URI));

    const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`;
    const tokenForm = new URLSearchParams({
      grant_type: "authorization_code",
      code: callback.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    const tokenResponse = await fetch(new URL("oauth2/token", hydra.publicUrl), {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: tokenForm,
    });
    responses.push({ what: "POST /oauth2/token", status: tokenResponse.status, headers: Object.fromEntries(tokenResponse.headers) });
    const tokens = (await tokenResponse.json()) as { access_token: string; refresh_token: string };
    responses.push(await call(hydra.publicUrl, "GET", "/userinfo", { Authorization: `Bearer ${tokens.access_token}` }));
    responses.push(
      await call(
        hydra.adminUrl,
        "POST",
        "/admin/oauth2/introspect",
        { "Content-Type": "application/x-www-form-urlencoded" },
        `token=${tokens.access_token}`,
      ),
    );
    responses.push(
      await call(
        hydra.publicUrl,
        "POST",
        "/oauth2/token",
        { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" },
        `grant_type=refresh_token&refresh_token=${tokens.refresh_token}`,
      ),
    );
    responses.push(
      await call(
        hydra.publicUrl,
        "POST",
        "/oauth2/revoke",
        { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" },
        `token=${tokens.access_token}`,
      ),
    );
    responses.push(await call(hydra.adminUrl, "GET", `/admin/clients/${client.client_id}`));

    expect(hops.length).toBeGreaterThanOrEqual(4);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    for (const r of [...hops, ...responses]) expectHardened(r);
    // Hydra's redirects to the login and consent UI (http.Redirect) keep NoCacheNegroni's; the answer
    // that carries the code to the client is fosite's WriteAuthorizeResponse.
    const toClient = hops.filter((hop) => String(hop.headers.location ?? "").startsWith(REDIRECT_URI));
    expect(toClient).toHaveLength(1);
    for (const hop of hops) expectHydraCaching(hop, toClient.includes(hop));
    // Login and consent requests, userinfo (herodot) and the client keep NoCacheNegroni's; the token answers
    // and the revocation are fosite's; an active introspection (oauth2/handler.go introspectOAuth2Token) has none.
    responses.forEach((r, i) => expectHydraCaching(r, [2, 5, 6].includes(i)));

    // Requests Go's server refuses before any handler runs: net/http's bare text/plain answer, none of
    // Hydra's headers (server.go conn.serve; every case in hardening.test.ts).
    const raw = await rawRequest(new URL(hydra.publicUrl), "GET /oauth2/auth HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    expect(raw).toBe("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request");
    const hostless = await rawRequest(new URL(hydra.adminUrl), "GET /admin/clients HTTP/1.1\r\nConnection: close\r\n\r\n");
    expect(hostless).toMatch(/^HTTP\/1\.1 400 Bad Request: missing required Host header\r\n/);
    expect(hostless).not.toMatch(/nosniff|cache-control/i);
  });

  it("authorization answers: fosite's no-store at the client, NoCacheNegroni's (GET only) on Hydra's own redirects", async () => {
    const { data: client } = await hydra.admin.createOAuth2Client({
      oAuth2Client: { redirect_uris: [REDIRECT_URI], scope: "openid", grant_types: ["authorization_code"] },
    });
    const params = { client_id: client.client_id ?? "", response_type: "code", redirect_uri: REDIRECT_URI, scope: "openid" };
    const authorize = (extra: Record<string, string>) => `/oauth2/auth?${new URLSearchParams({ ...params, ...extra }).toString()}`;
    const form = { "Content-Type": "application/x-www-form-urlencoded" };

    // authorize_error.go WriteAuthorizeError at the redirect URI (a state too short: fosite's invalid_state).
    const refused = await call(hydra.publicUrl, "GET", authorize({ state: "short" }));
    expect(refused.status).toBe(303);
    expect(String(refused.headers.location)).toMatch(/^http:\/\/rp\.localhost:5555\/callback\?error=invalid_state/);
    expectHydraCaching(refused, true);
    const refusedPost = await call(
      hydra.publicUrl,
      "POST",
      "/oauth2/auth",
      form,
      new URLSearchParams({ ...params, state: "short" }).toString(),
    );
    expect(refusedPost.status).toBe(303);
    expectHydraCaching(refusedPost, true);

    // consent/strategy_default.go forwardAuthenticationRequest: http.Redirect to the login UI.
    const toLogin = await call(hydra.publicUrl, "GET", authorize({ state: "state-12345" }));
    expect(String(toLogin.headers.location)).toMatch(/^http:\/\/ciam\.localhost:3000\/login\?login_challenge=/);
    expectHydraCaching(toLogin, false);
    // The same request POSTed (served here as a GET of its form): Hydra's POST gets no Cache-Control.
    const toLoginPost = await call(
      hydra.publicUrl,
      "POST",
      "/oauth2/auth",
      form,
      new URLSearchParams({ ...params, state: "state-12345" }).toString(),
    );
    expect(String(toLoginPost.headers.location)).toMatch(/^http:\/\/ciam\.localhost:3000\/login\?login_challenge=/);
    expectHydraCaching(toLoginPost, false);
    // A HEAD is served by the GET route, without NoCacheNegroni's header.
    expectHydraCaching(await call(hydra.publicUrl, "HEAD", authorize({ state: "state-12345" })), false);

    // oauth2/handler.go writeAuthorizeError → forwardError: http.Redirect to the error UI.
    const unknown = await call(hydra.publicUrl, "GET", authorize({ client_id: "no-such-client", state: "state-12345" }));
    expect(String(unknown.headers.location)).toMatch(/^http:\/\/ciam\.localhost:3000\/error\?error=invalid_client/);
    expectHydraCaching(unknown, false);
  });
});

function rawRequest(url: URL, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
  });
}
