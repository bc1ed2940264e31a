import { expect, test } from "@playwright/test";
import { envPrefix } from "@olympus/runtime-config/config";
import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { freePort } from "@olympus/test-postgres";
import { startApp, type AppName, type RunningApp } from "../support/app-server";
import { rawRequest, type RawResponse } from "./support/raw-http";

// Attack: hand-made requests with an odd `Origin` (or `Host`). Next.js checks the Origin of
// every server-action request itself, but parses it with `new URL()` unguarded: `Origin: not
// a url` threw `TypeError: Invalid URL`, a bare 500 under `next start` and, under `next dev`,
// Next's development error page with the stack trace and this machine's paths. A cross-site
// Origin (`null`, another site) got a 500 too. A malformed `Host` made Athena's proxy throw
// the same way, and next-auth answered in its own words ("Error: This action with HTTP GET is
// not supported by NextAuth.js", "[object Object]", a 500 for a JSON body that does not parse).
// Now both proxies answer such actions with a JSON 400/403 before Next sees them, and
// Athena's /api/auth/* answers every refusal in JSON. The built apps run here as deployed
// (their standalone servers, NODE_ENV=production) on free ports; no Ory server is needed.

const DOMAIN = "ciam";

/** What must never reach a browser: stack frames, file paths, internal error names and texts. */
const LEAKS: [string, RegExp][] = [
  ["a stack frame", /\bat [\w.<>$[\]]+ \(/],
  ["a stack property", /"stack"\s*:/],
  ["a node_modules path", /node_modules\//],
  ["a build output path", /\.next(-[\w-]+)?\/(server|dev)\//],
  ["a bundler module id", /webpack-internal|\[project\]\//],
  ["an internal error", /\b(TypeError|SyntaxError|ReferenceError)\b|Invalid URL|ERR_INVALID_URL/],
  ["next-auth's own words", /NextAuth|\[object Object\]/],
];

function expectNoLeak(response: RawResponse, where: string) {
  for (const [what, pattern] of LEAKS) expect(response.body, `${where}: ${what} in the response`).not.toMatch(pattern);
}

/** Origins no page of the app itself would send: other sites, opaque origins, sibling apps. */
const CROSS_SITE = ["null", "http://evil.example", "http://ciam.localhost:3000", "http://iam.localhost:4001"];
/** Values that are no origin at all; browsers never send them, hand-made requests do. */
const MALFORMED = (host: string) => [
  "not a url",
  "http://[::1",
  "http://evil.example:99999",
  `http://${host}.evil.example`,
  `http://${host}/x`,
  "%",
];

/** An action id in Next's format that no build contains. */
const UNKNOWN_ACTION = "7f0123456789abcdef0123456789abcdef01234567";
const actionRequests = {
  "a server action call": {
    headers: { "Next-Action": UNKNOWN_ACTION, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
    body: "[]",
  },
  "a form post (no-JavaScript action)": {
    headers: { "Content-Type": "multipart/form-data; boundary=olympus", Accept: "text/html" },
    body: "--olympus--\r\n",
  },
};

const PAGES: Record<AppName, string[]> = {
  athena: ["/signin", "/", "/identities"],
  hera: ["/login", "/logout", "/settings", "/consent"],
};
const PUBLIC_PAGE: Record<AppName, string> = { athena: "/signin", hera: "/logout" };

const running: Partial<Record<AppName, { app: RunningApp; host: string }>> = {};

test.beforeAll(async () => {
  await Promise.all(
    (["athena", "hera"] as const).map(async (app) => {
      const port = await freePort();
      const env: Record<string, string> = { ...embeddedAppEnv(DOMAIN, app, port), NODE_ENV: "production" };
      // Athena's start-up migration must not touch the stack's shared database: nothing listens on port 1.
      const databaseVariable = `${envPrefix(DOMAIN)}OLYMPUS_DATABASE_URL`;
      if (env[databaseVariable]) {
        const database = new URL(env[databaseVariable]);
        database.port = "1";
        env[databaseVariable] = database.toString();
      }
      running[app] = { app: await startApp(app, env), host: new URL(env[`${envPrefix(DOMAIN)}PUBLIC_URL`] ?? "").host };
    }),
  );
});

test.afterAll(async () => {
  await Promise.all(Object.values(running).map((r) => r?.app.stop()));
});

function target(app: AppName) {
  const entry = running[app];
  if (!entry) throw new Error(`${app} not started`);
  return entry;
}

for (const app of ["athena", "hera"] as const) {
  test.describe(`${app}: server actions with an odd Origin`, () => {
    test("another site's action or form post gets a JSON 403, never a 500", async () => {
      const { app: server, host } = target(app);
      for (const path of PAGES[app]) {
        for (const [kind, request] of Object.entries(actionRequests)) {
          for (const origin of CROSS_SITE) {
            const response = await rawRequest(`${server.url}${path}`, {
              method: "POST",
              headers: { ...request.headers, Host: host, Origin: origin },
              body: request.body,
            });
            const where = `${kind} to ${path} from Origin ${JSON.stringify(origin)} (${response.status})`;
            expectNoLeak(response, where);
            expect(response.status, where).toBe(403);
            expect(JSON.parse(response.body), where).toMatchObject({ error: { id: "cross_origin_request", code: 403 } });
            // The refusal still carries the security headers every response gets.
            expect(response.headers["x-frame-options"], where).toBe("DENY");
          }
        }
      }
    });

    test("an Origin that is no origin gets a JSON 400 instead of Next's `TypeError: Invalid URL`", async () => {
      const { app: server, host } = target(app);
      for (const path of PAGES[app]) {
        for (const [kind, request] of Object.entries(actionRequests)) {
          for (const origin of MALFORMED(host)) {
            const response = await rawRequest(`${server.url}${path}`, {
              method: "POST",
              headers: { ...request.headers, Host: host, Origin: origin },
              body: request.body,
            });
            const where = `${kind} to ${path} with Origin ${JSON.stringify(origin)} (${response.status})`;
            expectNoLeak(response, where);
            expect(response.status, where).toBe(400);
            expect(JSON.parse(response.body), where).toMatchObject({ error: { id: "malformed_origin", code: 400 } });
          }
        }
      }
    });

    test("companion: the app's own origin still reaches Next's action handling", async () => {
      const { app: server, host } = target(app);
      const request = actionRequests["a server action call"];
      const response = await rawRequest(`${server.url}${PUBLIC_PAGE[app]}`, {
        method: "POST",
        headers: { ...request.headers, Host: host, Origin: `http://${host}` },
        body: request.body,
      });
      // Next itself answered: the action is unknown to this build, which it says in a header.
      expect(response.headers["x-nextjs-action-not-found"]).toBe("1");
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectNoLeak(response, "same-origin action");
    });

    test("pages read with an odd Origin or Host answer normally, without internals", async () => {
      const { app: server, host } = target(app);
      for (const path of PAGES[app]) {
        for (const origin of [...CROSS_SITE, ...MALFORMED(host)]) {
          const response = await rawRequest(`${server.url}${path}`, { headers: { Host: host, Origin: origin } });
          const where = `GET ${path} with Origin ${JSON.stringify(origin)} (${response.status})`;
          expectNoLeak(response, where);
          expect(response.status, where).toBeLessThan(500);
        }
        for (const badHost of ["a b", "[::1", "evil.example:99999", "%"]) {
          const response = await rawRequest(`${server.url}${path}`, { headers: { Host: badHost } });
          const where = `GET ${path} with Host ${JSON.stringify(badHost)} (${response.status})`;
          expectNoLeak(response, where);
          expect(response.status, where).toBeLessThan(500);
        }
      }
    });
  });
}

test.describe("athena: next-auth routes with an odd Origin", () => {
  const requests: { name: string; method: string; path: string; headers?: Record<string, string>; body?: string }[] = [
    { name: "session", method: "GET", path: "/api/auth/session" },
    { name: "csrf", method: "GET", path: "/api/auth/csrf" },
    { name: "providers", method: "GET", path: "/api/auth/providers" },
    {
      name: "sign-in start",
      method: "POST",
      path: "/api/auth/signin/olympus-iam",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "csrfToken=forged&callbackUrl=%2F",
    },
    {
      name: "sign-out",
      method: "POST",
      path: "/api/auth/signout",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "csrfToken=forged",
    },
    {
      name: "session update without CSRF token",
      method: "POST",
      path: "/api/auth/session",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "data=x",
    },
    {
      name: "session update with a broken JSON body",
      method: "POST",
      path: "/api/auth/session",
      headers: { "Content-Type": "application/json" },
      body: "{bad",
    },
    { name: "an unknown action", method: "GET", path: "/api/auth/bogus" },
    { name: "a read of a post-only action", method: "GET", path: "/api/auth/_log" },
    { name: "a callback for an unknown provider", method: "GET", path: "/api/auth/callback/nobody?code=x&state=y" },
  ];

  test("answer without internals, and a client's mistake is a 4xx", async () => {
    const { app: server, host } = target("athena");
    for (const request of requests) {
      for (const origin of [undefined, ...CROSS_SITE, ...MALFORMED(host)]) {
        const headers = { ...request.headers, Host: host, ...(origin === undefined ? {} : { Origin: origin }) };
        const response = await rawRequest(`${server.url}${request.path}`, { method: request.method, headers, body: request.body });
        const where = `${request.name}: ${request.method} ${request.path} with Origin ${JSON.stringify(origin)} (${response.status})`;
        expectNoLeak(response, where);
        expect(response.status, where).toBeLessThan(500);
      }
    }
  });

  test("a refusal is JSON in Olympus' error shape", async () => {
    const { app: server, host } = target("athena");
    for (const request of requests.filter((r) =>
      [
        "an unknown action",
        "a read of a post-only action",
        "session update without CSRF token",
        "session update with a broken JSON body",
        "a callback for an unknown provider",
      ].includes(r.name),
    )) {
      const response = await rawRequest(`${server.url}${request.path}`, {
        method: request.method,
        headers: { ...request.headers, Host: host },
        body: request.body,
      });
      const where = `${request.name} (${response.status})`;
      expect(response.status, where).toBe(400);
      expect(response.headers["content-type"], where).toMatch(/^application\/json/);
      expect(JSON.parse(response.body), where).toEqual({ error: { id: "invalid_request", code: 400, message: expect.any(String) } });
    }
  });
});
