import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOMAINS, type Domain } from "@olympus/runtime-config/config";
import { freePort, startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { startOryDomain, type TestOryDomain } from "../testing/ory-stack";
import { olympus } from "../testing/run";

interface StatusJson {
  ok: boolean;
  command: string;
  up: number;
  down: number;
  services: { name: string; url: string; up: boolean; detail: string; ms: number }[];
}

/** Stands in for a Hera or Athena: answers /api/health as that app and domain, as theirs do. */
async function startApp(app: string, domain: Domain): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const ready = new URL(req.url ?? "/", "http://x").searchParams.has("ready");
    res.writeHead(req.url?.startsWith("/api/health") ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: ready ? "ready" : "ok", app, domain }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, server };
}

describe("olympus status with both domains' servers on free ports", () => {
  let pg: TestPostgres;
  const ory = {} as Record<Domain, TestOryDomain>;
  const apps: Server[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    pg = await startTestPostgres();
    env = { OLYMPUS_POSTGRES_URL: `postgres://127.0.0.1:${pg.port}` };
    for (const domain of DOMAINS) {
      ory[domain] = await startOryDomain(pg, domain, `test-admin-token-${domain}-0123456789abcdef`);
      const prefix = domain.toUpperCase();
      env[`${prefix}_KRATOS_PUBLIC_URL`] = ory[domain].kratos.publicUrl;
      env[`${prefix}_KRATOS_ADMIN_URL`] = ory[domain].kratos.adminUrl;
      env[`${prefix}_HYDRA_PUBLIC_URL`] = ory[domain].hydra.publicUrl;
      env[`${prefix}_HYDRA_ADMIN_URL`] = ory[domain].hydra.adminUrl;
      for (const app of ["hera", "athena"]) {
        const started = await startApp(app, domain);
        apps.push(started.server);
        env[`${prefix}_${app.toUpperCase()}_URL`] = started.url;
      }
    }
  });
  afterAll(async () => {
    for (const server of apps) server.close();
    await Promise.allSettled(Object.values(ory).map((d) => d.close()));
    await pg?.stop();
  });

  it("reports every service up, one line each, and exits 0", async () => {
    const run = await olympus(["status"], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(14);
    for (const name of [
      "CIAM Kratos public",
      "CIAM Kratos admin",
      "CIAM Hydra public",
      "CIAM Hydra admin",
      "CIAM Hera",
      "CIAM Athena",
      "IAM Kratos public",
      "IAM Kratos admin",
      "IAM Hydra public",
      "IAM Hydra admin",
      "IAM Hera",
      "IAM Athena",
      "Postgres",
    ]) {
      expect(lines.filter((line) => new RegExp(`^up {4}${name} +\\S`).test(line))).toHaveLength(1);
    }
    expect(lines.at(-1)).toBe("status: all 13 services up");

    const json = (await olympus(["status", "--json"], env)).json() as unknown as StatusJson;
    expect(json).toMatchObject({ ok: true, command: "status", up: 13, down: 0 });
    const [first] = json.services;
    expect(first?.ms).toBeTypeOf("number");
    expect(first).toEqual({
      name: "CIAM Kratos public",
      url: `${ory.ciam.kratos.publicUrl.replace(/\/$/, "")}/health/ready`,
      up: true,
      detail: "ready",
      ms: first?.ms,
    });
    expect(json.services.find((s) => s.name === "IAM Athena")).toMatchObject({
      up: true,
      detail: "ready",
      url: `${env.IAM_ATHENA_URL}/api/health?ready=1`,
    });
    expect(json.services.find((s) => s.name === "Postgres")).toMatchObject({
      up: true,
      detail: "accepting connections",
      url: `postgres://127.0.0.1:${pg.port}`,
    });
  });

  it("checks one domain (and Postgres) with --domain", async () => {
    const json = (await olympus(["status", "--domain", "iam", "--json"], env)).json() as unknown as StatusJson;
    expect(json).toMatchObject({ ok: true, up: 7, down: 0 });
    expect(json.services.map((s) => s.name)).toEqual([
      "IAM Kratos public",
      "IAM Kratos admin",
      "IAM Hydra public",
      "IAM Hydra admin",
      "IAM Hera",
      "IAM Athena",
      "Postgres",
    ]);
  });

  it("refuses an app that answers as another app or domain", async () => {
    const json = (await olympus(["status", "--json"], { ...env, IAM_HERA_URL: env.CIAM_ATHENA_URL ?? "" })).json() as unknown as StatusJson;
    expect(json).toMatchObject({ ok: false, down: 1 });
    expect(json.services.find((s) => s.name === "IAM Hera")).toMatchObject({ up: false, detail: "answers as athena ciam, not hera iam" });
  });

  it("reports Postgres down when nothing listens there", async () => {
    const closed = await freePort();
    const run = await olympus(["status"], { ...env, OLYMPUS_POSTGRES_URL: `postgres://127.0.0.1:${closed}` });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^DOWN {2}Postgres +postgres://127\\.0\\.0\\.1:${closed} {2}connection refused$`, "m"));
    expect(run.stdout.trim().split("\n").at(-1)).toBe("status: 1 of 13 down: Postgres");
  });

  it("reports a stopped server down (both its ports) and exits 1", async () => {
    await ory.iam.hydra.close();
    const run = await olympus(["status", "--timeout", "2"], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^DOWN {2}IAM Hydra public +http:\/\/127\.0\.0\.1:\d+\/health\/ready {2}connection refused$/m);
    expect(run.stdout).toMatch(/^DOWN {2}IAM Hydra admin +http:\/\/127\.0\.0\.1:\d+\/health\/ready {2}connection refused$/m);
    expect(run.stdout).toMatch(/^up {4}IAM Kratos admin /m);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("status: 2 of 13 down: IAM Hydra public, IAM Hydra admin");

    const json = await olympus(["status", "--json"], env);
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({ ok: false, command: "status", up: 11, down: 2 });
  });
});
