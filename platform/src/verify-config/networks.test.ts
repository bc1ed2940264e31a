import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addToService, edit, prodCopy, verify } from "./test-support";

const compose = (dir: string) => path.join(dir, "compose.yml");

/** Adds `network` to `service`'s `networks: [...]` list in the copy's compose.yml. */
function joinNetwork(dir: string, service: string, network: string): void {
  edit(compose(dir), new RegExp(`(\\n  ${service}:\\n(?:(?: {4}.*)?\\n)*? {4}networks: \\[)([^\\]]*)\\]`), `$1$2, ${network}]`);
}

describe("verify-config: Compose networks", () => {
  it("refuses a CIAM app joined to the IAM network", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [ciam]\n    healthcheck:", "    networks: [ciam, iam]\n    healthcheck:");
    expect(verify(dir)).toMatch(/compose.yml:services.ciam-hera.networks.iam: joins the iam network; a ciam service joins only ciam/);
  });

  it("refuses an IAM app joined to the CIAM network (mapping form)", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [iam, edge]", "    networks:\n      iam: {}\n      edge: {}\n      ciam: {}");
    expect(verify(dir)).toMatch(/services.iam-athena.networks.ciam: joins the ciam network/);
  });

  it("refuses an Ory service on the shared edge network, where the other domain's Athena reaches its admin port", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [iam, iam-egress]\n", "    networks: [iam, iam-egress, edge]\n");
    expect(verify(dir)).toMatch(/services.iam-kratos.networks.edge: joins the edge network; Kratos and Hydra join only iam/);
  });

  it("refuses an app given a network alias of the other domain", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [ciam, edge]", "    networks:\n      ciam: {}\n      edge:\n        aliases: [iam-hydra]");
    expect(verify(dir)).toMatch(/services.ciam-athena.networks.edge.aliases: "iam-hydra" names the iam domain/);
  });

  it("refuses an alias that takes over another service's name", () => {
    const dir = prodCopy();
    edit(
      compose(dir),
      "    networks: [iam]\n    healthcheck:",
      "    networks:\n      iam:\n        aliases: [iam-kratos]\n    healthcheck:",
    );
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
    edit(compose(dir), "    networks: [ciam]\n    healthcheck:", "    healthcheck:");
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

describe("verify-config: each domain's egress network", () => {
  it("accepts the shipped one: each domain's Kratos and Hydra, and nothing else, on their own egress network", () => {
    expect(verify(prodCopy())).not.toMatch(/egress|SMTP relay|networks\.edge\.aliases/);
  });

  it("refuses a Kratos left on internal networks only: its courier could send no mail", () => {
    const dir = prodCopy();
    edit(compose(dir), "    networks: [ciam, ciam-egress]\n", "    networks: [ciam]\n");
    expect(verify(dir)).toMatch(
      /services.ciam-kratos.networks: joins only internal networks, so its courier cannot reach the SMTP relay .* add ciam-egress/,
    );
  });

  it("refuses the other domain's Kratos on an egress network, where it would reach this domain's admin ports", () => {
    const dir = prodCopy();
    joinNetwork(dir, "iam-kratos", "ciam-egress");
    expect(verify(dir)).toMatch(
      /services.iam-kratos.networks.ciam-egress: joins ciam-egress, which only ciam-kratos and ciam-hydra may join: the other domain's service/,
    );
  });

  it("refuses an app, a migration and Postgres on an egress network", () => {
    const dir = prodCopy();
    joinNetwork(dir, "ciam-athena", "ciam-egress");
    joinNetwork(dir, "iam-kratos-migrate", "iam-egress");
    joinNetwork(dir, "postgres", "iam-egress");
    const report = verify(dir);
    expect(report).toMatch(
      /services.ciam-athena.networks.ciam-egress: joins ciam-egress, which only ciam-kratos and ciam-hydra may join: it would give this service a way out/,
    );
    expect(report).toMatch(
      /services.iam-kratos-migrate.networks.iam-egress: joins iam-egress, which only iam-kratos and iam-hydra may join/,
    );
    expect(report).toMatch(/services.postgres.networks.iam-egress: joins iam-egress, which only iam-kratos and iam-hydra may join/);
  });

  it("refuses egress networks that are really one (name:) or not the project's own (external)", () => {
    const dir = prodCopy();
    edit(
      compose(dir),
      "  ciam-egress: {}\n  iam-egress: {}\n",
      "  ciam-egress:\n    name: olympus-egress\n  iam-egress:\n    external: true\n",
    );
    const report = verify(dir);
    expect(report).toMatch(/networks.ciam-egress: sets name: "olympus-egress"; each domain's egress network must be the project's own/);
    expect(report).toMatch(/networks.iam-egress: is external; each domain's egress network must be the project's own/);
  });
});

describe("verify-config: Caddy's public names on edge", () => {
  it("refuses a name Caddy does not serve, and a public name on a domain network", () => {
    const dir = prodCopy();
    edit(
      compose(dir),
      'aliases: ["iam.${OLYMPUS_DOMAIN:?set OLYMPUS_DOMAIN}"]',
      'aliases: ["iam-hydra.${OLYMPUS_DOMAIN:?set OLYMPUS_DOMAIN}"]',
    );
    edit(compose(dir), "      ciam: {}\n      iam: {}\n", '      ciam:\n        aliases: ["iam.${OLYMPUS_DOMAIN}"]\n      iam: {}\n');
    const report = verify(dir);
    expect(report).toMatch(
      /services.caddy.networks.edge.aliases: "iam-hydra.\$\{OLYMPUS_DOMAIN:\?set OLYMPUS_DOMAIN\}" names the iam domain/,
    );
    expect(report).toMatch(/services.caddy.networks.ciam.aliases: "iam.\$\{OLYMPUS_DOMAIN\}" names the iam domain/);
  });

  it("refuses the public name on another service, even on edge", () => {
    const dir = prodCopy();
    edit(
      compose(dir),
      "    networks: [ciam, edge]",
      '    networks:\n      ciam: {}\n      edge:\n        aliases: ["iam.${OLYMPUS_DOMAIN}"]',
    );
    expect(verify(dir)).toMatch(/services.ciam-athena.networks.edge.aliases: "iam.\$\{OLYMPUS_DOMAIN\}" names the iam domain/);
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

describe("verify-config: the bootstrap one-shot", () => {
  it("accepts iam-bootstrap on the iam network alone, as shipped", () => {
    const dir = prodCopy();
    expect(verify(dir)).toBe("");
  });

  it("refuses iam-bootstrap joined to the CIAM network: it needs IAM's admin APIs only", () => {
    const dir = prodCopy();
    edit(
      path.join(dir, "compose.yml"),
      "      - ./oauth2-clients.yml:/etc/olympus/oauth2-clients.yml:ro\n    networks: [iam]",
      "      - ./oauth2-clients.yml:/etc/olympus/oauth2-clients.yml:ro\n    networks: [iam, ciam]",
    );
    expect(verify(dir)).toMatch(/services.iam-bootstrap.networks.ciam: joins the ciam network; a iam service joins only iam/);
  });

  it("refuses iam-bootstrap on the edge network", () => {
    const dir = prodCopy();
    edit(
      path.join(dir, "compose.yml"),
      "      - ./oauth2-clients.yml:/etc/olympus/oauth2-clients.yml:ro\n    networks: [iam]",
      "      - ./oauth2-clients.yml:/etc/olympus/oauth2-clients.yml:ro\n    networks: [iam, edge]",
    );
    expect(verify(dir)).toMatch(/services.iam-bootstrap.networks.edge: joins the edge network/);
  });

  it("refuses an unprefixed bootstrap joining both domain networks", () => {
    const dir = prodCopy();
    edit(path.join(dir, "compose.yml"), "\n  iam-bootstrap:\n", "\n  bootstrap:\n");
    edit(
      path.join(dir, "compose.yml"),
      "      - ./oauth2-clients.yml:/etc/olympus/oauth2-clients.yml:ro\n    networks: [iam]",
      "      - ./oauth2-clients.yml:/etc/olympus/oauth2-clients.yml:ro\n    networks: [ciam, iam]",
    );
    expect(verify(dir)).toMatch(
      /services.bootstrap.networks: joins both the ciam and iam networks; only postgres and caddy must reach both domains/,
    );
  });
});
