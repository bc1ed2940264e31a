/**
 * The contract between the Compose files and the binaries they start: per
 * service, what the real Kratos, Hydra, Hera and Athena read (environment,
 * mounts, networks, healthchecks) checked against the configs in platform/
 * and the Caddyfile. No Docker here: each check reads the files, and each
 * has a companion that breaks a copy on purpose and watches it fail.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { adaptCaddyfile } from "./checks/caddy";
import { checkBrowserKratosUrls, checkIssuerReachable } from "./checks/contract/sign-in";
import { checkMfaPolicy } from "./checks/contract/mfa-policy";
import {
  checkAppImages,
  checkCookieSecrets,
  checkHealthchecks,
  checkHeraEdge,
  checkLoopbackPorts,
  checkOryEgress,
  checkProductionTemplates,
} from "./checks/contract/runtime";
import type { ComposeUnderTest } from "./checks/contract/model";
import { PLATFORM_DIR, REPO_DIR, type Stage } from "./paths";
import { formatProblems, type Problem } from "./problem";
import { clone, label } from "./test-helpers";
import { resolveVariables } from "./verify-config/env-file";
import { goodEnv } from "./verify-config/test-support";
import { isObject, readYamlObject, stringLeaves, type YamlObject, type YamlValue } from "./yaml";

const FILES: Record<Stage, string> = {
  dev: path.join(REPO_DIR, "docker-compose.dev.yml"),
  prod: path.join(PLATFORM_DIR, "prod", "compose.yml"),
};
const CADDYFILE = path.join(PLATFORM_DIR, "caddy", "Caddyfile");
const ENV_EXAMPLE = path.join(PLATFORM_DIR, "prod", "olympus.env.example");
const CI_RUN = path.join(REPO_DIR, ".ci", "run");

type Check = (c: ComposeUnderTest, caddy: YamlValue | undefined) => Problem[];

/** Which checks hold for which file (the egress, template and loopback rules are one stage's). */
const CHECKS: Record<Stage, Record<string, Check>> = {
  dev: {
    "browser Kratos URL": checkBrowserKratosUrls,
    "Athena reaches the issuer": checkIssuerReachable,
    healthchecks: checkHealthchecks,
    "app images": checkAppImages,
    "cookie secrets": checkCookieSecrets,
    "Hera's edge (database, limits)": checkHeraEdge,
    "second-factor policy": checkMfaPolicy,
    "private ports on loopback": checkLoopbackPorts,
  },
  prod: {
    "browser Kratos URL": checkBrowserKratosUrls,
    "Athena reaches the issuer": checkIssuerReachable,
    healthchecks: checkHealthchecks,
    "app images": checkAppImages,
    "cookie secrets": checkCookieSecrets,
    "Hera's edge (database, limits)": checkHeraEdge,
    "second-factor policy": checkMfaPolicy,
    "Kratos and Hydra egress": checkOryEgress,
    "production mail templates": checkProductionTemplates,
  },
};

function composeUnderTest(stage: Stage, doc = readYamlObject(FILES[stage])): ComposeUnderTest {
  return { stage, file: FILES[stage], label: label(FILES[stage]), doc, env: stage === "prod" ? goodEnv() : {} };
}

/** Caddy's routes as `caddy adapt` reads the Caddyfile (production's parent domain: example.com). */
function adaptedCaddy(file = CADDYFILE): YamlValue {
  return adaptCaddyfile(file, { DOMAIN: "example.com" });
}

function run(stage: Stage, check: Check, doc?: YamlObject, caddy?: YamlValue): string {
  return formatProblems(check(composeUnderTest(stage, doc), stage === "prod" ? (caddy ?? adaptedCaddy()) : undefined));
}

function service(doc: YamlObject, name: string): YamlObject {
  const found = isObject(doc.services) ? doc.services[name] : undefined;
  if (!isObject(found)) throw new Error(`no service ${name}`);
  return found;
}

function environment(doc: YamlObject, name: string): YamlObject {
  const env = service(doc, name).environment;
  if (!isObject(env)) throw new Error(`${name} has no environment mapping`);
  return env;
}

