import { hasIam, projectName, type Domain, type Tenant } from "../tenant";
import { tenantHosts } from "../hosts";
import { CONTAINER_PORT } from "../ports";
import type { PlatformFile } from "../platform-files";
import type { TenantSecrets } from "../secrets";
import { COMPONENT_LABEL, DOMAIN_LABEL, networkPolicies, PUBLIC_LABEL, TENANT_LABEL, type Labels } from "./network-policies";

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Labels } } & Record<
  string,
  unknown
>;

type ComposeService = { image?: string; command?: string | string[]; environment?: Record<string, unknown> };

export interface ManifestInput {
  tenant: Tenant;
  /** The tenant's Compose services (renderCompose), whose environment and commands the workloads reuse. */
  composeServices: Record<string, ComposeService>;
  secrets: TenantSecrets;
  /** The tenant's Ory/Hera config copies (tenantConfigFiles) and the shared files (identity schemas, Postgres init). */
  configFiles: readonly PlatformFile[];
  sharedFiles: Record<"postgresInit" | "ciamSchemas" | "iamSchemas", readonly PlatformFile[]>;
  ingressNamespace?: string;
  ingressClassName?: string;
}

const SECRET_NAME = "olympus-secrets";

/** `${X:?…}` → `$(X)` from the Secret; `${X:-d}` → d. Kubernetes expands $(X) from variables defined before it. */
function environment(
  env: Record<string, unknown> | undefined,
  secrets: TenantSecrets,
  literals: Record<string, string>,
  unfilled: Set<string>,
) {
  const entries: Record<string, unknown>[] = [];
  const referenced = new Set<string>();
  const values: { name: string; value: string }[] = [];
  for (const [name, raw] of Object.entries(env ?? {})) {
    const value = String(raw).replace(
      /\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g,
      (_m, variable: string, kind: string | undefined, rest: string) => {
        const literal = literals[variable];
        if (literal !== undefined) return literal;
        if (kind === "-" && !(variable in secrets)) return rest;
        if (!(variable in secrets)) unfilled.add(variable);
        referenced.add(variable);
        return `$(${variable})`;
      },
    );
    values.push({ name, value });
  }
  for (const variable of [...referenced].sort())
    entries.push({ name: variable, valueFrom: { secretKeyRef: { name: SECRET_NAME, key: variable } } });
  return [...entries, ...values.filter((v) => !referenced.has(v.name))];
}

function args(command: string | string[] | undefined): string[] | undefined {
  if (command === undefined) return undefined;
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

/** A folder as a ConfigMap: keys cannot hold "/", so nested paths are flattened and restored by the volume's items. */
function configMap(namespace: string, name: string, files: readonly PlatformFile[], strip: string, labels: Labels) {
  const items = files.map((file) => {
    const path = file.path.startsWith(strip) ? file.path.slice(strip.length) : file.path;
    return { key: path.replace(/[^A-Za-z0-9._-]/g, "__"), path, content: file.content };
  });
  const manifest: Manifest = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace, labels },
    data: Object.fromEntries(items.map((item) => [item.key, item.content])),
  };
  return { manifest, volume: { name, configMap: { name, items: items.map(({ key, path }) => ({ key, path })) } } };
}

/**
 * Every object of one tenant on Kubernetes: its Namespace, NetworkPolicies,
 * Secret, config ConfigMaps, its own Postgres (StatefulSet + Service), the
 * migration Jobs, a Deployment + Service per Kratos, Hydra, Hera and Athena
 * of each of its domains, and an Ingress per public host. Environment and
 * commands are the Compose project's, so both targets run the same stack.
 */
