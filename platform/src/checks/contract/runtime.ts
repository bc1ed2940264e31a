import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ADMIN_SERVICES, DOMAINS, envPrefix, SERVICE_PORTS } from "@olympus/runtime-config/config";
import { PLATFORM_DIR } from "../../paths";
import type { Problem } from "../../problem";
import { at, isObject, readYamlObject, stringLeaves } from "../../yaml";
import {
  collector,
  environmentOf,
  hostPathOf,
  networkDefinition,
  networksOf,
  oryConfig,
  serviceOf,
  strings,
  type ComposeUnderTest,
} from "./model";

const APPS = ["hera", "athena"] as const;
const ORY = ["kratos", "hydra"] as const;

/**
 * Kratos and Hydra are healthy when their own /health/ready answers on the
 * admin port their config file names, asked with the image's BusyBox wget
 * (the oryd images have no curl); Hera and Athena when their readiness
 * answer (/api/health?ready=1) on their PORT does, asked with the image's
 * Node. Hera and Athena start only once their own domain's Kratos and Hydra
 * are healthy.
 */
export function checkHealthchecks(c: ComposeUnderTest): Problem[] {
  const { problems, add } = collector(c);
  for (const domain of DOMAINS) {
    for (const kind of ORY) {
      const name = `${domain}-${kind}`;
      const service = serviceOf(c, name);
      const adminPort = at(oryConfig(c, domain, kind), "serve.admin.port");
      const expected = `http://127.0.0.1:${String(adminPort)}/health/ready`;
      const test = strings(isObject(service?.healthcheck) ? service.healthcheck.test : undefined);
      if (test.includes("curl") || test.some((arg) => /\bcurl\b/.test(arg)))
        add(`services.${name}.healthcheck`, "uses curl, which the oryd images do not have; use BusyBox's wget");
      else if (test[0] !== "CMD" || test[1] !== "wget" || test.at(-1) !== expected)
        add(
          `services.${name}.healthcheck`,
          `must be ["CMD", "wget", …, "${expected}"] (the admin port's /health/ready), is ${JSON.stringify(test)}`,
        );
      if (isObject(service?.healthcheck) && service.healthcheck.disable === true) add(`services.${name}.healthcheck`, "is disabled");
    }
    for (const app of APPS) {
      const name = `${domain}-${app}`;
      const service = serviceOf(c, name);
      if (!service) continue;
      const port = environmentOf(c, service).PORT ?? String(SERVICE_PORTS[domain][app]);
      const expected = `http://127.0.0.1:${port}/api/health?ready=1`;
      const test = strings(isObject(service.healthcheck) ? service.healthcheck.test : undefined);
      if (test[0] !== "CMD" || test[1] !== "node" || !test.some((arg) => arg.includes(`'${expected}'`))) {
        add(
          `services.${name}.healthcheck`,
          `must ask the app's readiness with the image's Node: ["CMD", "node", "-e", "fetch('${expected}')…"], is ${JSON.stringify(test)}`,
        );
      }
      const dependsOn = isObject(service.depends_on) ? service.depends_on : undefined;
      for (const kind of ORY) {
        const dependency = `${domain}-${kind}`;
        const condition = dependsOn && isObject(dependsOn[dependency]) ? dependsOn[dependency].condition : undefined;
        if (condition !== "service_healthy")
          add(
            `services.${name}.depends_on`,
            `must wait for ${dependency} with condition: service_healthy (it starts before ${dependency} can answer otherwise)`,
          );
      }
    }
  }
  return problems;
}

/** Hera and Athena are built here, under a local name (olympus/<app>), and never pulled from a registry. */
export function checkAppImages(c: ComposeUnderTest): Problem[] {
  const { problems, add } = collector(c);
  for (const domain of DOMAINS) {
    for (const app of APPS) {
      const name = `${domain}-${app}`;
      const service = serviceOf(c, name);
      if (!service) continue;
      const image = typeof service.image === "string" ? service.image : "";
      if (!image.startsWith(`olympus/${app}:`))
        add(`services.${name}.image`, `"${image}" must be the local name olympus/${app}:<version>; no registry publishes Olympus' images`);
      if (service.pull_policy !== "build")
        add(
          `services.${name}.pull_policy`,
          `must be "build": Compose would otherwise try to pull "${image}" from a registry, and run whatever answers to that name`,
        );
      if (service.build === undefined) add(`services.${name}.build`, "is missing: the image is built from this checkout");
    }
  }
  return problems;
}

