import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratos, startTestPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../../../testing/harness";

/**
 * Identities imported with `use_password_migration_hook` sign in through the
 * configured hook: selfservice/strategy/password/login.go (Login,
 * migratePasswordHash) and selfservice/hook/password_migration_hook.go
 * (Execute: 200 with `{"status":"password_match"}` matches, 403 or any
 * other 200 does not, other statuses are a 502).
 */
describe("password migration hook", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let disabled: TestKratos;
  let hookServer: Server;
  const received: { body: unknown; headers: IncomingMessage["headers"] }[] = [];
  /** The hook's answer per password. */
  const answers: Record<string, { status: number; body: string }> = {
    right: { status: 200, body: '{"status":"password_match"} trailing' },
    wrong: { status: 200, body: '{"status":"nope"}' },
    forbidden: { status: 403, body: "" },
    broken: { status: 500, body: "" },
  };

  beforeAll(async () => {
    hookServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { password: string };
        received.push({ body, headers: req.headers });
        const answer = answers[body.password] ?? { status: 403, body: "" };
        res.writeHead(answer.status, { "Content-Type": "application/json" }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/migrate`;
    pg = await startTestPostgres();
    const hook = (enabled: boolean) => ({
      selfservice: {
        methods: {
          password: {
            config: {
              migrate_hook: {
                enabled,
                config: { url, auth: { type: "api_key", config: { name: "X-Hook-Key", value: "secret", in: "header" } } },
              },
            },
          },
        },
      },
    });
    kratos = await startKratos(pg, "ciam_password_migration", { configOverrides: hook(true) });
    disabled = await startKratos(pg, "ciam_password_migration_off", { configOverrides: hook(false) });
  });
  afterAll(async () => {
    await kratos?.close();
    await disabled?.close();
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
  const login = async (server: TestKratos, identifier: string, password: string) => {
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const res = await fetch(`${server.publicUrl}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
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

  it("answers 502 when the hook fails, and Kratos' misconfiguration error when it is disabled", async () => {
    const email = uniqueEmail("hook-broken");
    await importHooked(kratos, email);
    const broken = await login(kratos, email, "broken");
    expect(broken.status).toBe(502);
    expect(broken.body.error).toMatchObject({
      code: 502,
      message: "password migration hook failed with status code 500",
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
});
