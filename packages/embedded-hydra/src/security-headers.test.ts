import { createHash, randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { startHydraUnderTest, startTestPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

interface Seen {
  what: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

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

/** Tokens, challenges, flows and sessions must never be cached. */
function expectNoStore(seen: Seen): void {
  expect(seen.headers["cache-control"], `${seen.what} → ${seen.status}`).toMatch(/no-store/);
}

const REDIRECT_URI = "http://rp.localhost:5555/callback";
let pg: TestPostgres;
let hydra: HydraUnderTest;

beforeAll(async () => {
  pg = await startTestPostgres();
  hydra = await startHydraUnderTest(pg);
});
afterAll(async () => {
  await hydra?.close();
  await pg?.stop();
});

describe("security headers on every response", () => {
  it("covers every route of both ports with every method they take, plus 404 and 405", async () => {
    const seen: Seen[] = [];
    for (const [base, routes] of [
      [hydra.publicUrl, hydra.routes.public],
      [hydra.adminUrl, hydra.routes.admin],
    ] as const) {
      for (const route of routes) {
        const path = route.pattern.replace(/:[a-z_]+/g, () => randomUUID());
        for (const method of route.methods) {
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
    }
    seen.push(await call(hydra.adminUrl, "PATCH", "/admin/clients"));
    expect(seen.length).toBeGreaterThan(40);
    for (const s of seen) expectHardened(s);
    // Everything but the public metadata (discovery, keys) is no-store.
    for (const s of seen.filter((x) => !/well-known/.test(x.what))) expectNoStore(s);
    expect(seen.filter((s) => s.status === 200).length).toBeGreaterThan(5);
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
        hops.push({ what: `GET ${current.pathname}`, status: response.status, headers: Object.fromEntries(response.headers) });
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
    for (const r of [...hops, ...responses]) {
      expectHardened(r);
      expectNoStore(r);
    }

    const raw = await rawRequest(new URL(hydra.publicUrl), "GET /oauth2/auth HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toMatch(/X-Content-Type-Options: nosniff/);
    const hostless = await rawRequest(new URL(hydra.adminUrl), "GET /admin/clients HTTP/1.1\r\nConnection: close\r\n\r\n");
    expect(hostless).toMatch(/^HTTP\/1\.1 400 /);
    expect(hostless).toMatch(/X-Content-Type-Options: nosniff/i);
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
