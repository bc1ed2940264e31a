import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkCompose, expectedDevPorts, substitutePlaceholders } from "./checks/compose";
import { PLATFORM_DIR, REPO_DIR, type Stage } from "./paths";
import { formatProblems } from "./problem";
import { clone, label } from "./test-helpers";
import { HYDRA_IMAGE, KRATOS_IMAGE } from "./versions";
import { isObject, readYamlObject, type YamlObject } from "./yaml";

const COMPOSE_FILES: Record<Stage, string> = {
  dev: path.join(REPO_DIR, "docker-compose.dev.yml"),
  prod: path.join(PLATFORM_DIR, "prod", "compose.yml"),
};

function load(stage: Stage) {
  return readYamlObject(COMPOSE_FILES[stage]);
}

function service(doc: YamlObject, name: string): YamlObject {
  const services = doc.services as YamlObject;
  const found = services[name];
  if (!isObject(found)) throw new Error(`no service ${name}`);
  return found;
}

function check(doc: YamlObject, stage: Stage) {
  return formatProblems(checkCompose(doc, { file: label(COMPOSE_FILES[stage]), stage }));
}

describe.each(["dev", "prod"] as const)("%s Compose file as shipped", (stage) => {
  it("passes every check", () => {
    expect(check(load(stage), stage)).toBe("");
  });

  it("runs the four Ory services per domain on the pinned official images", () => {
    const doc = load(stage);
    for (const domain of ["ciam", "iam"]) {
      expect(service(doc, `${domain}-kratos`).image).toBe(KRATOS_IMAGE);
      expect(service(doc, `${domain}-kratos-migrate`).image).toBe(KRATOS_IMAGE);
      expect(service(doc, `${domain}-hydra`).image).toBe(HYDRA_IMAGE);
      expect(service(doc, `${domain}-hydra-migrate`).image).toBe(HYDRA_IMAGE);
    }
    expect(String(service(doc, "postgres").image)).toMatch(/^postgres:18\./);
  });
});

