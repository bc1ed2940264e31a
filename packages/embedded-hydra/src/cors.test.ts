import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileGlob } from "./cors/glob";
import { createClient } from "./testing/clients";
import {
  startHydraWithConfig,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type HydraYaml,
  type TestPostgres,
} from "./testing/harness";

/**
 * CORS on both ports, compared with Hydra v26.2.0: cmd/server/handler.go
 * publicServer/adminServer (rs/cors v1.11.1 in front of every route when
 * serve.*.cors.enabled), driver/registry_sql.go RegisterPublicRoutes
 * (addPublicCORSOnHandler around health, x/oauth2cors Middleware around the
 * OAuth2 routes), x/oauth2cors/cors.go Middleware (configured origins as
 * gobwas globs, then the client's allowed_cors_origins) and
 * driver/config/serve.go defaultCORSOptions.
 */
const ALLOWED = "http://ciam.localhost:3000";
const CLIENT_ORIGIN = "https://app.client.example";
const EVIL = "https://evil.example";
const PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
const EXPOSED = "Cache-Control, Expires, Last-Modified, Pragma, Content-Length, Content-Language, Content-Type";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let disabled: HydraUnderTest;
let custom: HydraUnderTest;
let client: { id: string; secret: string };

/** Another instance on the first one's database (so it knows the test client), with `change` made to the config. */
const variant = (change: (config: HydraYaml) => void): Promise<HydraUnderTest> =>
  startHydraWithConfig(pg, change, { database: new URL(hydra.dsn).pathname.slice(1) });

interface Answer {
  status: number;
  cors: Record<string, string>;
}

async function call(base: string, method: string, route: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const res = await fetch(new URL(route.replace(/^\//, ""), base), {
    method,
    headers,
    redirect: "manual",
    ...(body !== undefined ? { body } : {}),
  });
  await res.arrayBuffer();
  const cors: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name.startsWith("access-control-") || name === "vary") cors[name] = value;
  });
  return { status: res.status, cors };
}

const preflight = (base: string, route: string, origin: string, extra: Record<string, string> = {}) =>
  call(base, "OPTIONS", route, { Origin: origin, "Access-Control-Request-Method": "POST", ...extra });

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

function clientCredentials(base: string, origin: string, style: "basic" | "post" = "basic"): Promise<Answer> {
  const headers: Record<string, string> = { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" };
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (style === "basic") headers.Authorization = basic(client.id, client.secret);
  else {
    form.set("client_id", client.id);
    form.set("client_secret", client.secret);
  }
  return call(base, "POST", "/oauth2/token", headers, form.toString());
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  client = await createClient(hydra, {
    grant_types: ["client_credentials"],
    token_endpoint_auth_method: "client_secret_basic",
    allowed_cors_origins: [CLIENT_ORIGIN, "https://*.glob.example"],
  });
  disabled = await variant((config) => {
    config.serve!.public!.cors = { enabled: false };
  });
  custom = await variant((config) => {
    config.serve!.public!.cors = {
      enabled: true,
      allowed_origins: ["https://*.example.com"],
      allowed_headers: ["X-Custom"],
      exposed_headers: ["x-one"],
      allow_credentials: false,
      max_age: 60,
    };
    config.serve!.admin!.cors = { enabled: true, allowed_origins: [ALLOWED] };
  });
}, 120_000);

afterAll(() => stopHydraAndPostgres([hydra, disabled, custom], pg));

describe("serve.public.cors disabled (Hydra's default): no CORS at all", () => {
  it("answers preflights of the OAuth2 routes with handleOptions' empty 200 and no CORS headers", async () => {
    for (const route of ["/oauth2/token", "/oauth2/revoke", "/userinfo", "/.well-known/jwks.json", "/.well-known/openid-configuration"]) {
      expect(await preflight(disabled.publicUrl, route, ALLOWED), route).toEqual({ status: 200, cors: {} });
    }
  });

  it("adds no CORS headers to oidc-provider's endpoints (which allow any origin on their own)", async () => {
    expect((await clientCredentials(disabled.publicUrl, EVIL)).cors).toEqual({});
    expect((await call(disabled.publicUrl, "GET", "/.well-known/jwks.json", { Origin: EVIL })).cors).toEqual({});
    expect((await call(disabled.publicUrl, "GET", "/.well-known/openid-configuration", { Origin: ALLOWED })).cors).toEqual({});
  });

  it("leaves the admin port without CORS (serve.admin.cors disabled)", async () => {
    expect((await call(hydra.adminUrl, "GET", "/admin/clients", { Origin: ALLOWED })).cors).toEqual({});
  });
});