export function renderManifests(input: ManifestInput): Manifest[] {
  const { tenant, secrets } = input;
  const namespace = projectName(tenant);
  const domains: Domain[] = hasIam(tenant) ? ["ciam", "iam"] : ["ciam"];
  const base: Labels = { [TENANT_LABEL]: tenant.name, "app.kubernetes.io/part-of": "olympus" };
  const labelsOf = (component: string, domain?: Domain): Labels => ({
    ...base,
    [COMPONENT_LABEL]: component,
    ...(domain ? { [DOMAIN_LABEL]: domain } : {}),
  });
  const image = (service: ComposeService) => (service.image ?? "").replace(/\$\{OLYMPUS_VERSION[^}]*\}/, tenant.version);
  const service = (name: string) => {
    const found = input.composeServices[name];
    if (!found) throw new Error(`the Compose project has no service ${name}`);
    return found;
  };
  const out: Manifest[] = [];
  // Values only the operator can give (the SMTP relays): empty keys in the Secret, to fill before applying.
  const unfilled = new Set<string>();
  // Not secrets: the bootstrap checks redirect URIs against the tenant's own domain.
  const literals = { OLYMPUS_DOMAIN: `${tenant.name}.${tenant.parentDomain}`, OLYMPUS_VERSION: tenant.version };

  out.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: base } });
  const publicPorts = domains.flatMap((d) => [CONTAINER_PORT[d].hera, CONTAINER_PORT[d].athena, CONTAINER_PORT[d].hydraPublic]);
  out.push(
    ...networkPolicies({
      namespace,
      tenant: tenant.name,
      domains,
      ingressNamespace: input.ingressNamespace ?? "ingress-nginx",
      publicPorts,
    }),
  );
  const stringData: Record<string, string> = { ...secrets };
  out.push({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: SECRET_NAME, namespace, labels: base },
    type: "Opaque",
    stringData,
  });

  const volumes = new Map<string, { manifest: Manifest; volume: Record<string, unknown> }>();
  const addConfig = (name: string, files: readonly PlatformFile[], strip: string) =>
    volumes.set(name, configMap(namespace, name, files, strip, base));
  addConfig("postgres-init", input.sharedFiles.postgresInit, "");
  for (const domain of domains) {
    for (const component of ["kratos", "hydra", "hera"]) {
      const folder = `${domain}-${component}/`;
      addConfig(
        `${domain}-${component}-config`,
        input.configFiles.filter((file) => file.path.startsWith(folder)),
        folder,
      );
    }
    if (domain === "iam")
      addConfig(
        "oauth2-clients",
        input.configFiles.filter((file) => file.path === "oauth2-clients.yml"),
        "",
      );
    addConfig(`${domain}-kratos-schemas`, input.sharedFiles[domain === "ciam" ? "ciamSchemas" : "iamSchemas"], "");
  }
  for (const { manifest } of volumes.values()) out.push(manifest);
  const volume = (name: string) => volumes.get(name)?.volume ?? { name, emptyDir: {} };

  const container = (
    name: string,
    composeName: string,
    mounts: { volume: string; mountPath: string; subPath?: string }[],
    ports: number[],
  ) => {
    const source = service(composeName);
    return {
      name,
      image: image(source),
      args: args(source.command),
      env: environment(source.environment, secrets, literals, unfilled),
      ports: ports.map((containerPort) => ({ containerPort })),
      volumeMounts: mounts.map((mount) => ({
        name: mount.volume,
        mountPath: mount.mountPath,
        readOnly: true,
        ...(mount.subPath ? { subPath: mount.subPath } : {}),
      })),
      securityContext: { allowPrivilegeEscalation: false },
    };
  };
  const podVolumes = (mounts: { volume: string }[]) => [...new Set(mounts.map((m) => m.volume))].map((name) => volume(name));

  // Postgres: its own server per tenant, init.sql creating its databases and roles.
  const postgresMounts = [
    { volume: "postgres-init", mountPath: "/docker-entrypoint-initdb.d/10-olympus.sh", subPath: "init.sh" },
    { volume: "postgres-init", mountPath: "/etc/olympus/postgres/init.sql", subPath: "init.sql" },
  ];
  const postgresContainer = {
    ...container("postgres", "postgres", postgresMounts, [5432]),
    volumeMounts: [
      ...container("postgres", "postgres", postgresMounts, []).volumeMounts,
      { name: "data", mountPath: "/var/lib/postgresql" },
    ],
  };
  out.push({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "postgres", namespace, labels: labelsOf("postgres") },
    spec: {
      serviceName: "postgres",
      replicas: 1,
      selector: { matchLabels: labelsOf("postgres") },
      template: {
        metadata: { labels: labelsOf("postgres") },
        spec: {
          containers: [postgresContainer],
          volumes: [{ ...volume("postgres-init"), configMap: { name: "postgres-init", defaultMode: 0o755 } }],
        },
      },
      volumeClaimTemplates: [
        { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } },
      ],
    },
  });
  out.push(serviceManifest(namespace, "postgres", labelsOf("postgres"), [5432]));

  const job = (name: string, composeName: string, labels: Labels, mounts: { volume: string; mountPath: string; subPath?: string }[]) =>
    out.push({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name, namespace, labels },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels },
          spec: { restartPolicy: "OnFailure", containers: [container(name, composeName, mounts, [])], volumes: podVolumes(mounts) },
        },
      },
    });
  const hasBootstrap = hasIam(tenant) && "iam-bootstrap" in input.composeServices;
  job("olympus-migrate", "olympus-migrate", labelsOf("migrate"), [{ volume: "postgres-init", mountPath: "/etc/olympus/postgres" }]);

  const hosts = tenantHosts(tenant);
  for (const domain of domains) {
    const ports = CONTAINER_PORT[domain];
    const kratosMounts = [
      { volume: `${domain}-kratos-schemas`, mountPath: "/etc/config/kratos" },
      { volume: `${domain}-kratos-config`, mountPath: "/etc/config/kratos-prod" },
    ];
    const hydraMounts = [{ volume: `${domain}-hydra-config`, mountPath: "/etc/config/hydra" }];
    job(`${domain}-kratos-migrate`, `${domain}-kratos-migrate`, labelsOf("migrate", domain), kratosMounts);
    job(`${domain}-hydra-migrate`, `${domain}-hydra-migrate`, labelsOf("migrate", domain), hydraMounts);
    const workloads: { component: string; mounts: { volume: string; mountPath: string }[]; ports: number[]; public: boolean }[] = [
      { component: "kratos", mounts: kratosMounts, ports: [ports.kratosPublic, ports.kratosAdmin], public: false },
      { component: "hydra", mounts: hydraMounts, ports: [ports.hydraPublic, ports.hydraAdmin], public: true },
      {
        component: "hera",
        mounts: [{ volume: `${domain}-hera-config`, mountPath: "/etc/olympus/hera" }],
        ports: [ports.hera],
        public: true,
      },
      { component: "athena", mounts: [], ports: [ports.athena], public: true },
    ];
    // Where the Compose project has a settings renderer for this Kratos (Athena's SMTP and social sign-in as a
    // config overlay), it runs as a native sidecar in Kratos' pod: Kratos starts once the overlay exists.
    const settingsService = `${domain}-kratos-settings`;
    const settings =
      settingsService in input.composeServices
        ? {
            ...container(
              "kratos-settings",
              settingsService,
              [{ volume: "kratos-settings", mountPath: "/var/lib/olympus/kratos-settings" }],
              [],
            ),
            volumeMounts: [{ name: "kratos-settings", mountPath: "/var/lib/olympus/kratos-settings" }],
            restartPolicy: "Always",
            startupProbe: {
              exec: { command: ["test", "-s", "/var/lib/olympus/kratos-settings/overlay.yml"] },
              periodSeconds: 2,
              failureThreshold: 60,
            },
            securityContext: { allowPrivilegeEscalation: false, runAsUser: 10_000, runAsGroup: 10_000 },
          }
        : undefined;
    if (settings) kratosMounts.push({ volume: "kratos-settings", mountPath: "/etc/config/kratos-settings" });
    for (const workload of workloads) {
      const name = `${domain}-${workload.component}`;
      const labels = { ...labelsOf(workload.component, domain), ...(workload.public ? { [PUBLIC_LABEL]: "true" } : {}) };
      const sidecars = workload.component === "kratos" && settings ? [settings] : [];
      out.push({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labelsOf(workload.component, domain) },
          template: {
            metadata: { labels },
            spec: {
              ...(sidecars.length > 0 ? { initContainers: sidecars } : {}),
              containers: [container(workload.component, name, workload.mounts, workload.ports)],
              volumes: podVolumes(workload.mounts),
            },
          },
        },
      });
      out.push(serviceManifest(namespace, name, labelsOf(workload.component, domain), workload.ports));
    }
    const loginHost = domain === "ciam" ? hosts.ciam : hosts.iam;
    const adminHost = domain === "ciam" ? hosts.ciamAdmin : hosts.iamAdmin;
    if (loginHost)
      out.push(
        ingress(namespace, `${domain}-login`, loginHost, base, input.ingressClassName, [
          ...[
            "/oauth2",
            "/userinfo",
            "/.well-known/openid-configuration",
            "/.well-known/oauth-authorization-server",
            "/.well-known/jwks.json",
          ].map((path) => ({ path, service: `${domain}-hydra`, port: ports.hydraPublic })),
          { path: "/", service: `${domain}-hera`, port: ports.hera },
        ]),
      );
    if (adminHost)
      out.push(
        ingress(namespace, `${domain}-admin`, adminHost, base, input.ingressClassName, [
          { path: "/", service: `${domain}-athena`, port: ports.athena },
        ]),
      );
  }
  // The first IAM admin and Athena's OAuth2 clients, as Compose's iam-bootstrap; retried until IAM Kratos and Hydra answer.
  if (hasBootstrap)
    job("iam-bootstrap", "iam-bootstrap", labelsOf("bootstrap", "iam"), [
      { volume: "oauth2-clients", mountPath: "/etc/olympus/oauth2-clients.yml", subPath: "oauth2-clients.yml" },
    ]);
  for (const variable of [...unfilled].sort()) stringData[variable] = "";
  return out;
}

function serviceManifest(namespace: string, name: string, selector: Labels, ports: number[]): Manifest {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, labels: selector },
    spec: { selector, ports: ports.map((port) => ({ name: `tcp-${port}`, port, targetPort: port, protocol: "TCP" })) },
  };
}

function ingress(
  namespace: string,
  name: string,
  host: string,
  labels: Labels,
  className: string | undefined,
  paths: { path: string; service: string; port: number }[],
): Manifest {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name, namespace, labels },
    spec: {
      ingressClassName: className ?? "nginx",
      tls: [{ hosts: [host], secretName: `${name}-tls` }],
      rules: [
        {
          host,
          http: {
            paths: paths.map((p) => ({
              path: p.path,
              pathType: "Prefix",
              backend: { service: { name: p.service, port: { number: p.port } } },
            })),
          },
        },
      ],
    },
  };
}
