import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "./testing/harness";

interface Seen {
  what: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** A request without fetch's header normalisation, so every header the server sends is visible. */
function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, base),
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
  expect(seen.headers["cache-control"], where).toMatch(/no-store/);
  expect(seen.headers["x-frame-options"], where).toBe("DENY");
  expect(seen.headers.server, where).toBeUndefined();
  expect(seen.headers["x-powered-by"], where).toBeUndefined();
}

describe("security headers on every response", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_headers", {
      // platform/ turns CORS off (browsers reach Kratos through Hera's same-origin proxy); Kratos' CORS itself is still served.
      configOverrides: {
        serve: {
          public: {
            cors: {
              enabled: true,
              allowed_origins: ["http://ciam.localhost:3000"],
              allowed_methods: ["POST", "GET", "PUT", "PATCH", "DELETE"],
              allowed_headers: ["Authorization", "Cookie", "Content-Type", "X-Session-Token", "X-CSRF-Token"],
              exposed_headers: ["Content-Type", "Set-Cookie"],
              allow_credentials: true,
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
  });

  it("covers every route of both ports, with every method they take, plus 404 and 405", async () => {
    const seen: Seen[] = [];
    for (const [base, routes] of [
      [kratos.publicUrl, kratos.routes.public],
      [kratos.adminUrl, kratos.routes.admin],
    ] as const) {
      for (const route of routes) {
        const path = route.pattern.replace(/:type\b/, "password").replace(/:[a-z_]+/g, () => randomUUID());
        for (const method of route.methods) {
          seen.push(
            await call(
              base,
              method,
              path,
              { Accept: "application/json", "Content-Type": "application/json" },
              method === "GET" ? undefined : "{}",
            ),
          );
        }
      }
      seen.push(await call(base, "GET", "/no/such/route"));
      seen.push(await call(base, "PATCH", "/health/alive"));
    }
    expect(seen.length).toBeGreaterThan(60);
    for (const s of seen) expectHardened(s);
    // Sanity: the sweep reached real handlers, not just 404s.
    expect(seen.filter((s) => s.status === 200).length).toBeGreaterThan(10);
  });

  it("covers flow, session and token responses, redirects, CORS preflights and parser rejections", async () => {
    const email = uniqueEmail("headers");
    const flow = (await (await fetch(`${kratos.publicUrl}/self-service/registration/api`)).json()) as { id: string };
    const registered = await call(
      kratos.publicUrl,
      "POST",
      `/self-service/registration?flow=${flow.id}`,
      { "Content-Type": "application/json", Accept: "application/json" },
      JSON.stringify({ method: "password", password: STRONG_PASSWORD, traits: { email } }),
    );
    expect(registered.status).toBe(200);
    const login = (await (await fetch(`${kratos.publicUrl}/self-service/login/api`)).json()) as { id: string };
    const loginRes = await fetch(`${kratos.publicUrl}/self-service/login?flow=${login.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ method: "password", identifier: email, password: STRONG_PASSWORD }),
    });
    const token = ((await loginRes.json()) as { session_token: string }).session_token;
    const responses = [
      registered,
      await call(kratos.publicUrl, "GET", "/self-service/login/browser"),
      await call(kratos.publicUrl, "GET", `/self-service/login/flows?id=${login.id}`),
      await call(kratos.publicUrl, "GET", "/sessions/whoami", { "X-Session-Token": token }),
      await call(kratos.publicUrl, "GET", "/sessions", { "X-Session-Token": token }),
      await call(kratos.publicUrl, "GET", "/admin/identities"),
      await call(kratos.publicUrl, "OPTIONS", "/sessions/whoami", {
        Origin: "http://ciam.localhost:3000",
        "Access-Control-Request-Method": "GET",
      }),
      await call(kratos.publicUrl, "POST", `/self-service/login?flow=${login.id}`, { "Content-Type": "application/json" }, "{"),
      await call(
        kratos.publicUrl,
        "POST",
        `/self-service/login?flow=${login.id}`,
        { "Content-Type": "text/csv", Accept: "application/json" },
        "a,b",
      ),
      await call(kratos.adminUrl, "GET", "/self-service/login/api"),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 303, 200, 200, 200, 307, 204, 400, 400, 307]);
    for (const r of responses) expectHardened(r);

    // A request Go's server refuses before any handler runs gets net/http's bare text/plain answer, none of
    // Kratos' headers (server.go conn.serve; every case in net-http-refusals.test.ts).
    const raw = await rawRequest(new URL(kratos.publicUrl), "GET /sessions/whoami HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    expect(raw).toBe("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request");
  });
});

function rawRequest(url: URL, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
  });
}
