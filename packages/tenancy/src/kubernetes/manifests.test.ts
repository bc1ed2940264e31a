import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { ConfigMap, Namespace, Secret, Service } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubernetesManifests } from "../generate";
import {
  CONTROL_PLANE_SECRET_VARIABLE,
  controlPlaneClientEntry,
  controlPlaneClientId,
  MACHINE_CLIENT_ID_VARIABLE,
} from "../machine-client";
import { planTenant, withTenant, type Registry } from "../registry";
import { generateSecrets } from "../secrets";
import type { Tenant } from "../tenant";
import { admitsIngress, DOMAIN_LABEL, NAMESPACE_NAME_LABEL, TENANT_LABEL, type NetworkPolicyObject } from "./network-policies";
import type { Manifest } from "./manifests";

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace,
  NetworkPolicy,
  Secret,
  ConfigMap,
  Service,
  Deployment,
  StatefulSet,
  Job,
  Ingress,
};

function tenants(): [Tenant, Tenant] {
  let registry: Registry = { version: 1, tenants: [] };
  const acme = planTenant(registry, {
    name: "acme",
    domains: ["ciam", "iam"],
    parentDomain: "example.com",
    target: "k8s",
    version: "0.1.0",
  });
  registry = withTenant(registry, acme);
  return [acme, planTenant(registry, { name: "globex", domains: ["ciam"], parentDomain: "example.com", target: "k8s", version: "0.1.0" })];
}

async function manifests(tenant: Tenant): Promise<Manifest[]> {
  return kubernetesManifests(tenant, generateSecrets(tenant.domains));
}

const policiesOf = (objects: Manifest[]) => objects.filter((m): m is Manifest & NetworkPolicyObject => m.kind === "NetworkPolicy");

