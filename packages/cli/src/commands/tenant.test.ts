import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EMBEDDED_LAYOUT, readRegistry } from "@olympus/tenancy";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Command } from "../command";
import { Output } from "../output";
import { olympus } from "../testing/run";
import { createTenantCommands } from "./tenant";
import type { CommandRunner, TenantDependencies } from "./tenant-support";

async function freshRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), "olympus-tenants-"));
}

/** Runs a tenant command built with test dependencies, parsed like runOlympus does. */
async function runWith(deps: Partial<TenantDependencies>, argv: string[], root: string) {
  const commands = createTenantCommands({
    runner: () => Promise.resolve(0),
    fetch: () => Promise.reject(new Error("down")),
    prompt: () => Promise.resolve(undefined),
    ...deps,
  });
  const command = commands.find((c) => argv.join(" ").startsWith(c.name)) as Command;
  const { values, positionals } = parseArgs({
    args: argv.slice(command.name.split(" ").length),
    options: { ...command.options, json: { type: "boolean" } },
    allowPositionals: true,
  });
  let stdout = "";
  let stderr = "";
  const out = new Output(
    { env: {}, cwd: root, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    values.json === true,
    command.name,
  );
  const options = Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === "string" || typeof v === "boolean")) as Record<
    string,
    string | boolean
  >;
  try {
    const result = await command.run({ args: positionals, options: { ...options, root }, env: {}, cwd: root, out });
    return { ok: result.ok, data: result.data, lines: result.lines, stderr, error: undefined as Error | undefined };
  } catch (error) {
    return { ok: false, data: {}, lines: [], stderr, error: error as Error };
  }
}

function recordingRunner(failOn?: (args: readonly string[]) => boolean): { runner: CommandRunner; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    runner: (command, args) => {
      calls.push([command, ...args].join(" "));
      return Promise.resolve(failOn?.(args) ? 1 : 0);
    },
  };
}

describe("olympus tenant create", () => {
  it("writes the tenant's directory (.env mode 600), registers it and prints its URLs", async () => {
    const root = await freshRoot();
    const run = await olympus(["tenant", "create", "acme", "--domain", "example.com", "--root", root], {});
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("https://acme.example.com/");
    expect(run.stdout).toContain("https://admin.iam.acme.example.com/");
    const dir = join(root, "acme");
    expect((await stat(join(dir, ".env"))).mode & 0o777).toBe(0o600);
    const env = await readFile(join(dir, ".env"), "utf8");
    expect(env).toMatch(/^CIAM_KRATOS_CIPHER_SECRET=[0-9a-f]{32}$/m);
    expect((parse(await readFile(join(dir, "compose.yml"), "utf8")) as { name: string }).name).toBe("olympus-acme");
    expect(await readFile(join(dir, "Caddyfile"), "utf8")).toMatch(/^admin\.acme\.example\.com \{/m);
    expect(await readFile(join(dir, "ciam-kratos", "kratos.yml"), "utf8")).toContain("https://acme.example.com/.ory/kratos/");
    expect((await readRegistry(root)).tenants.map((t) => [t.name, t.slot])).toEqual([["acme", 0]]);
  });

  it("refuses an invalid or duplicate name with a clear message and writes nothing", async () => {
    const root = await freshRoot();
    const invalid = await olympus(["tenant", "create", "Admin_1", "--root", root], {});
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/not a DNS label/);
    expect(await readdir(root)).toEqual([]);
    expect((await olympus(["tenant", "create", "acme", "--root", root], {})).code).toBe(0);
    const before = await readFile(join(root, "tenants.json"), "utf8");
    const duplicate = await olympus(["--json", "tenant", "create", "acme", "--domains", "ciam", "--root", root], {});
    expect(duplicate.code).toBe(2);
    expect(duplicate.json()).toMatchObject({ ok: false, error: { code: "usage", message: 'a tenant named "acme" already exists' } });
    expect(await readFile(join(root, "tenants.json"), "utf8")).toBe(before);
    expect((await readdir(root)).sort()).toEqual(["acme", "tenants.json"]);
  });

  it("writes Kubernetes manifests into --out, the Secret in its own mode-600 file", async () => {
    const root = await freshRoot();
    const outDir = join(root, "k8s-out");
    const run = await olympus(["tenant", "create", "globex", "--domains", "ciam", "--target", "k8s", "--out", outDir, "--root", root], {});
    expect(run.code, run.stderr).toBe(0);
    expect((await stat(join(outDir, "secret.yaml"))).mode & 0o777).toBe(0o600);
    const kinds = (await readFile(join(outDir, "tenant.yaml"), "utf8")).split(/^---$/m).map((doc) => (parse(doc) as { kind: string }).kind);
    expect(new Set(kinds)).toEqual(
      new Set(["Namespace", "NetworkPolicy", "ConfigMap", "StatefulSet", "Service", "Job", "Deployment", "Ingress"]),
    );
  });
});

