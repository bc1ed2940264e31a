import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tenantNameProblem } from "./name";
import { allocateSlot, blockPorts, EPHEMERAL_PORT_START, MAX_SLOT, portBlock } from "./ports";
import { planTenant, readRegistry, withTenant, writeRegistry, type Registry } from "./registry";
import { generateSecrets, SECRET_SPECS } from "./secrets";
import { rewriteExampleHosts } from "./hosts";

const request = {
  name: "acme",
  domains: ["ciam", "iam"] as ["ciam", "iam"],
  parentDomain: "example.com",
  target: "compose" as const,
  version: "0.1.0",
};

describe("tenant names", () => {
  it.each(["acme", "a", "acme-2", "x".repeat(40)])("accepts %s", (name) => expect(tenantNameProblem(name)).toBeUndefined());
  it.each(["", "Acme", "-acme", "acme-", "acme_1", "a.b", "x".repeat(41), "admin", "iam", "www", "iam-corp", "ciam-x"])(
    "refuses %j",
    (name) => expect(tenantNameProblem(name)).toBeDefined(),
  );
});

describe("port blocks", () => {
  it("puts each service at its single-tenant offset and Postgres at +90", () => {
    const block = portBlock(3);
    expect(block.base).toBe(10_300);
    expect(block.ciam).toMatchObject({
      hera: 10_300,
      athena: 10_301,
      kratosPublic: 10_310,
      kratosAdmin: 10_311,
      hydraPublic: 10_312,
      hydraAdmin: 10_313,
    });
    expect(block.iam).toMatchObject({ hera: 10_350, athena: 10_351, kratosPublic: 10_360, hydraAdmin: 10_363 });
    expect(block.postgres).toBe(10_390);
  });
  it("keeps the last block below the ephemeral range and refuses one beyond it", () => {
    expect(Math.max(...blockPorts(portBlock(MAX_SLOT)))).toBeLessThan(EPHEMERAL_PORT_START);
    expect(() => portBlock(MAX_SLOT + 1)).toThrow(/outside/);
  });
  it("takes the lowest free slot, and fails when all are taken", () => {
    expect(allocateSlot([])).toBe(0);
    expect(allocateSlot([0, 1, 3])).toBe(2);
    expect(() => allocateSlot(Array.from({ length: MAX_SLOT + 1 }, (_, i) => i))).toThrow(/every port slot/);
  });
});

describe("secrets", () => {
  it("meets each consumer's length rule, and a CIAM-only tenant gets no IAM app secret", () => {
    const secrets = generateSecrets(["ciam", "iam"]);
    for (const spec of SECRET_SPECS) {
      const value = secrets[spec.variable];
      expect(value, spec.variable).toBeDefined();
      if (spec.rule.exactly) expect(value).toHaveLength(spec.rule.exactly);
      expect(value?.length, spec.variable).toBeGreaterThanOrEqual(spec.rule.min);
    }
    const ciamOnly = generateSecrets(["ciam"]);
    expect(ciamOnly.IAM_KRATOS_CIPHER_SECRET).toBeUndefined();
    // init.sql creates every role, so every database password is there.
    expect(ciamOnly.IAM_KRATOS_DB_PASSWORD).toBeDefined();
    expect(generateSecrets(["ciam"]).ENCRYPTION_KEY).not.toBe(ciamOnly.ENCRYPTION_KEY);
  });
});

describe("registry", () => {
  it("refuses a duplicate or invalid name and gives the next tenant the next block", () => {
    let registry: Registry = { version: 1, tenants: [] };
    const acme = planTenant(registry, request);
    registry = withTenant(registry, acme);
    expect(() => planTenant(registry, request)).toThrow(/already exists/);
    expect(() => planTenant(registry, { ...request, name: "admin" })).toThrow(/reserved/);
    expect(planTenant(registry, { ...request, name: "globex" }).slot).toBe(acme.slot + 1);
  });
  it("round-trips through the file, written mode 600", async () => {
    const root = await mkdtemp(join(tmpdir(), "tenancy-"));
    expect(await readRegistry(root)).toEqual({ version: 1, tenants: [] });
    const registry = withTenant({ version: 1, tenants: [] }, planTenant({ version: 1, tenants: [] }, request));
    await writeRegistry(root, registry);
    expect(await readRegistry(root)).toEqual(registry);
    expect((await stat(join(root, "tenants.json"))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(root, "tenants.json"), "utf8"))).toEqual(registry);
  });
});

describe("host rewriting", () => {
  it("maps every production host to the tenant's and leaves other names alone", () => {
    const text = "ciam.example.com admin.ciam.example.com iam.example.com admin.iam.example.com smtp.example.com no-reply@ciam.example.com";
    expect(rewriteExampleHosts(text, request)).toBe(
      "acme.example.com admin.acme.example.com iam.acme.example.com admin.iam.acme.example.com smtp.example.com no-reply@acme.example.com",
    );
    // Without IAM, employees sign in at the operator's IAM.
    expect(rewriteExampleHosts("https://iam.example.com/", { ...request, domains: ["ciam"] })).toBe("https://iam.example.com/");
  });
});
