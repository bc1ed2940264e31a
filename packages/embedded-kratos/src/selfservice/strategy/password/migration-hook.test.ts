import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratos, startTestPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../../../testing/harness";

/**
 * Identities imported with `use_password_migration_hook` sign in through the
 * configured hook: selfservice/strategy/password/login.go (Login,
 * migratePasswordHash) and selfservice/hook/password_migration_hook.go
 * (Execute: 200 with `{"status":"password_match"}` matches, 403 or any
 * other 200 does not, other statuses are a 502), the request built by
 * request/builder.go (BuildRequest: headers, auth, the `config.body`
 * Jsonnet template over the web hook template context) and sent through
 * Kratos' resilient client (driver/registry_default.go HTTPClient: two
 * retries of 5xx and transport failures).
 */
describe("password migration hook", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let disabled: TestKratos;
  let hookServer: Server;
  let templated: TestKratos;
  let guarded: TestKratos;
  let excepted: TestKratos;
  const received: { body: unknown; raw: string; headers: IncomingMessage["headers"]; url: string }[] = [];
  /** Attempts per password, to check the retries. */
  const attempts = new Map<string, number>();
  /** The hook's answer per password. */
  const answers: Record<string, { status: number; body: string }> = {
    right: { status: 200, body: '{"status":"password_match"} trailing' },
    wrong: { status: 200, body: '{"status":"nope"}' },
    forbidden: { status: 403, body: "" },
    broken: { status: 500, body: "" },
    refused: { status: 400, body: "" },
  };

  beforeAll(async () => {
    hookServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const body = (
          req.headers["content-type"] === "application/x-www-form-urlencoded"
            ? Object.fromEntries(new URLSearchParams(raw))
            : JSON.parse(raw)
        ) as { password: string };
        received.push({ body, raw, headers: req.headers, url: req.url ?? "" });
        const attempt = (attempts.get(body.password) ?? 0) + 1;
        attempts.set(body.password, attempt);
        // "flaky" fails once (503, retried at once as Retry-After says), then confirms.
        if (body.password === "flaky" && attempt === 1) return void res.writeHead(503, { "Retry-After": "0" }).end();
        // "redirected" is sent back to the hook for ever (307 keeps the POST and its body).
        if (body.password === "redirected") return void res.writeHead(307, { Location: `/migrate?hop=${attempt}` }).end();
        // "busy" asks for three seconds' patience each time (room for a loaded machine to notice the abandonment).
        if (body.password === "busy") return void res.writeHead(503, { "Retry-After": "3" }).end();
        const answer = answers[body.password === "flaky" ? "right" : body.password] ?? { status: 403, body: "" };
        res.writeHead(answer.status, { "Content-Type": "application/json" }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/migrate`;
    pg = await startTestPostgres();
    const hook = (enabled: boolean, config: Record<string, unknown> = {}) => ({
      selfservice: {
        methods: {
          password: {
            config: {
              migrate_hook: {
                enabled,
                config: { url, auth: { type: "api_key", config: { name: "X-Hook-Key", value: "secret", in: "header" } }, ...config },
              },
            },
          },
        },
      },
    });
    kratos = await startKratos(pg, "ciam_password_migration", { configOverrides: hook(true) });
    disabled = await startKratos(pg, "ciam_password_migration_off", { configOverrides: hook(false) });
    templated = await startKratos(pg, "ciam_password_migration_tpl", {
      configOverrides: hook(true, {
        url: `${url}?templated`,
        body: `base64://${Buffer.from(TEMPLATE).toString("base64")}`,
        auth: { type: "basic_auth", config: { user: "kratos", password: "hook secret" } },
      }),
    });
    const clients = (exceptions: string[]) => ({
      clients: { http: { disallow_private_ip_ranges: true, private_ip_exception_urls: exceptions } },
    });
    guarded = await startKratos(pg, "ciam_password_migration_guarded", { configOverrides: { ...hook(true), ...clients([]) } });
    excepted = await startKratos(pg, "ciam_password_migration_excepted", { configOverrides: { ...hook(true), ...clients([url]) } });
  });
  afterAll(async () => {
    await kratos?.close();
    await disabled?.close();
    await templated?.close();
    await guarded?.close();
    await excepted?.close();
    await pg?.stop();
    await new Promise((resolve) => hookServer?.close(resolve));
  });

  const importHooked = (server: TestKratos, email: string) =>
    server.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email },
        credentials: { password: { config: { use_password_migration_hook: true } } },
      },
    });
  const login = async (server: TestKratos, identifier: string, password: string, headers: Record<string, string> = {}) => {
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const res = await fetch(`${server.publicUrl}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify({ method: "password", identifier, password }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const storedConfig = async (id: string) =>
    (await kratos.identity.getIdentity({ id, includeCredential: ["password"] })).data.credentials?.password?.config;

  it("asks the hook, and a confirmed password is hashed and stored for later logins", async () => {
    const email = uniqueEmail("migrated");
    const { data } = await importHooked(kratos, email);

    const wrong = await login(kratos, email, "wrong");
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain("4000006");
    expect((await login(kratos, email, "forbidden")).status).toBe(400);
    expect(await storedConfig(data.id)).toEqual({ use_password_migration_hook: true });

    const right = await login(kratos, email, "right");
    expect(right.status).toBe(200);
    expect(received.at(-1)).toMatchObject({
      body: { identifier: email, password: "right" },
      headers: { "content-type": "application/json", "x-hook-key": "secret" },
    });
    expect(await storedConfig(data.id)).toEqual({ hashed_password: expect.stringMatching(/^\$2a\$04\$/) as unknown });

    // The stored hash answers from now on, without the hook.
    const calls = received.length;
    expect((await login(kratos, email, "right")).status).toBe(200);
    expect(received.length).toBe(calls);
  });

  it("retries a failing hook: a 5xx then a match signs in; a lasting 5xx is 'could not be reached' after three attempts", async () => {
    const email = uniqueEmail("hook-flaky");
    await importHooked(kratos, email);
    expect((await login(kratos, email, "flaky")).status).toBe(200);
    expect(attempts.get("flaky")).toBe(2);

    const broken = uniqueEmail("hook-broken");
    await importHooked(kratos, broken);
    const started = Date.now();
    const answer = await login(kratos, broken, "broken");
    // go-retryablehttp gives up after RetryMax (2) retries, 1 s and 2 s apart, and Execute reports the client's error.
    expect(attempts.get("broken")).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({
      code: 502,
      message: "calling the password migration hook failed",
      reason: "A third-party upstream service could not be reached. Please try again later.",
    });
  });

  it("answers 502 for a status the client does not retry, and Kratos' misconfiguration error when the hook is disabled", async () => {
    const email = uniqueEmail("hook-refused");
    await importHooked(kratos, email);
    const refused400 = await login(kratos, email, "refused");
    expect(attempts.get("refused")).toBe(1);
    expect(refused400.status).toBe(502);
    expect(refused400.body.error).toMatchObject({
      code: 502,
      message: "password migration hook failed with status code 400",
      reason: "A third-party upstream service responded improperly. Please try again later.",
    });

    const off = uniqueEmail("hook-off");
    await importHooked(disabled, off);
    const refused = await login(disabled, off, "right");
    expect(refused.status).toBe(500);
    expect(refused.body.error).toMatchObject({
      id: "invalid_configuration",
      code: 500,
      reason: "Password migration hook is not enabled but password migration is requested.",
    });
  });

  // net/http client.go defaultCheckRedirect, go-retryablehttp baseRetryPolicy (redirectsErrorRe: not retried).
  it("follows at most 10 redirects, as Go's client, then gives up at once: 'could not be reached'", async () => {
    const email = uniqueEmail("hook-redirected");
    await importHooked(kratos, email);
    const answer = await login(kratos, email, "redirected");
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({ message: "calling the password migration hook failed" });
    expect(attempts.get("redirected")).toBe(10);
  });

  // password_migration_hook.go Execute sends in the login request's context; retryablehttp Client.Do's wait selects on it.
  it("stops retrying when the login request is abandoned", async () => {
    const email = uniqueEmail("hook-abandoned");
    await importHooked(kratos, email);
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const abandon = new AbortController();
    const sent = fetch(`${kratos.publicUrl}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", identifier: email, password: "busy" }),
      signal: abandon.signal,
    }).catch(() => undefined);
    while (!attempts.get("busy")) await new Promise((resolve) => setTimeout(resolve, 20));
    abandon.abort();
    await sent;
    // Retry-After: 3 — a client that kept waiting would see the second attempt by now.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(attempts.get("busy")).toBe(1);
  });

  // driver/registry_default.go HTTPClient: ResilientClientDisallowInternalIPs and ResilientClientAllowInternalIPRequestsTo.
  it("applies clients.http.disallow_private_ip_ranges to the hook, except for private_ip_exception_urls", async () => {
    const calls = received.length;
    const email = uniqueEmail("hook-guarded");
    await importHooked(guarded, email);
    const refused = await login(guarded, email, "right");
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({ reason: "A third-party upstream service could not be reached. Please try again later." });
    expect(received.length).toBe(calls);

    const allowed = uniqueEmail("hook-excepted");
    await importHooked(excepted, allowed);
    expect((await login(excepted, allowed, "right")).status).toBe(200);
    expect(received.length).toBe(calls + 1);
  });

  // password_migration_hook.go Execute with config.body: request.Builder (addJSONBody) evaluates the template with
  // `ctx` = templateContextMerged (web_hook.go templateContext + identifier and password) as a top-level argument.
  it("sends the config.body Jsonnet template's output for Kratos' template context, with basic auth", async () => {
    const email = uniqueEmail("hook-template");
    const { data } = await importHooked(templated, email);
    const answer = await login(templated, email, "right", {
      "X-Forwarded-Proto": "https",
      "X-Forwarded-Host": "login.example",
      "X-Custom-thing": "value",
    });
    expect(answer.status).toBe(200);
    const request = received.at(-1)!;
    expect(request.url).toBe("/migrate?templated");
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from("kratos:hook secret").toString("base64")}`);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body).toEqual({
      password: "right",
      identifier: email,
      identity_id: data.id,
      email,
      has_credentials: false,
      method: "POST",
      url_start: "https://login.example/self-service/login?flow=",
      custom_header: ["value"],
      content_type: ["application/json"],
      // An API flow refuses requests with cookies (4000001), so there are none here; goCookies is checked on its own.
      cookies: {},
      flow_type: "api",
      flow_matches: true,
    });
    // go-jsonnet's formatting: three-space indentation, sorted keys, a final newline.
    expect(request.raw).toMatch(/^\{\n {3}"content_type": \[\n {6}"application\/json"\n {3}\],\n/);
    expect(request.raw.endsWith("}\n")).toBe(true);
  });
});

/** A web hook body as Kratos' docs write them: a function of `ctx`. */
const TEMPLATE = `function(ctx) {
  password: ctx.password,
  identifier: ctx.identifier,
  identity_id: ctx.identity.id,
  email: ctx.identity.traits.email,
  has_credentials: std.objectHas(ctx.identity, "credentials"),
  method: ctx.request_method,
  url_start: std.split(ctx.request_url, "=")[0] + "=",
  custom_header: ctx.request_headers["X-Custom-Thing"],
  content_type: ctx.request_headers["Content-Type"],
  cookies: ctx.request_cookies,
  flow_type: ctx.flow.type,
  flow_matches: std.endsWith(ctx.request_url, ctx.flow.id),
}`;