describe("olympus tenant list and status", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("lists name, domains, ports, health and version; a stopped tenant is unreachable", async () => {
    const root = await freshRoot();
    await olympus(["tenant", "create", "acme", "--root", root], {});
    await olympus(["tenant", "create", "globex", "--domains", "ciam", "--root", root], { OLYMPUS_VERSION: "0.2.0" });
    const run = await runWith({}, ["tenant", "list", "--json"], root);
    expect(run.data.tenants).toMatchObject([
      { name: "acme", domains: ["ciam", "iam"], health: "unreachable", version: "0.1.0", ports: { base: 10000 } },
      { name: "globex", domains: ["ciam"], health: "unreachable", version: "0.2.0", ports: { base: 10100 } },
    ]);
  });

  it("reports healthy when every readiness URL answers 2xx, and which service is down otherwise", async () => {
    const root = await freshRoot();
    await olympus(["tenant", "create", "acme", "--domains", "ciam", "--root", root], {});
    // Every readiness URL goes to one live server, except Hydra's.
    const fetcher = ((url: string) => {
      const target = new URL(url);
      if (target.port === "10012") return Promise.reject(new Error("refused"));
      return fetch(`http://127.0.0.1:${port}${target.pathname}`);
    }) as typeof fetch;
    const status = await runWith({ fetch: fetcher }, ["tenant", "status", "acme"], root);
    expect(status.ok).toBe(false);
    expect(status.data.health).toBe("degraded");
    expect(status.lines.find((line) => line.includes("ciam-hydra"))).toMatch(/DOWN/);
    const healthy = await runWith(
      { fetch: ((url: string) => fetch(`http://127.0.0.1:${port}${new URL(url).pathname}`)) as typeof fetch },
      ["tenant", "status", "acme"],
      root,
    );
    expect(healthy.data.health).toBe("healthy");
    expect((await runWith({}, ["tenant", "status", "nope"], root)).error?.message).toMatch(/no tenant named "nope"/);
  });
});