describe("dev Compose file", () => {
  it("publishes exactly the port table", () => {
    const doc = load("dev");
    const published = Object.fromEntries(
      Object.entries(doc.services as YamlObject)
        .filter(([name]) => expectedDevPorts(name)?.length)
        .map(([name, svc]) => [name, (svc as YamlObject).ports]),
    );
    expect(published).toEqual({
      "ciam-kratos": ["3100:3100", "127.0.0.1:3101:3101"],
      "ciam-hydra": ["3102:3102", "127.0.0.1:3103:3103"],
      "ciam-hera": ["3000:3000"],
      "ciam-athena": ["3001:3001"],
      "iam-kratos": ["4100:4100", "127.0.0.1:4101:4101"],
      "iam-hydra": ["4102:4102", "127.0.0.1:4103:4103"],
      "iam-hera": ["4000:4000"],
      "iam-athena": ["4001:4001"],
    });
  });

  it("has a mail catcher both Kratos send to until Athena has SMTP settings (the settings overlay's default relay)", () => {
    const doc = load("dev");
    expect(String(service(doc, "mail").image)).toMatch(/^maildev\/maildev:\d+\.\d+\.\d+$/);
    for (const domain of ["ciam", "iam"]) {
      const kratos = service(doc, `${domain}-kratos`);
      // An environment variable would win over the overlay in Kratos and hide Athena's settings.
      expect((kratos.environment as YamlObject).COURIER_SMTP_CONNECTION_URI).toBeUndefined();
      expect(String(kratos.command)).toContain("-c /etc/config/kratos-settings/overlay.yml");
      const settings = service(doc, `${domain}-kratos-settings`);
      expect((settings.environment as YamlObject)[`${domain.toUpperCase()}_SMTP_CONNECTION_URI`]).toMatch(/^smtp:\/\/mail:1025\//);
    }
  });
});

describe("Compose checks catch a boundary broken on purpose", () => {
  const cases: [string, Stage, (doc: YamlObject) => void, RegExp][] = [
    [
      "CIAM Kratos published on an IAM port",
      "dev",
      (d) => (service(d, "ciam-kratos").ports = ["4100:3100", "3101:3101"]),
      /ciam-kratos: must publish 3100:3100/,
    ],
    [
      "CIAM Kratos' admin port published on every interface",
      "dev",
      (d) => (service(d, "ciam-kratos").ports = ["3100:3100", "3101:3101"]),
      /ciam-kratos: must publish 3100:3100, 127.0.0.1:3101:3101/,
    ],
    [
      "IAM Hydra admin published in production",
      "prod",
      (d) => (service(d, "iam-hydra").ports = ["4103:4103"]),
      /iam-hydra: publishes 4103:4103/,
    ],
    [
      "CIAM Kratos using the IAM database",
      "dev",
      (d) => ((service(d, "ciam-kratos").environment as YamlObject).DSN = "postgres://ciam_kratos:pw@postgres:5432/iam_kratos"),
      /ciam-kratos: DSN must use role and database "ciam_kratos"/,
    ],
    [
      "IAM Hydra migrating with the CIAM role",
      "prod",
      (d) => ((service(d, "iam-hydra-migrate").environment as YamlObject).DSN = "postgres://ciam_hydra:pw@postgres:5432/iam_hydra"),
      /iam-hydra-migrate: DSN must use role and database "iam_hydra"/,
    ],
    [
      "Hera CIAM given the IAM Kratos admin URL",
      "dev",
      (d) => ((service(d, "ciam-hera").environment as YamlObject).CIAM_KRATOS_ADMIN_URL = "http://iam-kratos:4101"),
      /ciam-hera: environment CIAM_KRATOS_ADMIN_URL points at the other domain/,
    ],
    [
      "Athena IAM holding a CIAM variable",
      "prod",
      (d) => ((service(d, "iam-athena").environment as YamlObject).CIAM_HYDRA_ADMIN_URL = "http://ciam-hydra:3103"),
      /iam-athena: .*CIAM_HYDRA_ADMIN_URL/,
    ],
    [
      "Athena IAM started as CIAM",
      "dev",
      (d) => ((service(d, "iam-athena").environment as YamlObject).DOMAIN = "ciam"),
      /iam-athena: must set DOMAIN=iam/,
    ],
    [
      "IAM Kratos mounting the CIAM config",
      "dev",
      (d) => (service(d, "iam-kratos").volumes = ["./platform/dev/ciam-kratos:/etc/config/kratos:ro"]),
      /iam-kratos: mounts the other domain's files/,
    ],
    [
      "an unpinned image",
      "dev",
      (d) => (service(d, "mail").image = "maildev/maildev:latest"),
      /mail: image "maildev\/maildev:latest" must be pinned/,
    ],
    [
      "a separate build per domain",
      "prod",
      (d) => (service(d, "iam-hera").build = { context: "../..", dockerfile: "apps/hera/Dockerfile.iam" }),
      /iam-hera: must use the same build/,
    ],
  ];
  it.each(cases)("%s", (_title, stage, breakIt, expected) => {
    const doc = clone(load(stage));
    breakIt(doc);
    expect(check(doc, stage)).toMatch(expected);
  });
});

describe("substitutePlaceholders", () => {
  it("fills required and defaulted variables", () => {
    expect(substitutePlaceholders("https://iam.${OLYMPUS_DOMAIN:?set it}")).toBe("https://iam.example.com");
    expect(substitutePlaceholders("x?sslmode=${DB_SSLMODE:-prefer}")).toBe("x?sslmode=prefer");
    expect(substitutePlaceholders("${IAM_COOKIE_SECRET:?set IAM_COOKIE_SECRET}").length).toBeGreaterThanOrEqual(32);
  });
});

describe.each(["dev", "prod"] as const)("%s Compose file: the bootstrap one-shot", (stage) => {
  it("builds the operator CLI from this checkout and runs `olympus bootstrap` once IAM Kratos and Hydra are healthy", () => {
    const bootstrap = service(load(stage), "iam-bootstrap");
    expect(bootstrap.build).toEqual({ context: stage === "dev" ? "." : "../..", dockerfile: "packages/cli/Dockerfile" });
    expect(bootstrap.pull_policy).toBe("build");
    expect(String(bootstrap.image)).toMatch(/^olympus\/cli:/);
    expect(bootstrap.command).toEqual(["bootstrap"]);
    expect(bootstrap.depends_on).toEqual({ "iam-kratos": { condition: "service_healthy" }, "iam-hydra": { condition: "service_healthy" } });
    expect(bootstrap.ports).toBeUndefined();
  });

  it("reaches IAM's admin APIs only: no CIAM URL or network", () => {
    const bootstrap = service(load(stage), "iam-bootstrap");
    const env = bootstrap.environment as YamlObject;
    expect(env.IAM_KRATOS_ADMIN_URL).toBe("http://iam-kratos:4101");
    expect(env.IAM_HYDRA_ADMIN_URL).toBe("http://iam-hydra:4103");
    expect(Object.values(env).filter((value) => /ciam-(kratos|hydra)/.test(String(value)))).toEqual([]);
    if (stage === "prod") expect(bootstrap.networks).toEqual(["iam"]);
  });
});