/** COOKIE_SECRET keys Hera's re-authentication proof; Athena reads none, so Compose gives it none. */
export function checkCookieSecrets(c: ComposeUnderTest): Problem[] {
  const { problems, add } = collector(c);
  for (const domain of DOMAINS) {
    const hera = serviceOf(c, `${domain}-hera`);
    const heraEnv = hera ? environmentOf(c, hera) : {};
    if (!(`${envPrefix(domain)}COOKIE_SECRET` in heraEnv) && !("COOKIE_SECRET" in heraEnv))
      add(`services.${domain}-hera.environment`, `must set ${envPrefix(domain)}COOKIE_SECRET (Hera's re-authentication proof)`);
    const athena = serviceOf(c, `${domain}-athena`);
    for (const key of Object.keys(athena ? environmentOf(c, athena) : {})) {
      if (/(^|_)COOKIE_SECRET$/.test(key))
        add(
          `services.${domain}-athena.environment.${key}`,
          "Athena reads no cookie secret (only Hera does); a required secret nobody uses only has to be generated, stored and rotated",
        );
    }
  }
  return problems;
}

/** Development: admin ports, Postgres and the mail catcher are published on the host's loopback only. */
export function checkLoopbackPorts(c: ComposeUnderTest): Problem[] {
  const { problems, add } = collector(c);
  const privatePorts = new Set([...DOMAINS.flatMap((d) => ADMIN_SERVICES.map((s) => SERVICE_PORTS[d][s])), 5432, 1025, 1080]);
  for (const name of Object.keys(isObject(c.doc.services) ? c.doc.services : {})) {
    for (const entry of strings(serviceOf(c, name)?.ports)) {
      const parts = entry.split(":");
      const container = Number(parts.at(-1));
      if (privatePorts.has(container) && !(parts.length === 3 && parts[0] === "127.0.0.1")) {
        add(
          `services.${name}.ports`,
          `"${entry}" publishes port ${container} on every interface; bind it to 127.0.0.1 ("127.0.0.1:${container}:${container}")`,
        );
      }
    }
  }
  return problems;
}

/**
 * Production: each Kratos (courier → SMTP relay) and Hydra (back-channel
 * logout, clients' JWKS) joins a network with a way out — its own domain's
 * egress network, which no other service joins.
 */
export function checkOryEgress(c: ComposeUnderTest): Problem[] {
  const { problems, add } = collector(c);
  for (const domain of DOMAINS) {
    for (const kind of ORY) {
      const name = `${domain}-${kind}`;
      const service = serviceOf(c, name);
      if (!service) continue;
      const outward = [...networksOf(service).keys()].filter((n) => networkDefinition(c, n)?.internal !== true);
      if (outward.length === 0) {
        const need =
          kind === "kratos"
            ? "its courier cannot reach the SMTP relay: no recovery or verification mail leaves"
            : "it cannot call clients' back-channel logout URLs or fetch their JWKS";
        add(`services.${name}.networks`, `are all internal: ${need}; join ${domain}-egress`);
      }
      for (const network of outward) {
        const others = Object.keys(isObject(c.doc.services) ? c.doc.services : {}).filter((other) => {
          const s = serviceOf(c, other);
          return other !== `${domain}-kratos` && other !== `${domain}-hydra` && s !== undefined && networksOf(s).has(network);
        });
        if (others.length > 0)
          add(
            `services.${name}.networks.${network}`,
            `is shared with ${others.join(", ")}; a domain's way out is its own Kratos' and Hydra's alone`,
          );
      }
    }
  }
  return problems;
}