describe("serve.public.cors enabled: the port's rs/cors middleware", () => {
  it("answers every preflight itself with 204, whatever the route (a 404 one too)", async () => {
    const allowed = {
      status: 204,
      cors: {
        vary: PREFLIGHT_VARY,
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-methods": "POST",
        "access-control-allow-credentials": "true",
      },
    };
    for (const route of ["/oauth2/token", "/oauth2/auth", "/health/alive", "/no/such/route", "/credentials"]) {
      expect(await preflight(hydra.publicUrl, route, ALLOWED), route).toEqual(allowed);
      expect(await preflight(hydra.publicUrl, route, EVIL), route).toEqual({ status: 204, cors: { vary: PREFLIGHT_VARY } });
    }
  });

  it("accepts requested headers only lower-case, sorted and allowed (rs/cors internal.SortedSet Accepts)", async () => {
    const sorted = await preflight(hydra.publicUrl, "/oauth2/token", ALLOWED, {
      "Access-Control-Request-Headers": "authorization,content-type",
    });
    expect(sorted.cors["access-control-allow-headers"]).toBe("authorization,content-type");
    for (const requested of ["content-type,authorization", "x-custom", "authorization,  content-type"]) {
      const refused = await preflight(hydra.publicUrl, "/oauth2/token", ALLOWED, { "Access-Control-Request-Headers": requested });
      expect(refused.cors, requested).toEqual({ vary: PREFLIGHT_VARY });
    }
  });

  it("allows a configured origin on the OAuth2 routes, passing both middlewares (Vary twice)", async () => {
    expect(await clientCredentials(hydra.publicUrl, ALLOWED)).toEqual({
      status: 200,
      cors: {
        vary: "Origin, Origin",
        "access-control-allow-origin": ALLOWED,
        "access-control-expose-headers": EXPOSED,
        "access-control-allow-credentials": "true",
      },
    });
    const discovery = await call(hydra.publicUrl, "GET", "/.well-known/openid-configuration", { Origin: ALLOWED });
    expect(discovery.cors["access-control-allow-origin"]).toBe(ALLOWED);
  });

  it("refuses any other origin without a client that allows it, still with Vary", async () => {
    expect(await clientCredentials(hydra.publicUrl, EVIL)).toEqual({ status: 200, cors: { vary: "Origin, Origin" } });
    expect((await call(hydra.publicUrl, "GET", "/oauth2/auth", { Origin: EVIL })).cors).toEqual({ vary: "Origin" });
    expect((await call(hydra.publicUrl, "GET", "/health/alive", { Origin: EVIL })).cors).toEqual({ vary: "Origin, Origin" });
  });

  it("allows the client's allowed_cors_origins on the OAuth2 routes (form client_id, Basic user, Bearer token's client)", async () => {
    const allowedByClient = {
      vary: "Origin, Origin",
      "access-control-allow-origin": CLIENT_ORIGIN,
      "access-control-expose-headers": EXPOSED,
      "access-control-allow-credentials": "true",
    };
    expect((await clientCredentials(hydra.publicUrl, CLIENT_ORIGIN, "basic")).cors).toEqual(allowedByClient);
    // A failed authentication still names the client, as Hydra reads the form before any check.
    const wrongSecret = await call(
      hydra.publicUrl,
      "POST",
      "/oauth2/token",
      { Origin: CLIENT_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      new URLSearchParams({ grant_type: "client_credentials", client_id: client.id, client_secret: "wrong-secret" }).toString(),
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.cors).toEqual(allowedByClient);
    // Globs with `.` as separator: `*` spans one label only.
    expect((await clientCredentials(hydra.publicUrl, "https://a.glob.example")).cors["access-control-allow-origin"]).toBe(
      "https://a.glob.example",
    );
    expect((await clientCredentials(hydra.publicUrl, "https://a.b.glob.example")).cors).toEqual({ vary: "Origin, Origin" });

    const token = await fetch(new URL("oauth2/token", hydra.publicUrl), {
      method: "POST",
      headers: { Authorization: basic(client.id, client.secret), "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    const accessToken = String(((await token.json()) as { access_token?: string }).access_token);
    const revoke = await call(
      hydra.publicUrl,
      "POST",
      "/oauth2/revoke",
      { Origin: CLIENT_ORIGIN, Authorization: basic(client.id, client.secret), "Content-Type": "application/x-www-form-urlencoded" },
      new URLSearchParams({ token: "unknown" }).toString(),
    );
    expect(revoke.cors).toEqual(allowedByClient);
    const credentials = await call(
      hydra.publicUrl,
      "POST",
      "/credentials",
      { Origin: CLIENT_ORIGIN, Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
      "{}",
    );
    expect(credentials.cors).toEqual(allowedByClient);
    // Not on the routes outside x/oauth2cors.
    const auth = await call(hydra.publicUrl, "GET", `/oauth2/auth?client_id=${client.id}`, {
      Origin: CLIENT_ORIGIN,
      Authorization: basic(client.id, client.secret),
    });
    expect(auth.cors).toEqual({ vary: "Origin" });
  });

  it("answers a plain OPTIONS to an OAuth2 route with an empty 200 and the actual-request headers", async () => {
    expect(await call(hydra.publicUrl, "OPTIONS", "/oauth2/token", { Origin: EVIL })).toEqual({
      status: 200,
      cors: {
        vary: "Origin, Origin",
        "access-control-allow-origin": EVIL,
        "access-control-expose-headers": EXPOSED,
        "access-control-allow-credentials": "true",
      },
    });
  });
});

describe("serve.public.cors options (allowed_headers, exposed_headers, allow_credentials, max_age, rs/cors wildcards)", () => {
  it("uses them in preflights", async () => {
    expect(
      await preflight(custom.publicUrl, "/oauth2/token", "https://a.b.example.com", { "Access-Control-Request-Headers": "x-custom" }),
    ).toEqual({
      status: 204,
      cors: {
        vary: PREFLIGHT_VARY,
        "access-control-allow-origin": "https://a.b.example.com",
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "x-custom",
        "access-control-max-age": "60",
      },
    });
  });

  it("uses them in actual requests", async () => {
    expect((await call(custom.publicUrl, "GET", "/oauth2/auth", { Origin: "https://app.example.com" })).cors).toEqual({
      vary: "Origin",
      "access-control-allow-origin": "https://app.example.com",
      "access-control-expose-headers": "X-One",
    });
  });

  it("applies serve.admin.cors on the admin port", async () => {
    expect(await preflight(custom.adminUrl, "/admin/clients", ALLOWED)).toEqual({
      status: 204,
      cors: {
        vary: PREFLIGHT_VARY,
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-methods": "POST",
        "access-control-allow-credentials": "true",
      },
    });
    expect((await call(custom.adminUrl, "GET", "/admin/clients", { Origin: EVIL })).cors).toEqual({ vary: "Origin" });
  });
});

describe("origin globs (gobwas/glob v0.2.3 with `.` as separator, as x/oauth2cors compiles them)", () => {
  it("matches as gobwas does", () => {
    const matches = (pattern: string, value: string) => compileGlob(pattern)?.test(value) ?? "invalid";
    expect(matches("https://*.example.com", "https://a.example.com")).toBe(true);
    expect(matches("https://*.example.com", "https://a.b.example.com")).toBe(false);
    expect(matches("https://**.example.com", "https://a.b.example.com")).toBe(true);
    expect(matches("https://app?.example.com", "https://app1.example.com")).toBe(true);
    expect(matches("https://{a,b}.example.com", "https://b.example.com")).toBe(true);
    expect(matches("https://[a-c]x.example.com", "https://bx.example.com")).toBe(true);
    expect(matches("https://[!a-c]x.example.com", "https://bx.example.com")).toBe(false);
    expect(matches("https://[a.example.com", "https://a.example.com")).toBe("invalid");
  });
});
