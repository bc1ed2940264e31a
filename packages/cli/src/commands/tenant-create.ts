import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import {
  composeFiles,
  DEFAULT_APP_IDLE_TIMEOUT,
  embeddedFiles,
  embeddedUrls,
  generateSecrets,
  kubernetesManifests,
  manifestFiles,
  parseAppIdleTimeout,
  parseDomains,
  parseParentDomain,
  planTenant,
  portBlock,
  readRegistry,
  RegistryError,
  startEmbeddedTenant,
  unbuiltApps,
  TARGETS,
  tenantUrls,
  withTenant,
  writeFiles,
  writeRegistry,
  operatorIamClientEntry,
  operatorIssuer,
  type GeneratedFile,
  type Runtime,
  type Tenant,
} from "@olympus/tenancy";
import { stringOption, type Command } from "../command";
import { CliError, configError, usageError } from "../errors";
import { ROOT_HELP, tenantDirectory, tenantsRoot } from "./tenant-support";

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes the files into a fresh temporary directory and renames it into
 * place: the target appears complete or not at all.
 */
async function writeDirectory(target: string, files: readonly GeneratedFile[]): Promise<void> {
  const staging = `${target}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await mkdir(staging, { recursive: true, mode: 0o700 });
    await writeFiles(staging, files);
    await rename(staging, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** What a CIAM-only embedded tenant's operator does once: register its Athena's client at the operator's IAM. */
function ciamOnlyNextSteps(tenant: Tenant, envFile: string): string[] {
  const entry = operatorIamClientEntry(tenant);
  return [
    `Athena CIAM signs employees in at the operator's IAM (${operatorIssuer()}): register client ${entry.client_id} there,`,
    `  redirect URI ${entry.redirect_uris.join(", ")}, secret CIAM_ATHENA_CLIENT_SECRET of ${envFile}`,
  ];
}