/**
 * Production: every mail template Kratos is configured with comes, through
 * its own mounts, from platform/prod/<domain>-kratos/templates — production
 * wording, no development address (*.localhost) in a customer's inbox.
 */
export function checkProductionTemplates(c: ComposeUnderTest): Problem[] {
  const { problems, add } = collector(c);
  for (const domain of DOMAINS) {
    const name = `${domain}-kratos`;
    const service = serviceOf(c, name);
    if (!service) continue;
    const args = typeof service.command === "string" ? service.command.split(/\s+/) : strings(service.command);
    const configPath = args[args.indexOf("-c") + 1];
    const configFile = configPath ? hostPathOf(c, service, configPath) : undefined;
    if (!configFile || !existsSync(configFile)) {
      add(`services.${name}.command`, `starts Kratos on ${configPath ?? "no config"}, which is no file mounted from this checkout`);
      continue;
    }
    const own = path.join(PLATFORM_DIR, "prod", `${domain}-kratos`, "templates") + path.sep;
    for (const [key, url] of stringLeaves(at(readYamlObject(configFile), "courier.templates"), "courier.templates")) {
      const file = url.startsWith("file://") ? hostPathOf(c, service, url.slice("file://".length)) : undefined;
      const where = `services.${name}.volumes`;
      if (!file || !file.startsWith(own))
        add(
          where,
          `${key} (${url}) comes from ${file ? path.relative(PLATFORM_DIR, file) : "no mounted file"}, not platform/prod/${domain}-kratos/templates`,
        );
      else if (!existsSync(file)) add(where, `${key} (${url}) is missing: ${path.relative(PLATFORM_DIR, file)}`);
      else if (/localhost/i.test(readFileSync(file, "utf8")))
        add(where, `${key} (${path.relative(PLATFORM_DIR, file)}) names a development (*.localhost) address`);
    }
  }
  return problems;
}

/**
 * Hera's edge (its Kratos proxy and sign-in limits) reads the olympus
 * database as this domain's role (OLYMPUS_DATABASE_URL, required: Hera stops
 * without it) and its limits from LIMITS_FILE, which must be the stage's own
 * platform/<stage>/<domain>-hera/limits.yml, mounted where the variable points
 * (production's names Caddy as the proxy whose X-Forwarded-For is believed).
 */
export function checkHeraEdge(c: ComposeUnderTest): Problem[] {
  const { problems, add } = collector(c);
  for (const domain of DOMAINS) {
    const name = `${domain}-hera`;
    const service = serviceOf(c, name);
    if (!service) continue;
    const env = environmentOf(c, service);
    const read = (variable: string) => env[`${envPrefix(domain)}${variable}`] ?? env[variable];
    const database = read("OLYMPUS_DATABASE_URL");
    if (database === undefined)
      add(
        `services.${name}.environment`,
        `must set ${envPrefix(domain)}OLYMPUS_DATABASE_URL (the edge's counters; Hera stops at start-up without it)`,
      );
    else if (!database.startsWith(`postgres://olympus_${domain}:`))
      add(`services.${name}.environment`, `${envPrefix(domain)}OLYMPUS_DATABASE_URL must log in as olympus_${domain}, this domain's role`);
    const limits = read("LIMITS_FILE");
    const expected = path.join(PLATFORM_DIR, c.stage, `${domain}-hera`, "limits.yml");
    const mounted = limits ? hostPathOf(c, service, limits) : undefined;
    if (!limits)
      add(
        `services.${name}.environment`,
        `must set ${envPrefix(domain)}LIMITS_FILE to the mounted platform/${c.stage}/${domain}-hera/limits.yml`,
      );
    else if (mounted !== expected)
      add(
        `services.${name}.volumes`,
        `${envPrefix(domain)}LIMITS_FILE ${limits} is ${mounted ? path.relative(PLATFORM_DIR, mounted) : "no file mounted from this checkout"}, not platform/${c.stage}/${domain}-hera/limits.yml`,
      );
  }
  return problems;
}
