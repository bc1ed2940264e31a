import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addToService, edit, prodCopy, verify } from "./test-support";

const compose = (dir: string) => path.join(dir, "compose.yml");

describe("verify-config: Compose networks", () => {
  it("refuses a CIAM app joined to the IAM network", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [ciam]\n    depends_on: [ciam-kratos, ciam-hydra]", "    networks: [ciam, iam]\n    depends_on: [ciam-kratos, ciam-hydra]");
    expect(verify(dir)).toMatch(/compose.yml:services.ciam-hera.networks.iam: joins the iam network; a ciam service joins only ciam/);
  });

  it("refuses an IAM app joined to the CIAM network (mapping form)", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [iam, edge]", "    networks:\n      iam: {}\n      edge: {}\n      ciam: {}");
    expect(verify(dir)).toMatch(/services.iam-athena.networks.ciam: joins the ciam network/);
  });

  it("refuses an Ory service on the shared edge network, where the other domain's Athena reaches its admin port", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [iam]\n    depends_on:\n      iam-kratos-migrate:", "    networks: [iam, edge]\n    depends_on:\n      iam-kratos-migrate:");
    expect(verify(dir)).toMatch(/services.iam-kratos.networks.edge: joins the edge network; Kratos and Hydra join only iam/);
  });

  it("refuses an app given a network alias of the other domain", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [ciam, edge]", "    networks:\n      ciam: {}\n      edge:\n        aliases: [iam-hydra]");
    expect(verify(dir)).toMatch(/services.ciam-athena.networks.edge.aliases: "iam-hydra" names the iam domain/);
  });

  it("refuses an alias that takes over another service's name", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [iam]\n    depends_on: [iam-kratos, iam-hydra]", "    networks:\n      iam:\n        aliases: [iam-kratos]\n    depends_on: [iam-kratos, iam-hydra]");
    expect(verify(dir)).toMatch(/services.iam-hera.networks.iam.aliases: "iam-kratos" is the name of another service/);
  });

  it("refuses a domain network that is really the other domain's (name:) or not internal", () => {
    const dir = prodCopy();
    edit(compose(dir), "  ciam:\n    internal: true", "  ciam:\n    name: prod_iam");
    const report = verify(dir);
    expect(report).toMatch(/compose.yml:networks.ciam: sets name: "prod_iam"; the domain networks must be the project's own/);
    expect(report).toMatch(/compose.yml:networks.ciam: must be internal: true/);
  });

  it("refuses a domain service left on Compose's default network", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [ciam]\n    depends_on: [ciam-kratos, ciam-hydra]", "    depends_on: [ciam-kratos, ciam-hydra]");
    expect(verify(dir)).toMatch(/services.ciam-hera.networks: is not set, so the service joins Compose's default network/);
  });

  it("refuses extra_hosts that point one of the services' names elsewhere", () => {
    const dir = prodCopy();
    addToService(dir, "caddy", ["extra_hosts:", '  - "ciam-hera:10.0.9.9"']);
    expect(verify(dir)).toMatch(/services.caddy.extra_hosts: "ciam-hera:10.0.9.9" redirects a ciam name/);
  });

  it("refuses links that alias another service under the other domain's name", () => {
    const dir = prodCopy();
    addToService(dir, "iam-athena", ["links:", '  - "iam-hydra:ciam-hydra"']);
    expect(verify(dir)).toMatch(/services.iam-athena.links: "iam-hydra:ciam-hydra" names the ciam domain/);
  });
});

describe("verify-config: Compose files it would not see", () => {
  it.each(["compose.override.yml", "docker-compose.override.yaml", "compose.yaml"])("refuses a %s beside compose.yml", (name) => {
    const dir = prodCopy();
    writeFileSync(path.join(dir, name), "services:\n  ciam-kratos:\n    environment:\n      SESSION_COOKIE_DOMAIN: example.com\n");
    expect(verify(dir)).toMatch(new RegExp(`${name.replace(/\./g, "\\.")}: docker compose would (merge|run) it`));
  });

  it("refuses include: and extends:, which pull in configuration from elsewhere", () => {
    const dir = prodCopy();
    edit(compose(dir), "services:\n", "include:\n  - ./more.yml\nservices:\n");
    addToService(dir, "ciam-hera", ["extends:", "  service: iam-hera"]);
    const report = verify(dir);
    expect(report).toMatch(/compose.yml:include: pulls in other Compose files/);
    expect(report).toMatch(/compose.yml:services.ciam-hera.extends: inherits configuration/);
  });
});