export const tenantCreateCommand: Command = {
  name: "tenant create",
  summary: "generate one tenant's complete stack (Compose project or Kubernetes manifests), its secrets and its port block",
  usage:
    "olympus tenant create <name> [--domains ciam|ciam,iam] [--domain example.com] [--target compose|k8s | --embedded [--no-apps] [--no-start] [--app-idle-timeout <d>]] [--out <dir>] [--root <dir>]",
  help: [
    "Options:",
    "  <name>             a DNS label of 1-40 lowercase letters, digits and -, not reserved (admin, iam, ciam, www, …), unique",
    "  --domains <list>   ciam (customers only) or ciam,iam (default)",
    "  --domain <parent>  the parent domain (default: $OLYMPUS_DOMAIN, else localhost): hosts <name>.<parent>, admin.<name>.<parent>,",
    "                     and with IAM iam.<name>.<parent>, admin.iam.<name>.<parent>",
    "  --target <t>       compose (default): <root>/<name>/ with compose.yml, .env (mode 600), Caddyfile, README.md and config copies;",
    "                     k8s: Namespace, NetworkPolicies, Secret, ConfigMaps, Postgres, Jobs, Deployments, Services, Ingresses",
    "  --embedded         run the tenant here, in processes, no Docker: its own embedded Postgres, Kratos and Hydra, and each",
    "                     domain's Hera and Athena as `next start` of the built apps, on <name>.localhost, admin.<name>.localhost,",
    "                     iam.<name>.localhost (with IAM; the apps need npm run build -w @olympus/hera -w @olympus/athena).",
    "                     --domains ciam: CIAM only; its Athena signs employees in at the operator's IAM on this host",
    "                     (the dev stack's, iam.localhost) with its own client iam-athena-ciam-<name>, which the operator registers there",
    "  --no-apps          embedded: start Postgres, Kratos and Hydra only",
    "  --no-start         embedded: write the tenant's files and register it; olympus tenant start runs it",
    `  --app-idle-timeout embedded: stop an app after this long without a connection, start it again at the next`,
    `                     (10m, 90s, 1h; 0 or never: always on; default ${DEFAULT_APP_IDLE_TIMEOUT})`,
    "  --out <dir>        where k8s manifests go (default <root>/<name>)",
    "  --admin-email <e>  the tenant's first IAM admin (OLYMPUS_ADMIN_EMAIL in its .env)",
    ROOT_HELP,
    "",
    "Variables: OLYMPUS_VERSION (the image tag the tenant runs, default 0.1.0), OLYMPUS_TENANTS_FIRST_SLOT (lowest port slot to use).",
    "Nothing is written when the name is invalid or taken. A CIAM-only tenant's Athena signs employees in at the",
    "operator's IAM (iam.<parent>) with a client of its own, iam-athena-ciam-<name>, which the operator registers there.",
  ].join("\n"),
  options: {
    domains: { type: "string" },
    domain: { type: "string" },
    target: { type: "string" },
    out: { type: "string" },
    root: { type: "string" },
    "admin-email": { type: "string" },
    embedded: { type: "boolean" },
    "no-apps": { type: "boolean" },
    "no-start": { type: "boolean" },
    "app-idle-timeout": { type: "string" },
  },
  positionals: { min: 1, max: 1 },
  async run({ args, options, env, cwd, out }) {
    const name = args[0] ?? "";
    const domains = parseDomains(stringOption(options, "domains") ?? "ciam,iam");
    if (!domains) throw usageError('--domains must be "ciam" or "ciam,iam"');
    const embedded = options.embedded === true;
    if (embedded && (options.target !== undefined || options.domain !== undefined || options.out !== undefined))
      throw usageError("--embedded runs the tenant on <name>.localhost here: no --target, --domain or --out");
    const parent = embedded ? "localhost" : parseParentDomain(stringOption(options, "domain") ?? env.OLYMPUS_DOMAIN ?? "localhost");
    if (!parent) throw usageError("--domain must be a domain name like example.com");
    const target = (embedded ? "embedded" : (stringOption(options, "target") ?? "compose")) as Runtime;
    if (!embedded && !(TARGETS as readonly string[]).includes(target)) throw usageError('--target must be "compose" or "k8s"');
    const appIdleTimeout = stringOption(options, "app-idle-timeout");
    if (appIdleTimeout !== undefined && !embedded) throw usageError("--app-idle-timeout is for --embedded tenants");
    if (appIdleTimeout !== undefined && parseAppIdleTimeout(appIdleTimeout) === undefined)
      throw usageError("--app-idle-timeout must be a duration like 10m, 90s or 1h, or 0/never");
    const root = tenantsRoot(options, env, cwd);

    const registry = await readRegistry(root).catch((error: unknown) => {
      throw configError(error instanceof Error ? error.message : String(error));
    });
    let tenant;
    try {
      const firstSlot = Number(env.OLYMPUS_TENANTS_FIRST_SLOT ?? "0");
      if (!Number.isInteger(firstSlot) || firstSlot < 0) throw usageError("OLYMPUS_TENANTS_FIRST_SLOT must be a slot number");
      tenant = planTenant(
        registry,
        {
          name,
          domains,
          parentDomain: parent,
          target,
          version: env.OLYMPUS_VERSION ?? "0.1.0",
          ...(appIdleTimeout === undefined ? {} : { appIdleTimeout }),
        },
        new Date(),
        firstSlot,
      );
    } catch (error) {
      if (error instanceof RegistryError) throw usageError(error.message);
      throw error;
    }
    const outOption = stringOption(options, "out");
    const directory =
      target === "k8s" && outOption ? (isAbsolute(outOption) ? outOption : resolve(cwd, outOption)) : tenantDirectory(root, tenant);
    if (await exists(directory)) throw usageError(`${directory} already exists; remove it or choose another name or --out`);

    const secrets = generateSecrets(domains);
    out.progress(
      `generating ${target === "k8s" ? "Kubernetes manifests" : embedded ? "the embedded tenant" : "the Compose project"} for ${name}`,
    );
    const files =
      target === "k8s"
        ? manifestFiles(tenant, await kubernetesManifests(tenant, secrets))
        : embedded
          ? embeddedFiles(tenant, secrets)
          : await composeFiles(tenant, secrets, { adminEmail: stringOption(options, "admin-email") });
    await mkdir(root, { recursive: true });
    await writeDirectory(directory, files);
    try {
      await writeRegistry(root, withTenant(registry, tenant));
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      throw error;
    }

    const block = portBlock(tenant.slot);
    if (embedded) {
      const urls = embeddedUrls(tenant);
      const apps = options["no-apps"] !== true;
      const missing = apps ? unbuiltApps() : [];
      let status = "registered (olympus tenant start " + name + " runs it)";
      if (options["no-start"] !== true) {
        out.progress(`starting ${name}: Postgres, Kratos, Hydra${apps ? ", Hera and Athena" : ""}`);
        const state = await startEmbeddedTenant(root, name, { apps, onProgress: (line) => out.progress(line) });
        if (state.status !== "ready")
          throw new CliError("failed", [`tenant ${name} did not start: ${state.notes.join("; ")}`, `logs: ${join(directory, "logs")}`]);
        status = `running (supervisor pid ${state.supervisorPid})`;
      }
      return {
        ok: true,
        data: { tenant: { ...tenant, ports: block }, directory, urls, files: files.map((file) => file.path), notBuilt: missing },
        lines: [
          `Tenant ${name} created (embedded, port block ${block.base}-${block.base + 99}) in ${directory}: ${status}`,
          ...Object.entries(urls).map(([label, url]) => `  ${label.padEnd(11)} ${url}`),
          ...(tenant.domains.length === 1 ? ciamOnlyNextSteps(tenant, join(directory, ".env")) : []),
          ...(missing.length > 0
            ? [
                `Not built, so not started: ${missing.join(", ")}; run ${missing.map((a) => `npm run build -w @olympus/${a}`).join(" and ")}`,
              ]
            : []),
        ],
      };
    }
    const urls = tenantUrls(tenant);
    const next =
      target === "k8s"
        ? [
            `Fill the empty values in ${join(directory, "secret.yaml")}, then: kubectl apply -f ${join(directory, "secret.yaml")} -f ${join(directory, "tenant.yaml")}`,
          ]
        : [
            `Fill the SMTP relay${domains.length > 1 ? "s and OLYMPUS_ADMIN_EMAIL" : ""} in ${join(directory, ".env")}, import ${join(directory, "Caddyfile")} in the host's Caddyfile, then:`,
            `  docker compose -p olympus-${name} -f ${join(directory, "compose.yml")} --env-file ${join(directory, ".env")} up -d`,
          ];
    return {
      ok: true,
      data: { tenant: { ...tenant, ports: block }, directory, urls, files: files.map((file) => file.path) },
      lines: [
        `Tenant ${name} created (${domains.join(", ")}, ${target}, port block ${block.base}-${block.base + 99}) in ${directory}`,
        ...Object.entries(urls).map(([label, url]) => `  ${label.padEnd(11)} ${url}`),
        ...next,
      ],
    };
  },
};
