import type { Domain } from "../tenant";

export type Labels = Record<string, string>;

export interface PolicyPeer {
  podSelector?: { matchLabels?: Labels };
  namespaceSelector?: { matchLabels?: Labels };
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol: "TCP" | "UDP";
  port: number;
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}
export type NetworkPolicyObject = {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: { name: string; namespace: string; labels: Labels };
  spec: {
    podSelector: { matchLabels?: Labels };
    policyTypes: ("Ingress" | "Egress")[];
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
  };
};

export const TENANT_LABEL = "olympus.dev/tenant";
export const DOMAIN_LABEL = "olympus.dev/domain";
export const COMPONENT_LABEL = "olympus.dev/component";
export const PUBLIC_LABEL = "olympus.dev/public";
/** Set by Kubernetes on every namespace (1.22+), so it cannot be forged by a label edit elsewhere. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"];

export interface PolicyOptions {
  namespace: string;
  tenant: string;
  domains: readonly Domain[];
  /** The namespace of the ingress controller that may reach the public pods. */
  ingressNamespace: string;
  /** The public containers' ports, which the ingress controller may reach. */
  publicPorts: readonly number[];
}

/**
 * A tenant's NetworkPolicies: everything denied, then only
 * - each domain's pods with each other (CIAM never reaches IAM's admin ports),
 * - every pod of the namespace with its Postgres,
 * - the ingress controller's namespace with the public pods' ports,
 * - the Athenas out to the ingress controller (the employee issuer's public URL),
 * - Kratos and Hydra out to the internet outside private ranges (SMTP relay,
 *   clients' JWKS and back-channel logout), never to another pod,
 * - DNS.
 * No rule names another namespace than the ingress controller's and kube-system's DNS.
 */
export function networkPolicies(options: PolicyOptions): NetworkPolicyObject[] {
  const policy = (name: string, spec: NetworkPolicyObject["spec"]): NetworkPolicyObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: options.namespace, labels: { [TENANT_LABEL]: options.tenant } },
    spec,
  });
  const ingressController: PolicyPeer = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: options.ingressNamespace } } };
  const policies = [
    policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy("allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
    policy("allow-postgres", {
      podSelector: { matchLabels: { [COMPONENT_LABEL]: "postgres" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: 5432 }] }],
    }),
    policy("allow-to-postgres", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ podSelector: { matchLabels: { [COMPONENT_LABEL]: "postgres" } } }], ports: [{ protocol: "TCP", port: 5432 }] }],
    }),
    ...options.domains.map((domain) =>
      policy(`allow-${domain}-internal`, {
        podSelector: { matchLabels: { [DOMAIN_LABEL]: domain } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: { matchLabels: { [DOMAIN_LABEL]: domain } } }] }],
        egress: [{ to: [{ podSelector: { matchLabels: { [DOMAIN_LABEL]: domain } } }] }],
      }),
    ),
    policy("allow-ingress-controller", {
      podSelector: { matchLabels: { [PUBLIC_LABEL]: "true" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [ingressController], ports: options.publicPorts.map((port) => ({ protocol: "TCP" as const, port })) }],
    }),
    policy("allow-athena-to-issuer", {
      podSelector: { matchLabels: { [COMPONENT_LABEL]: "athena" } },
      policyTypes: ["Egress"],
      egress: [{ to: [ingressController] }],
    }),
    ...(["kratos", "hydra"] as const).map((component) =>
      policy(`allow-${component}-egress`, {
        podSelector: { matchLabels: { [COMPONENT_LABEL]: component } },
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: PRIVATE_RANGES } }] }],
      }),
    ),
  ];
  return policies;
}

function selects(selector: { matchLabels?: Labels } | undefined, labels: Labels): boolean {
  if (!selector) return true;
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

export interface PodIdentity {
  namespace: string;
  namespaceLabels: Labels;
  podLabels: Labels;
}

/**
 * Whether any ingress rule of `policies` (all in one namespace) admits
 * traffic from `source` to a pod with `targetLabels`, per the NetworkPolicy
 * semantics: a peer with only a podSelector means the policy's own namespace;
 * with a namespaceSelector, the namespaces it selects; an ipBlock, addresses
 * (never matched here: pod-to-pod traffic is judged by selectors).
 */
export function admitsIngress(policies: readonly NetworkPolicyObject[], targetLabels: Labels, source: PodIdentity): boolean {
  return policies.some((policy) => {
    if (!policy.spec.policyTypes.includes("Ingress") || !selects(policy.spec.podSelector, targetLabels)) return false;
    return (policy.spec.ingress ?? []).some((rule) =>
      (rule.from ?? [{ namespaceSelector: {}, podSelector: {} }]).some((peer) => {
        if (peer.ipBlock) return false;
        const namespaceMatches = peer.namespaceSelector
          ? selects(peer.namespaceSelector, source.namespaceLabels)
          : source.namespace === policy.metadata.namespace;
        return namespaceMatches && selects(peer.podSelector, source.podLabels);
      }),
    );
  });
}