describe.each(["dev", "prod"] as const)("%s Compose file as shipped", (stage) => {
  it.each(Object.entries(CHECKS[stage]))("honours the contract: %s", (_name, check) => {
    expect(run(stage, check)).toBe("");
  });
});

describe("the contract checks catch a Compose file broken on purpose", () => {
  const cases: [string, Stage, Check, (doc: YamlObject) => void, RegExp][] = [
    // 1. Nobody could sign in: Hera sent browsers to an internal name.
    [
      "Hera CIAM announcing an internal name as its public URL (browsers would be sent to http://ciam-hera:3000/.ory/kratos)",
      "prod",
      checkBrowserKratosUrls,
      (d) => (environment(d, "ciam-hera").CIAM_PUBLIC_URL = "http://ciam-hera:3000"),
      /ciam-hera.environment: sends browsers to Kratos at http:\/\/ciam-hera:3000\/.ory\/kratos, a Compose service name no browser can resolve/,
    ],
    [
      "Hera IAM on another origin than Kratos' serve.public.base_url, in development",
      "dev",
      checkBrowserKratosUrls,
      (d) => (environment(d, "iam-hera").IAM_PUBLIC_URL = "http://iam.localhost:4002"),
      /iam-hera.environment: sends browsers to Kratos at http:\/\/iam.localhost:4002\/.ory\/kratos, but Kratos builds its flows' form actions on serve.public.base_url http:\/\/iam.localhost:4000\/.ory\/kratos\//,
    ],
    [
      "Hera CIAM's port published elsewhere, so the browser URL reaches nothing",
      "dev",
      checkBrowserKratosUrls,
      (d) => (service(d, "ciam-hera").ports = ["3005:3000"]),
      /ciam-hera.environment: Kratos' browser URL http:\/\/ciam.localhost:3000\/.ory\/kratos: port 3000 is not ciam-hera's published port/,
    ],
    [
      "Hera without the olympus database its edge needs (it would stop at start-up)",
      "prod",
      checkHeraEdge,
      (d) => delete environment(d, "iam-hera").IAM_OLYMPUS_DATABASE_URL,
      /iam-hera.environment: must set IAM_OLYMPUS_DATABASE_URL/,
    ],
    [
      "production Hera reading development's limits (no trusted proxy: every browser behind Caddy would share one address)",
      "prod",
      checkHeraEdge,
      (d) => (service(d, "ciam-hera").volumes = ["../dev/ciam-hera/limits.yml:/etc/olympus/hera/limits.yml:ro"]),
      /ciam-hera.volumes: CIAM_LIMITS_FILE \/etc\/olympus\/hera\/limits.yml is dev\/ciam-hera\/limits.yml, not platform\/prod\/ciam-hera\/limits.yml/,
    ],
    // 1. Athena's OIDC calls went to its own container.
    [
      "dev Athena pinning iam.localhost to the Docker host, as before (its loopback override then sent the calls to itself)",
      "dev",
      checkIssuerReachable,
      (d) => (service(d, "ciam-athena").extra_hosts = ["iam.localhost:host-gateway"]),
      /ciam-athena.extra_hosts: "iam.localhost:host-gateway" pins iam.localhost past Compose's DNS/,
    ],
    [
      "IAM Hydra without its iam.localhost alias",
      "dev",
      checkIssuerReachable,
      (d) => delete service(d, "iam-hydra").networks,
      /services.iam-athena: no container on Athena's networks answers to iam.localhost/,
    ],
    [
      "Caddy without the public issuer name on edge",
      "prod",
      checkIssuerReachable,
      (d) => (service(d, "caddy").networks = ["edge", "ciam", "iam"]),
      /services.ciam-athena: no container on Athena's networks answers to iam.example.com/,
    ],
    [
      "Athena IAM taken off edge, where Caddy answers for the issuer",
      "prod",
      checkIssuerReachable,
      (d) => (service(d, "iam-athena").networks = ["iam"]),
      /services.iam-athena: no container on Athena's networks answers to iam.example.com/,
    ],
    [
      "Athena CIAM signing in at an issuer IAM Hydra does not announce",
      "prod",
      checkIssuerReachable,
      (d) => (environment(d, "ciam-athena").AUTH_ISSUER_URL = "https://iam.${OLYMPUS_DOMAIN}/hydra/"),
      /ciam-athena.environment.AUTH_ISSUER_URL: https:\/\/iam.example.com\/hydra is not IAM Hydra's urls.self.issuer/,
    ],
    // 6. Healthchecks and start order.
    [
      "Hera started as soon as Kratos' container exists (list-form depends_on)",
      "prod",
      checkHealthchecks,
      (d) => (service(d, "ciam-hera").depends_on = ["ciam-kratos", "ciam-hydra"]),
      /ciam-hera.depends_on: must wait for ciam-kratos with condition: service_healthy/,
    ],
    [
      "a Kratos healthcheck with curl, which the image lacks",
      "dev",
      checkHealthchecks,
      (d) => (service(d, "iam-kratos").healthcheck = { test: ["CMD", "curl", "-f", "http://127.0.0.1:4101/health/ready"] }),
      /iam-kratos.healthcheck: uses curl, which the oryd images do not have/,
    ],
    [
      "a Hydra healthcheck on the wrong port",
      "prod",
      checkHealthchecks,
      (d) =>
        (service(d, "iam-hydra").healthcheck = { test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:4102/health/ready"] }),
      /iam-hydra.healthcheck: must be \["CMD", "wget", …, "http:\/\/127.0.0.1:4103\/health\/ready"\]/,
    ],
    [
      "Athena's healthcheck asking liveness only",
      "prod",
      checkHealthchecks,
      (d) =>
        (service(d, "ciam-athena").healthcheck = {
          test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:3001/api/health').then((r) => process.exit(r.ok ? 0 : 1))"],
        }),
      /ciam-athena.healthcheck: must ask the app's readiness/,
    ],
    // 6. Images, secrets, ports.
    [
      "an image name the project never publishes, pulled from a registry",
      "prod",
      checkAppImages,
      (d) => {
        service(d, "iam-athena").image = "ghcr.io/olympus/athena:${OLYMPUS_VERSION}";
        delete service(d, "iam-athena").pull_policy;
      },
      /iam-athena.image: "ghcr.io\/olympus\/athena:\$\{OLYMPUS_VERSION\}" must be the local name[\s\S]*iam-athena.pull_policy: must be "build"/,
    ],
    [
      "Athena given a cookie secret it never reads",
      "prod",
      checkCookieSecrets,
      (d) => (environment(d, "ciam-athena").CIAM_COOKIE_SECRET = "${CIAM_ATHENA_COOKIE_SECRET:?set CIAM_ATHENA_COOKIE_SECRET}"),
      /ciam-athena.environment.CIAM_COOKIE_SECRET: Athena reads no cookie secret/,
    ],
    [
      "Hera without the cookie secret its re-authentication proof needs",
      "dev",
      checkCookieSecrets,
      (d) => delete environment(d, "iam-hera").IAM_COOKIE_SECRET,
      /iam-hera.environment: must set IAM_COOKIE_SECRET/,
    ],
    [
      "Postgres and Hydra's admin port published on every interface",
      "dev",
      checkLoopbackPorts,
      (d) => {
        service(d, "postgres").ports = ["5432:5432"];
        service(d, "ciam-hydra").ports = ["3102:3102", "3103:3103"];
      },
      /postgres.ports: "5432:5432" publishes port 5432 on every interface[\s\S]*ciam-hydra.ports: "3103:3103" publishes port 3103/,
    ],
    // The IAM admins' second factor: named in the file, accepted by the apps, one policy for Hera IAM and both Athenas.
    [
      "Hera IAM without its second-factor policy in the file (the operator cannot see or set it)",
      "prod",
      checkMfaPolicy,
      (d) => {
        delete environment(d, "iam-hera").IAM_MFA_REQUIRED;
        delete environment(d, "iam-hera").IAM_MFA_GRACE_DAYS;
      },
      /iam-hera.environment: must set IAM_MFA_REQUIRED[\s\S]*iam-hera.environment: must set IAM_MFA_GRACE_DAYS/,
    ],
    [
      "an Athena without AUTH_MFA_REQUIRED",
      "dev",
      checkMfaPolicy,
      (d) => delete environment(d, "ciam-athena").AUTH_MFA_REQUIRED,
      /ciam-athena.environment: must set AUTH_MFA_REQUIRED/,
    ],
    [
      "Hera IAM letting password-only sign-ins through while both Athenas still demand a second factor",
      "prod",
      checkMfaPolicy,
      (d) => (environment(d, "iam-hera").IAM_MFA_REQUIRED = "false"),
      /ciam-athena.environment.AUTH_MFA_REQUIRED: is true but Hera IAM's IAM_MFA_REQUIRED is false: Athena would turn away every employee/,
    ],
    [
      "a grace period the apps refuse (Hera would not start)",
      "dev",
      checkMfaPolicy,
      (d) => (environment(d, "iam-hera").IAM_MFA_GRACE_DAYS = "400"),
      /iam-hera.environment: the app refuses it: IAM_MFA_GRACE_DAYS: must be a whole number of days from 0 to 365, got "400"/,
    ],
    [
      "production falling back to a 30-day grace period when the env file says nothing",
      "prod",
      checkMfaPolicy,
      (d) => (environment(d, "iam-hera").IAM_MFA_GRACE_DAYS = "${IAM_MFA_GRACE_DAYS:-30}"),
      /iam-hera.environment: without IAM_MFA_\* in the env file Hera would run with MFA_REQUIRED=true, MFA_GRACE_DAYS=30, not the domain's default MFA_REQUIRED=true, MFA_GRACE_DAYS=0/,
    ],
    // 3. Kratos could not send mail.
    [
      "Kratos on its internal network only, as before",
      "prod",
      checkOryEgress,
      (d) => (service(d, "ciam-kratos").networks = ["ciam"]),
      /ciam-kratos.networks: are all internal: its courier cannot reach the SMTP relay/,
    ],
    [
      "an egress network shared with Postgres",
      "prod",
      checkOryEgress,
      (d) => (service(d, "postgres").networks = ["ciam", "iam", "iam-egress"]),
      /iam-kratos.networks.iam-egress: is shared with postgres/,
    ],
    // 6. Production mail came from development's templates.
    [
      "IAM Kratos mounting development's templates",
      "prod",
      checkProductionTemplates,
      (d) => {
        const volumes = service(d, "iam-kratos").volumes;
        service(d, "iam-kratos").volumes = (Array.isArray(volumes) ? volumes : []).map((v) =>
          typeof v === "string" && v.startsWith("./iam-kratos/templates:")
            ? "../dev/iam-kratos/templates:/etc/config/kratos-prod/templates:ro"
            : v,
        );
      },
      /iam-kratos.volumes: courier.templates.verification_code.valid.email.subject .* comes from dev\/iam-kratos\/templates/,
    ],
  ];
  it.each(cases)("%s", (_title, stage, check, breakIt, expected) => {
    const doc = clone(readYamlObject(FILES[stage]));
    breakIt(doc);
    expect(run(stage, check, doc)).toMatch(expected);
  });

  it("Caddy routing /.ory/kratos/ straight to Kratos, past Hera's sign-in limits (as it did before Hera's proxy)", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "olympus-caddy-")), "Caddyfile");
    copyFileSync(CADDYFILE, file);
    const original = readFileSync(file, "utf8");
    const site = "ciam.{$DOMAIN} {\n\timport security_headers\n";
    expect(original).toContain(site);
    writeFileSync(file, original.replace(site, `${site}\thandle_path /.ory/kratos/* {\n\t\treverse_proxy ciam-kratos:3100\n\t}\n`));
    expect(run("prod", checkBrowserKratosUrls, undefined, adaptedCaddy(file))).toMatch(
      /ciam-hera.environment: Kratos' browser URL https:\/\/ciam.example.com\/.ory\/kratos: Caddy sends it straight to ciam-kratos:3100, past Hera's sign-in limits/,
    );
  });
});

