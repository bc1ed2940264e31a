import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnvFile, readRegistry } from "@olympus/tenancy";
import { afterAll, describe, expect, it } from "vitest";
import { olympus } from "../testing/run";
import { createControlPlaneCommands } from "./control-plane";
import { Output } from "../output";

const roots: string[] = [];
async function freshRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "olympus-embedded-cli-"));
  roots.push(root);
  return root;
}
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

// Slots 160-161 (ports 26000-26199): far from a developer's own tenants and from @olympus/tenancy's two-tenant suite.
const ENV = { OLYMPUS_TENANTS_FIRST_SLOT: "160" };

describe("olympus tenant create --embedded", () => {
  it("refuses what an embedded tenant cannot be", async () => {
    const root = await freshRoot();
    expect((await olympus(["tenant", "create", "acme", "--embedded", "--target", "k8s", "--root", root], ENV)).code).toBe(2);
    expect((await readRegistry(root)).tenants).toEqual([]);
  });

  it("creates a CIAM-only tenant (--domains ciam): CIAM's URLs, no control-plane client, its client at the operator's IAM named", async () => {
    const root = await freshRoot();
    const run = await olympus(["tenant", "create", "initech", "--embedded", "--domains", "ciam", "--no-start", "--root", root], ENV);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("http://admin.initech.localhost:");
    expect(run.stdout).not.toContain("iam.initech.localhost");
    expect(run.stdout).toContain("register client iam-athena-ciam-initech");
    expect((await readRegistry(root)).tenants).toMatchObject([{ name: "initech", domains: ["ciam"], target: "embedded" }]);
    const secrets = parseEnvFile(await readFile(join(root, "initech", ".env"), "utf8"));
    expect(secrets.CONTROL_PLANE_CLIENT_SECRET).toBeUndefined();
    expect(secrets.CIAM_ATHENA_CLIENT_SECRET).toMatch(/^[0-9a-f]{48}$/);
    expect(await readFile(join(root, "initech", "operator-iam-client.yml"), "utf8")).toContain("client_id: iam-athena-ciam-initech");
  });

  it("runs two tenants: create, list, status, stop, start, remove — each with its own processes and machine client", async () => {
    const root = await freshRoot();
    for (const name of ["acme", "globex"]) {
      const run = await olympus(["tenant", "create", name, "--embedded", "--no-apps", "--root", root], ENV);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`http://admin.iam.${name}.localhost:`);
      expect((await stat(join(root, name, ".env"))).mode & 0o777).toBe(0o600);
    }
    const secrets = await Promise.all(["acme", "globex"].map(async (n) => parseEnvFile(await readFile(join(root, n, ".env"), "utf8"))));
    expect(secrets[0]?.CONTROL_PLANE_CLIENT_SECRET).toMatch(/^[0-9a-f]{48}$/);
    expect(secrets[0]?.CONTROL_PLANE_CLIENT_SECRET).not.toBe(secrets[1]?.CONTROL_PLANE_CLIENT_SECRET);

    const list = await olympus(["--json", "tenant", "list", "--root", root], ENV);
    expect(list.json()).toMatchObject({
      tenants: [
        { name: "acme", target: "embedded", health: "healthy", ports: { slot: 160 } },
        { name: "globex", target: "embedded", health: "healthy", ports: { slot: 161 } },
      ],
    });
    expect((await olympus(["tenant", "stop", "acme", "--root", root], ENV)).stdout).toContain("acme: stopped");
    const stopped = await olympus(["tenant", "status", "acme", "--root", root], ENV);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/unreachable/);
    expect((await olympus(["tenant", "status", "globex", "--root", root], ENV)).code).toBe(0);
    expect((await olympus(["tenant", "start", "acme", "--no-apps", "--root", root], ENV)).code).toBe(0);
    expect((await olympus(["tenant", "status", "acme", "--root", root], ENV)).code).toBe(0);

    const kept = await olympus(["tenant", "remove", "acme", "--yes", "--root", root], ENV);
    expect(kept.code, kept.stderr).toBe(0);
    expect(await stat(join(root, "acme", "data", "postgres", "PG_VERSION"))).toBeTruthy();
    expect((await olympus(["tenant", "remove", "globex", "--yes", "--delete-data", "--root", root], ENV)).code).toBe(0);
    await expect(stat(join(root, "globex"))).rejects.toThrow();
    expect((await readRegistry(root)).tenants).toEqual([]);
    const health = await fetch(`http://127.0.0.1:26010/health/ready`).then(
      () => "up",
      () => "down",
    );
    expect(health).toBe("down");
  }, 180_000);
});