describe("olympus tenant status of an embedded tenant whose apps sleep", () => {
  it("reports a sleeping app as ready without asking it, asks an awake one at its own port, and a crashed one is down", async () => {
    const root = await freshRoot();
    const create = ["tenant", "create", "acme", "--embedded", "--domains", "ciam", "--no-start", "--root", root];
    expect((await olympus([...create.slice(0, 3), "--app-idle-timeout", "soon", ...create.slice(3)], {})).code).toBe(2);
    expect((await olympus([...create, "--app-idle-timeout", "30m"], {})).code).toBe(0);
    expect((await readRegistry(root)).tenants[0]?.appIdleTimeout).toBe("30m");
    const since = new Date().toISOString();
    const writeState = (apps: Record<string, unknown>) =>
      writeFile(
        join(root, "acme", EMBEDDED_LAYOUT.state),
        JSON.stringify({ status: "ready", supervisorPid: process.pid, processes: [], notes: [], apps, updatedAt: since }),
      );
    await mkdir(join(root, "acme", "run"), { recursive: true });
    await writeState({
      "ciam-hera": { phase: "sleeping", port: 10020, since },
      "ciam-athena": { phase: "awake", pid: process.pid, port: 10021, since },
    });
    const asked: string[] = [];
    const fetcher = ((url: string) => {
      asked.push(url);
      return Promise.resolve(new Response("ok"));
    }) as typeof fetch;
    const status = await runWith({ fetch: fetcher }, ["tenant", "status", "acme"], root);
    expect(status.data.health).toBe("healthy");
    expect(status.lines.find((line) => line.includes("ciam-hera"))).toMatch(/ok .*sleeping/);
    // Neither Hera's public port (its gate would wake it) nor its own; Athena behind its gate, at its own port.
    expect(asked.filter((url) => /:100(00|20)\//.test(url))).toEqual([]);
    expect(asked).toContain("http://127.0.0.1:10021/api/health?ready=1");
    expect(asked.some((url) => url.includes(":10001/"))).toBe(false);

    await writeState({ "ciam-hera": { phase: "crashed", port: 10020, detail: "the app exited with code 1", since } });
    const crashed = await runWith({ fetch: fetcher }, ["tenant", "status", "acme"], root);
    expect(crashed.data.health).toBe("degraded");
    expect(crashed.lines.find((line) => line.includes("ciam-hera"))).toMatch(/DOWN .*crashed: the app exited with code 1/);
  });
});

describe("olympus tenant upgrade", () => {
  it("pulls then restarts each tenant with its own project and files", async () => {
    const root = await freshRoot();
    await olympus(["tenant", "create", "acme", "--root", root], {});
    const { runner, calls } = recordingRunner();
    const run = await runWith({ runner }, ["tenant", "upgrade", "acme"], root);
    expect(run.ok).toBe(true);
    const files = `-f ${join(root, "acme", "compose.yml")} --env-file ${join(root, "acme", ".env")}`;
    expect(calls).toEqual([`docker compose -p olympus-acme ${files} pull`, `docker compose -p olympus-acme ${files} up -d`]);
    expect(run.stderr).toContain("[1/1] acme: pulling images");
  });

  it("--all stops at the first failure and reports every tenant", async () => {
    const root = await freshRoot();
    for (const name of ["acme", "beta", "gamma"]) await olympus(["tenant", "create", name, "--root", root], {});
    const { runner, calls } = recordingRunner((args) => args.includes("olympus-beta") && args.includes("up"));
    const run = await runWith({ runner }, ["tenant", "upgrade", "--all"], root);
    expect(run.ok).toBe(false);
    expect(run.data.tenants).toEqual([
      { name: "acme", outcome: "upgraded", detail: "pulled and restarted" },
      { name: "beta", outcome: "failed", detail: "docker compose up -d exited with 1" },
      { name: "gamma", outcome: "not attempted", detail: "an earlier tenant failed" },
    ]);
    expect(calls.some((call) => call.includes("olympus-gamma"))).toBe(false);
    expect((await runWith({ runner }, ["tenant", "upgrade"], root)).error?.message).toMatch(/name one tenant or pass --all/);
  });
});

describe("olympus tenant remove", () => {
  it("asks for the name, keeps the data by default, and deletes it with --delete-data", async () => {
    const root = await freshRoot();
    await olympus(["tenant", "create", "acme", "--root", root], {});
    await olympus(["tenant", "create", "beta", "--root", root], {});
    const { runner, calls } = recordingRunner();

    const wrong = await runWith({ runner, prompt: () => Promise.resolve("acm") }, ["tenant", "remove", "acme"], root);
    expect(wrong.error?.message).toMatch(/nothing removed/);
    expect(calls).toEqual([]);
    expect((await runWith({ runner }, ["tenant", "remove", "acme"], root)).error?.message).toMatch(/pass --yes/);

    const kept = await runWith({ runner, prompt: () => Promise.resolve("acme") }, ["tenant", "remove", "acme"], root);
    expect(kept.ok).toBe(true);
    expect(calls.at(-1)).toMatch(/ down$/);
    expect(await stat(join(root, "acme", ".env"))).toBeTruthy();

    const deleted = await runWith({ runner }, ["tenant", "remove", "beta", "--yes", "--delete-data"], root);
    expect(deleted.ok).toBe(true);
    expect(calls.at(-1)).toMatch(/ down -v$/);
    await expect(stat(join(root, "beta"))).rejects.toThrow();
    expect((await readRegistry(root)).tenants).toEqual([]);
  });

  it("keeps the tenant registered when docker compose down fails", async () => {
    const root = await freshRoot();
    await olympus(["tenant", "create", "acme", "--root", root], {});
    const { runner } = recordingRunner(() => true);
    const run = await runWith({ runner }, ["tenant", "remove", "acme", "--yes"], root);
    expect(run.error?.message).toMatch(/still registered/);
    expect((await readRegistry(root)).tenants.map((t) => t.name)).toEqual(["acme"]);
  });
});