/** KEY=value lines of an env file, in order, duplicates kept. */
function envFileKeys(text: string): string[] {
  return text.split("\n").flatMap((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);
}

/** Every variable the production Compose file needs without a default. */
function requiredVariables(): string[] {
  const doc = readYamlObject(FILES.prod);
  const names = new Set<string>();
  for (const [where, value] of stringLeaves(doc))
    if (!where.startsWith("x-")) for (const name of resolveVariables(value, {}).missing) names.add(name);
  return [...names].sort();
}

/** The variables .ci/run writes into its generated env file (`echo "NAME=…"` and its `for name in …` lists). */
function ciGeneratedVariables(text: string): string[] {
  const block = text.slice(text.indexOf("prod_env=$(mktemp)"), text.indexOf('> "$prod_env"'));
  const echoed = [...block.matchAll(/echo "([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1] ?? "");
  const looped = [...block.matchAll(/for name in ([^;]+);/g)].flatMap((m) =>
    (m[1] ?? "").replace(/\\\n/g, " ").split(/\s+/).filter(Boolean),
  );
  return [...new Set([...echoed, ...looped])].sort();
}

/** Every variable production Compose reads with a fallback (`${NAME:-fallback}`), and that fallback. */
function optionalVariables(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [where, value] of stringLeaves(readYamlObject(FILES.prod))) {
    if (where.startsWith("x-")) continue;
    for (const m of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^}]*)\}/g)) found[m[1] ?? ""] = m[2] ?? "";
  }
  return found;
}