describe("Kubernetes manifests", () => {
  it("validates every object against the Kubernetes OpenAPI schemas (kubernetes-models)", async () => {
    for (const tenant of tenants()) {
      const objects = await manifests(tenant);
      for (const object of objects) {
        const Model = MODELS[object.kind];
        expect(Model, `no model for ${object.kind}`).toBeDefined();
        if (Model) expect(() => new Model(object as never).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
      }
    }
  });

  it("broken on purpose: the same validation refuses a malformed object from this output", async () => {
    const [acme] = tenants();
    const deployment = (await manifests(acme)).find((m) => m.kind === "Deployment");
    const policy = policiesOf(await manifests(acme))[0];
    expect(() =>
      new Deployment({ ...deployment, spec: { ...(deployment?.spec as object), replicas: "one" } } as never).validate(),
    ).toThrow();
    expect(() => new NetworkPolicy({ ...policy, spec: { ...policy?.spec, policyTypes: ["Sideways"] } } as never).validate()).toThrow();
  });

  it("puts everything of a tenant in its own namespace, with the workloads of its domains", async () => {
    const [acme, globex] = tenants();
    const a = await manifests(acme);
    expect(new Set(a.filter((m) => m.kind !== "Namespace").map((m) => m.metadata.namespace))).toEqual(new Set(["olympus-acme"]));
    const deployments = (objects: Manifest[]) =>
      objects
        .filter((m) => m.kind === "Deployment")
        .map((m) => m.metadata.name)
        .sort();
    expect(deployments(a)).toEqual([
      "ciam-athena",
      "ciam-hera",
      "ciam-hydra",
      "ciam-kratos",
      "iam-athena",
      "iam-hera",
      "iam-hydra",
      "iam-kratos",
    ]);
    expect(deployments(await manifests(globex))).toEqual(["ciam-athena", "ciam-hera", "ciam-hydra", "ciam-kratos"]);
    const jobs = a
      .filter((m) => m.kind === "Job")
      .map((m) => m.metadata.name)
      .sort();
    expect(jobs).toEqual([
      "ciam-hydra-migrate",
      "ciam-kratos-migrate",
      "iam-bootstrap",
      "iam-hydra-migrate",
      "iam-kratos-migrate",
      "olympus-migrate",
    ]);
    const bootstrapEnv = JSON.stringify(a.find((m) => m.metadata.name === "iam-bootstrap"));
    expect(bootstrapEnv).toContain('{"name":"OLYMPUS_DOMAIN","value":"acme.example.com"}');
    // The control plane's machine client, as the embedded path registers it: the bootstrap Job reads its secret from the
    // tenant's Secret and its entry from the clients ConfigMap; Athena IAM accepts that client id only.
    expect(bootstrapEnv).toContain(
      `{"name":"${CONTROL_PLANE_SECRET_VARIABLE}","valueFrom":{"secretKeyRef":{"name":"olympus-secrets","key":"${CONTROL_PLANE_SECRET_VARIABLE}"}}}`,
    );
    const clientsMap = a.find((m) => m.kind === "ConfigMap" && JSON.stringify(m).includes("oauth2-clients.yml")) as Manifest & {
      data: Record<string, string>;
    };
    const clients = parse(clientsMap.data["oauth2-clients.yml"] ?? "") as { iam: Record<string, unknown>[] };
    expect(clients.iam.find((c) => c.client_id === controlPlaneClientId(acme))).toEqual(controlPlaneClientEntry(acme));
    expect(JSON.stringify(a.find((m) => m.kind === "Deployment" && m.metadata.name === "iam-athena"))).toContain(
      `{"name":"${MACHINE_CLIENT_ID_VARIABLE}","value":"${controlPlaneClientId(acme)}"}`,
    );
    expect(JSON.stringify(await manifests(globex))).not.toContain(CONTROL_PLANE_SECRET_VARIABLE);
    const hosts = a.filter((m) => m.kind === "Ingress").flatMap((m) => JSON.stringify(m).match(/"host":"([^"]+)"/g) ?? []);
    expect(hosts.sort()).toEqual([
      '"host":"acme.example.com"',
      '"host":"admin.acme.example.com"',
      '"host":"admin.iam.acme.example.com"',
      '"host":"iam.acme.example.com"',
    ]);
  });

  it("never puts a secret value in a Deployment: they come from the tenant's Secret", async () => {
    const [acme] = tenants();
    const secrets = generateSecrets(acme.domains);
    const objects = await kubernetesManifests(acme, secrets);
    const workloads = JSON.stringify(objects.filter((m) => m.kind !== "Secret"));
    for (const value of Object.values(secrets)) expect(workloads).not.toContain(value);
    // What only the operator can give is in the Secret too, empty, so every secretKeyRef resolves once filled.
    const secret = objects.find((m) => m.kind === "Secret") as Manifest & { stringData: Record<string, string> };
    const referenced = [...workloads.matchAll(/"secretKeyRef":\{"name":"olympus-secrets","key":"([A-Z0-9_]+)"\}/g)].map((m) => m[1] ?? "");
    for (const key of referenced) expect(Object.keys(secret.stringData), key).toContain(key);
    expect(referenced.length).toBeGreaterThan(10);
    expect(Object.values(secret.stringData).filter((value) => value === "").length).toBeGreaterThan(0);
  });

  it("admits another tenant's pods to none of a tenant's pods; its own pods and the ingress controller are admitted", async () => {
    const [acme, globex] = tenants();
    const policies = policiesOf(await manifests(acme));
    const hera = { [TENANT_LABEL]: "acme", [DOMAIN_LABEL]: "ciam", "olympus.dev/component": "hera", "olympus.dev/public": "true" };
    const postgres = { [TENANT_LABEL]: "acme", "olympus.dev/component": "postgres" };
    const otherTenant = {
      namespace: "olympus-globex",
      namespaceLabels: { [NAMESPACE_NAME_LABEL]: "olympus-globex", [TENANT_LABEL]: globex.name },
      // Even a pod that copies the target's labels.
      podLabels: { ...hera, [TENANT_LABEL]: "acme" },
    };
    for (const target of [hera, postgres]) expect(admitsIngress(policies, target, otherTenant)).toBe(false);
    expect(admitsIngress(policies, hera, { namespace: "olympus-acme", namespaceLabels: {}, podLabels: { [DOMAIN_LABEL]: "ciam" } })).toBe(
      true,
    );
    expect(
      admitsIngress(policies, hera, {
        namespace: "ingress-nginx",
        namespaceLabels: { [NAMESPACE_NAME_LABEL]: "ingress-nginx" },
        podLabels: {},
      }),
    ).toBe(true);
    // Inside the tenant, CIAM pods do not reach IAM's (admin ports included).
    const iamKratos = { [TENANT_LABEL]: "acme", [DOMAIN_LABEL]: "iam", "olympus.dev/component": "kratos" };
    expect(
      admitsIngress(policies, iamKratos, { namespace: "olympus-acme", namespaceLabels: {}, podLabels: { [DOMAIN_LABEL]: "ciam" } }),
    ).toBe(false);
  });

  it("broken on purpose: a rule with an open namespaceSelector would admit the other tenant, and the check sees it", async () => {
    const [acme] = tenants();
    const policies = policiesOf(await manifests(acme));
    const broken = policies.map((policy) =>
      policy.metadata.name === "allow-postgres"
        ? { ...policy, spec: { ...policy.spec, ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }] }] } }
        : policy,
    );
    const intruder = { namespace: "olympus-globex", namespaceLabels: { [NAMESPACE_NAME_LABEL]: "olympus-globex" }, podLabels: {} };
    const postgres = { "olympus.dev/component": "postgres" };
    expect(admitsIngress(policies, postgres, intruder)).toBe(false);
    expect(admitsIngress(broken, postgres, intruder)).toBe(true);
  });
});