describe("olympus control-plane", () => {
  it("has its own login, which only opens the control plane", async () => {
    const root = await freshRoot();
    expect((await olympus(["control-plane", "tenants", "--root", root], {})).stderr).toMatch(/control-plane init/);
    const init = await olympus(["--json", "control-plane", "init", "--root", root], {});
    const token = (init.json().token as string) ?? "";
    expect(token).toMatch(/^ocp_/);
    expect((await stat(join(root, "control-plane.json"))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(root, "control-plane.json"), "utf8")).not.toContain(token);
    expect((await olympus(["control-plane", "init", "--root", root], {})).code).toBe(2);
    const none = await olympus(["control-plane", "tenants", "--root", root], {});
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/OLYMPUS_CONTROL_PLANE_TOKEN/);
    expect((await olympus(["control-plane", "tenants", "--root", root], { OLYMPUS_CONTROL_PLANE_TOKEN: `${token}x` })).stderr).toMatch(
      /wrong/,
    );
    const ok = await olympus(["control-plane", "tenants", "--root", root], { OLYMPUS_CONTROL_PLANE_TOKEN: token });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("calls each tenant's Athena with that tenant's own client at that tenant's own IAM Hydra", async () => {
    const root = await freshRoot();
    for (const name of ["acme", "globex"])
      expect((await olympus(["tenant", "create", name, "--embedded", "--no-start", "--root", root], ENV)).code).toBe(0);
    const token = ((await olympus(["--json", "control-plane", "init", "--root", root], {})).json().token as string) ?? "";
    const calls: { url: string; authorization: string }[] = [];
    const fetcher = ((url: string, init?: RequestInit) => {
      const authorization = new Headers(init?.headers).get("authorization") ?? "";
      calls.push({ url, authorization });
      if (url.endsWith("/oauth2/token")) return Promise.resolve(Response.json({ access_token: `at-for-${new URL(url).port}` }));
      return Promise.resolve(Response.json({ admins: [{ id: "1", email: "boss@acme.test", role: "admin" }] }));
    }) as typeof fetch;
    const [, , admins] = createControlPlaneCommands({
      runner: () => Promise.resolve(0),
      fetch: fetcher,
      prompt: () => Promise.resolve(undefined),
    });
    const run = async (name: string) => {
      const out = new Output({ env: {}, cwd: root, stdout: () => {}, stderr: () => {} }, false, "control-plane admins");
      return admins?.run({ args: [name], options: { root }, env: { OLYMPUS_CONTROL_PLANE_TOKEN: token }, cwd: root, out });
    };
    expect((await run("acme"))?.lines).toEqual(["admin   boss@acme.test  1"]);
    await run("globex");
    const basic = (name: string) => `Basic ${Buffer.from(`iam-control-plane-${name}:${secretsOf[name] ?? ""}`).toString("base64")}`;
    const secretsOf: Record<string, string | undefined> = {};
    for (const name of ["acme", "globex"])
      secretsOf[name] = parseEnvFile(await readFile(join(root, name, ".env"), "utf8")).CONTROL_PLANE_CLIENT_SECRET;
    expect(calls).toEqual([
      { url: "http://127.0.0.1:26062/oauth2/token", authorization: basic("acme") },
      { url: "http://127.0.0.1:26051/api/machine/admins", authorization: "Bearer at-for-26062" },
      { url: "http://127.0.0.1:26162/oauth2/token", authorization: basic("globex") },
      { url: "http://127.0.0.1:26151/api/machine/admins", authorization: "Bearer at-for-26162" },
    ]);
  });
});
