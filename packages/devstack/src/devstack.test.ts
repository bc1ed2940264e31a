import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOMAINS, envPrefix, otherDomain } from "@olympus/runtime-config/config";
import { EMBEDDED_ADMIN_API_TOKEN, embeddedAppEnv } from "./embedded-defaults";
import { freePort, startTestPostgres } from "@olympus/test-postgres";
import { createOlympusPool } from "@olympus/athena-store/olympus-db";
import { createSettingsStore, deriveEncryptionKey } from "@olympus/athena-store/settings";
import { startMailCatcher } from "./mail/catcher";
import { startDevstack, type RunningDevstack } from "./devstack";
import { ORY_SERVERS, type DevstackOptions } from "./options";
import { isAlive } from "./postgres/cluster";
import { apiLogin, apiRegister, processesMentioning, removeTestDataDirs, testOptions, waitForMail } from "./test-support";

afterAll(removeTestDataDirs);

describe("the dev stack, headless (backend only, free ports)", () => {
  let options: DevstackOptions;
  let stack: RunningDevstack;
  const progress: string[] = [];

  beforeAll(async () => {
    options = await testOptions();
    stack = await startDevstack(options, { onProgress: (line) => progress.push(line) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("reports progress while starting", () => {
    expect(progress.some((line) => line.startsWith("postgres: ready on 127.0.0.1"))).toBe(true);
    expect(progress.some((line) => line.startsWith("guard: "))).toBe(true);
    expect(progress.some((line) => line.startsWith("seeds: admin created"))).toBe(true);
  });

  it("answers on every service's health endpoint", async () => {
    const { ciam, iam } = stack.urls;
    const urls = [ciam, iam].flatMap((d) => [d.health.kratosPublic, d.health.kratosAdmin, d.health.hydraPublic, d.health.hydraAdmin]);
    urls.push(...urls.map((url) => url.replace("/health/ready", "/health/alive")));
    urls.push(`${stack.urls.inboxApi.replace(/\/email$/, "")}/healthz`);
    for (const url of urls) expect([url, (await fetch(url)).status]).toEqual([url, 200]);
    expect(stack.healthTargets).toHaveLength(9);
  });

  it("binds every admin API to loopback, as printed", () => {
    expect(stack.urls.ciam.kratosAdmin).toBe(`http://127.0.0.1:${options.ports.ciam.kratosAdmin}`);
    expect(stack.urls.iam.hydraAdmin).toBe(`http://127.0.0.1:${options.ports.iam.hydraAdmin}`);
    expect(stack.urls.ciam.kratosPublic).toBe(`http://ciam.localhost:${options.ports.ciam.kratosPublic}`);
  });

  it("seeds an IAM admin who obtains a session through the IAM Kratos API", async () => {
    const login = await apiLogin(stack.servers["iam-kratos"].publicUrl, options.admin.email, options.admin.password);
    expect(login.status).toBe(200);
    expect(login.body?.session.identity).toMatchObject({ schema_id: "admin", traits: { email: options.admin.email } });
    // The Athena role is admin-only data: in metadata_admin (admin API), never a trait the admin could edit.
    expect(login.body?.session.identity.traits).not.toHaveProperty("iam_admin_role");
    const { adminUrl, adminToken } = stack.servers["iam-kratos"];
    const listed = await fetch(
      `${adminUrl.replace(/\/$/, "")}/admin/identities?credentials_identifier=${encodeURIComponent(options.admin.email)}`,
      {
        headers: { authorization: `Bearer ${adminToken}` },
      },
    );
    const [stored] = (await listed.json()) as { metadata_admin?: unknown }[];
    expect(stored?.metadata_admin).toEqual({ iam_admin_role: "admin" });
    const whoami = await fetch(`${stack.servers["iam-kratos"].publicUrl.replace(/\/$/, "")}/sessions/whoami`, {
      headers: { "x-session-token": login.body?.session_token ?? "" },
    });
    expect(whoami.status).toBe(200);
  });

  it("keeps the admin out of CIAM: the customer Kratos does not know them", async () => {
    const login = await apiLogin(stack.servers["ciam-kratos"].publicUrl, options.admin.email, options.admin.password);
    expect(login.status).toBe(400);
  });

  it("registers Athena's clients in IAM Hydra and the demo relying party in CIAM Hydra only", async () => {
    const get = async (hydra: { adminUrl: string; adminToken: string }, id: string) =>
      (
        await fetch(`${hydra.adminUrl.replace(/\/$/, "")}/admin/clients/${id}`, {
          headers: { authorization: `Bearer ${hydra.adminToken}` },
        })
      ).status;
    const iamHydra = stack.servers["iam-hydra"];
    const ciamHydra = stack.servers["ciam-hydra"];
    expect(await get(iamHydra, "iam-athena-ciam")).toBe(200);
    expect(await get(iamHydra, "iam-athena-iam")).toBe(200);
    expect(await get(iamHydra, "ciam-demo-rp")).toBe(404);
    expect(await get(ciamHydra, "ciam-demo-rp")).toBe(200);
    expect(await get(ciamHydra, "iam-athena-ciam")).toBe(404);
  });

  it("guards every admin API with its domain's token, the one the apps are started with; health stays open", async () => {
    // The token the apps get (Hera calls Kratos admin and Hydra's challenge API, Athena both admin APIs) is the one the servers require.
    expect(stack.adminTokens).toEqual(EMBEDDED_ADMIN_API_TOKEN);
    for (const domain of DOMAINS) {
      for (const app of ["hera", "athena"] as const)
        expect(embeddedAppEnv(domain, app)[`${envPrefix(domain)}ADMIN_API_TOKEN`]).toBe(stack.adminTokens[domain]);
    }
    const probes = {
      kratos: ["/admin/identities", "/admin/sessions", "/admin/courier/messages", "/schemas"],
      hydra: ["/admin/clients", "/admin/oauth2/auth/requests/login?login_challenge=x", "/admin/oauth2/auth/sessions/consent?subject=x"],
    };
    for (const id of ORY_SERVERS) {
      const server = stack.servers[id];
      const answer = async (path: string, token?: string) => {
        const response = await fetch(
          `${server.adminUrl.replace(/\/$/, "")}${path}`,
          token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
        );
        await response.body?.cancel();
        return { status: response.status, challenge: response.headers.get("www-authenticate") ?? undefined };
      };
      const otherDomainsToken = stack.adminTokens[otherDomain(server.config.domain)];
      for (const path of probes[server.config.service]) {
        const at = `${id} ${path}`;
        const anonymous = await answer(path);
        expect(anonymous.status, at).toBe(401);
        expect(anonymous.challenge, at).toMatch(/^Bearer realm="(kratos|hydra)-admin"$/);
        expect((await answer(path, otherDomainsToken)).status, `${at} with the other domain's token`).toBe(401);
        expect((await answer(path, `${server.adminToken}x`)).status, `${at} with a longer token`).toBe(401);
      }
      const list = server.config.service === "kratos" ? "/admin/identities" : "/admin/clients";
      expect((await answer(list, server.adminToken)).status, `${id} ${list} with its token`).toBe(200);
      for (const health of ["/health/alive", "/health/ready"]) expect((await answer(health)).status, `${id} ${health}`).toBe(200);
    }
  });

  it("delivers the verification mail of a CIAM registration to the inbox API", async () => {
    const email = `customer-${Date.now()}@example.com`;
    const status = await apiRegister(
      stack.servers["ciam-kratos"].publicUrl,
      { email, name: { first: "Ada", last: "Lovelace" } },
      "a-customer-password-1",
    );
    expect(status).toBe(200);
    const mail = await waitForMail(stack.urls.inboxApi, email);
    // platform/dev/ciam-kratos/templates/verification_code: the branded subject and a one-time code.
    expect(mail?.subject).toBe("Olympus: Confirm your email address");
    expect(mail?.text).toMatch(/\b\d{6}\b/);
    expect(mail?.text).toContain(`sent to ${email}`);
  });

  it("sends CIAM mail through the SMTP server saved in Athena's settings, and back to the catcher when they are removed", async () => {
    // A second catcher stands in for the relay an admin configures in Athena.
    const dir = path.join(options.dataDir, "relay");
    const [smtpPort, webPort] = [await freePort(), await freePort()];
    const relay = await startMailCatcher({
      smtpPort,
      webPort,
      mailDirectory: path.join(dir, "mail"),
      logFile: path.join(dir, "relay.log"),
      buildDirectory: options.dataDir,
    });
    const prefix = envPrefix("ciam");
    const athena = embeddedAppEnv("ciam", "athena");
    const pool = createOlympusPool(
      String(Object.assign(new URL(athena[`${prefix}OLYMPUS_DATABASE_URL`] ?? ""), { port: String(options.ports.postgres) })),
      1,
    );
    const settings = createSettingsStore({
      pool,
      domain: "ciam",
      key: deriveEncryptionKey(athena[`${prefix}ENCRYPTION_KEY`] ?? "", "development"),
    });
    const register = async (email: string) =>
      expect(
        await apiRegister(
          stack.servers["ciam-kratos"].publicUrl,
          { email, name: { first: "Ada", last: "Lovelace" } },
          "a-customer-password-1",
        ),
      ).toBe(200);
    try {
      await settings.set(
        [
          { key: "smtp.host", value: "127.0.0.1", secret: false },
          { key: "smtp.port", value: String(smtpPort), secret: false },
          { key: "smtp.security", value: "none", secret: false },
        ],
        "test",
      );
      // The overlay is rewritten on NOTIFY and Kratos reloads it; registrations until then may still use the catcher.
      let email = "";
      for (let attempt = 0; attempt < 40; attempt++) {
        email = `relayed-${Date.now()}-${attempt}@example.com`;
        await register(email);
        if (await waitForMail(`${relay.apiUrl}/api/email`, email, 1_000)) break;
      }
      expect(await waitForMail(`${relay.apiUrl}/api/email`, email, 1_000)).toBeDefined();
      expect(await waitForMail(stack.urls.inboxApi, email, 1_000)).toBeUndefined();

      for (const key of ["smtp.host", "smtp.port", "smtp.security"]) await settings.delete(key);
      for (let attempt = 0; attempt < 40; attempt++) {
        email = `caught-${Date.now()}-${attempt}@example.com`;
        await register(email);
        if (await waitForMail(stack.urls.inboxApi, email, 1_000)) break;
      }
      expect(await waitForMail(stack.urls.inboxApi, email, 1_000)).toBeDefined();
    } finally {
      await pool.end();
      await relay.stop();
    }
  }, 120_000);

  it("stops everything, then starts again on the same data with seeds already in place", async () => {
    const { postgres, mail } = stack.pids;
    await stack.close();
    expect(postgres !== undefined && isAlive(postgres)).toBe(false);
    expect(isAlive(mail)).toBe(false);
    expect(processesMentioning(options.dataDir)).toEqual([]);

    // This time with the apps: stand-ins answer /api/health as Hera, Athena and the demo do, each port for its own app (and domain).
    const apps = await fakeApps(options);
    const progress: string[] = [];
    try {
      stack = await startDevstack({ ...options, apps: true }, { onProgress: (line) => progress.push(line) });
    } finally {
      await apps.close();
    }
    expect(progress).toContain("apps: Hera CIAM healthy");
    expect(progress).toContain("apps: Athena IAM healthy");
    expect(progress).toContain("apps: demo relying party healthy");
    expect(stack.healthTargets).toHaveLength(14);
    expect(progress).toContain(`postgres: reusing the cluster in ${path.join(options.dataDir, "postgres")}`);
    expect(stack.seeds.admin).toBe("unchanged");
    expect(stack.seeds.clients.map((c) => c.outcome)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect((await apiLogin(stack.servers["iam-kratos"].publicUrl, options.admin.email, options.admin.password)).status).toBe(200);
  });
});

/** Minimal stand-ins for the health routes of the four app instances and the demo relying party. */
async function fakeApps(options: DevstackOptions): Promise<{ close(): Promise<void> }> {
  const servers: Server[] = [];
  const serve = async (port: number, health: Record<string, string>) => {
    const server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(req.url === "/api/health" ? health : {}));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    servers.push(server);
  };
  for (const domain of ["ciam", "iam"] as const) {
    for (const app of ["hera", "athena"] as const) await serve(options.ports[domain][app], { status: "ok", app, domain });
  }
  await serve(options.ports.demo, { status: "ok", app: "demo" });
  return { close: async () => void (await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))) };
}

describe("on an existing PostgreSQL server (OLYMPUS_DEV_POSTGRES_URL)", () => {
  it("applies init.sql there, starts no Postgres of its own and leaves the server running on stop", async () => {
    const server = await startTestPostgres();
    try {
      const options = await testOptions({ databaseUrl: server.url() });
      const progress: string[] = [];
      const external = await startDevstack(options, { onProgress: (line) => progress.push(line) });
      expect(external.pids.postgres).toBeUndefined();
      expect(progress).toContain(`postgres: using the server at 127.0.0.1:${server.port}`);
      expect(external.urls.postgres).toBe(`postgres://127.0.0.1:${server.port}`);
      expect((await apiLogin(external.servers["iam-kratos"].publicUrl, options.admin.email, options.admin.password)).status).toBe(200);
      await external.close();
      const { rows } = await server.query<{ n: number }>(
        "select count(*)::int as n from pg_database where datname like '%_kratos' or datname like '%_hydra'",
      );
      expect(rows[0]?.n).toBe(4);
    } finally {
      await server.stop();
    }
  });
});

describe("when Postgres cannot start", () => {
  it("says so in one message and leaves no processes", async () => {
    const options = await testOptions();
    await mkdir(path.join(options.dataDir, "postgres"));
    await writeFile(path.join(options.dataDir, "postgres", "notes.txt"), "not a cluster");
    const starting = startDevstack(options);
    await expect(starting).rejects.toMatchObject({ kind: "postgres" });
    await expect(starting).rejects.toThrow(
      /^Postgres cannot start: .*postgres exists but is not a PostgreSQL data directory; remove it \(npm run dev:reset\)/,
    );
    expect(processesMentioning(options.dataDir)).toEqual([]);
  });
});

describe("the seeds' guard inside the dev stack", () => {
  it("refuses a shared DATABASE_URL before any server starts, leaving no processes", async () => {
    const options = await testOptions();
    const shared = `postgres://iam_kratos:iam_kratos_dev_password@127.0.0.1:${options.ports.postgres}/iam_kratos?sslmode=disable`;
    options.dsnOverrides = { "ciam-kratos": shared, "iam-kratos": shared };
    const progress: string[] = [];
    const starting = startDevstack(options, { onProgress: (line) => progress.push(line) });
    await expect(starting).rejects.toMatchObject({ kind: "seed-guard" });
    await expect(starting).rejects.toThrow('CIAM Kratos\'s DSN points at database "iam_kratos", which belongs to IAM Kratos');
    expect(progress.some((line) => line.startsWith("servers:"))).toBe(false);
    expect(processesMentioning(options.dataDir)).toEqual([]);
  });
});
