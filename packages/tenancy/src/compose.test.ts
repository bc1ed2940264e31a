import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCaddyBlock } from "./caddy";
import { renderComposeYaml } from "./compose";
import { DEFAULT_PLATFORM_DIR, readProductionCompose } from "./platform-files";
import { planTenant, withTenant, type Registry } from "./registry";
import type { Tenant } from "./tenant";

type Service = {
  networks?: string[];
  ports?: string[];
  volumes?: string[];
  container_name?: string;
  environment?: Record<string, string>;
  extra_hosts?: string[];
};
type Project = {
  name: string;
  services: Record<string, Service>;
  networks: Record<string, { name?: string; external?: boolean } | null>;
  volumes: Record<string, { name?: string; external?: boolean } | null>;
};

function twoTenants(): [Tenant, Tenant] {
  let registry: Registry = { version: 1, tenants: [] };
  const acme = planTenant(registry, {
    name: "acme",
    domains: ["ciam", "iam"],
    parentDomain: "example.com",
    target: "compose",
    version: "0.1.0",
  });
  registry = withTenant(registry, acme);
  const globex = planTenant(registry, {
    name: "globex",
    domains: ["ciam"],
    parentDomain: "example.com",
    target: "compose",
    version: "0.1.0",
  });
  return [acme, globex];
}

async function project(tenant: Tenant): Promise<Project> {
  return parse(renderComposeYaml(await readProductionCompose(), tenant, DEFAULT_PLATFORM_DIR)) as Project;
}

/** What Compose would create on the engine: resources named <project>_<key> unless `name:`/external says otherwise. */
function engineNames(p: Project) {
  const named = (kind: "networks" | "volumes") =>
    Object.entries(p[kind] ?? {}).map(([key, value]) => {
      expect(value?.external, `${kind}.${key} is external`).toBeFalsy();
      return value?.name ?? `${p.name}_${key}`;
    });
  const containers = Object.entries(p.services).map(([key, s]) => s.container_name ?? `${p.name}-${key}-1`);
  const ports = Object.values(p.services).flatMap((s) => (s.ports ?? []).map((port) => port.split(":").slice(0, 2).join(":")));
  return { networks: named("networks"), volumes: named("volumes"), containers, ports };
}

describe("Compose project per tenant", () => {
  it("shares no service, volume, network or host port between two tenants", async () => {
    const [acme, globex] = twoTenants();
    const [a, b] = [engineNames(await project(acme)), engineNames(await project(globex))];
    for (const kind of ["networks", "volumes", "containers", "ports"] as const) {
      expect(
        a[kind].filter((name) => b[kind].includes(name)),
        kind,
      ).toEqual([]);
      expect(a[kind].length).toBeGreaterThan(0);
    }
  });

  it("publishes only on 127.0.0.1, in the tenant's block, never an admin port", async () => {
    const [acme] = twoTenants();
    const p = await project(acme);
    const ports = Object.values(p.services).flatMap((s) => s.ports ?? []);
    expect(ports.sort()).toEqual(
      ["10000:3000", "10001:3001", "10010:3100", "10012:3102", "10050:4000", "10051:4001", "10060:4100", "10062:4102"]
        .map((x) => `127.0.0.1:${x}`)
        .sort(),
    );
    expect(p.services.caddy).toBeUndefined();
  });

  it("keeps the domains apart inside a tenant: no network holds both a CIAM and an IAM app", async () => {
    const [acme] = twoTenants();
    const p = await project(acme);
    for (const network of Object.keys(p.networks)) {
      const members = Object.entries(p.services)
        .filter(([, s]) => s.networks?.includes(network))
        .map(([name]) => name);
      const apps = members.filter((name) => name !== "postgres");
      const domains = new Set(apps.map((name) => (name.startsWith("iam-") ? "iam" : name.startsWith("ciam-") ? "ciam" : "other")));
      expect(domains.has("ciam") && domains.has("iam"), `${network}: ${members.join(", ")}`).toBe(false);
    }
  });

  it("gives a CIAM-only tenant no IAM service and its own client at the operator's IAM", async () => {
    const [, globex] = twoTenants();
    const p = await project(globex);
    expect(Object.keys(p.services).filter((name) => name.startsWith("iam-"))).toEqual([]);
    const athena = p.services["ciam-athena"]?.environment ?? {};
    expect(athena.CIAM_PUBLIC_URL).toBe("https://admin.globex.example.com");
    expect(athena.AUTH_ISSUER_URL).toBe("https://iam.example.com/");
    expect(athena.CIAM_AUTH_CLIENT_ID).toBe("iam-athena-ciam-globex");
    expect(JSON.stringify(p)).not.toContain("${OLYMPUS_DOMAIN");
  });

  it("routes the tenant's hosts to its own ports only (Caddy block)", () => {
    const [acme, globex] = twoTenants();
    const caddy = renderCaddyBlock(acme);
    expect(caddy).toMatch(/^acme\.example\.com \{/m);
    expect(caddy).toMatch(/^admin\.acme\.example\.com \{/m);
    expect(caddy).toMatch(/^iam\.acme\.example\.com \{/m);
    const upstreams = [...caddy.matchAll(/reverse_proxy 127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    expect(upstreams.sort()).toEqual([10000, 10001, 10012, 10050, 10051, 10062]);
    expect(renderCaddyBlock(globex)).not.toMatch(/^iam\./m);
  });
});