/** `# NAME=value` lines: optional variables an env file shows commented out, with the value they take unset. */
function documentedOptional(text: string): Record<string, string> {
  return Object.fromEntries(
    text.split("\n").flatMap((line) => {
      const m = /^# ([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      return m ? [[m[1] ?? "", m[2] ?? ""]] : [];
    }),
  );
}

describe("the variables production Compose reads with a fallback (the second-factor policy among them)", () => {
  it("olympus.env.example shows each, commented out with Compose's fallback", () => {
    expect(optionalVariables()).toMatchObject({
      IAM_MFA_REQUIRED: "true",
      IAM_MFA_GRACE_DAYS: "0",
      CIAM_MFA_REQUIRED: "false",
      CIAM_MFA_GRACE_DAYS: "0",
    });
    expect(documentedOptional(readFileSync(ENV_EXAMPLE, "utf8"))).toEqual(optionalVariables());
  });

  it("companion: one left out, or shown with another value than Compose falls back to, is caught", () => {
    const text = readFileSync(ENV_EXAMPLE, "utf8");
    expect(documentedOptional(text.replace("# IAM_MFA_GRACE_DAYS=0\n", ""))).not.toEqual(optionalVariables());
    expect(documentedOptional(text.replace("# IAM_MFA_REQUIRED=true", "# IAM_MFA_REQUIRED=false"))).not.toEqual(optionalVariables());
  });
});

describe("the variables production Compose requires", () => {
  it("olympus.env.example lists each exactly once, and nothing Compose does not read", () => {
    const keys = envFileKeys(readFileSync(ENV_EXAMPLE, "utf8"));
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    expect([...new Set(keys)].sort()).toEqual(requiredVariables());
  });

  it("companion: a key listed twice, or one Compose no longer reads, is caught", () => {
    const keys = envFileKeys(
      `${readFileSync(ENV_EXAMPLE, "utf8")}CIAM_HERA_COOKIE_SECRET=change-me\nCIAM_ATHENA_COOKIE_SECRET=change-me\n`,
    );
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual(["CIAM_HERA_COOKIE_SECRET"]);
    expect([...new Set(keys)].sort()).not.toEqual(requiredVariables());
  });

  it(".ci/run generates each of them for verify-config", () => {
    expect(ciGeneratedVariables(readFileSync(CI_RUN, "utf8"))).toEqual(requiredVariables());
  });
});
