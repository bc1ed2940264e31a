/**
 * A tenant's name becomes a DNS label (`<name>.<domain>`), a Compose project
 * name and a Kubernetes namespace, so it must be valid as all three.
 */
export const MAX_TENANT_NAME_LENGTH = 40;

/**
 * Names a tenant may not take: they are hosts of the operator's own
 * deployment (admin., iam., ciam., www.), or would make the tenant's public
 * host look like another domain's to the apps' config check, which reads a
 * host's first word before "-" (`iam-corp.example.com` reads as IAM).
 */
export const RESERVED_TENANT_NAMES: readonly string[] = [
  "admin",
  "iam",
  "ciam",
  "www",
  "api",
  "mail",
  "smtp",
  "olympus",
  "default",
  "kube-system",
  "kube-public",
];

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `name` cannot name a tenant, or undefined when it can. */
export function tenantNameProblem(name: string): string | undefined {
  if (name.length === 0) return "the tenant name is empty";
  if (name.length > MAX_TENANT_NAME_LENGTH)
    return `"${name}" is ${name.length} characters; a tenant name has at most ${MAX_TENANT_NAME_LENGTH}`;
  if (!DNS_LABEL.test(name))
    return `"${name}" is not a DNS label: use lowercase letters, digits and "-", starting and ending with a letter or digit`;
  const firstWord = name.split("-")[0] ?? name;
  if (RESERVED_TENANT_NAMES.includes(name)) return `"${name}" is reserved (it is a host of the operator's own deployment)`;
  if (firstWord === "ciam" || firstWord === "iam")
    return `"${name}" starts with "${firstWord}", which the apps read as a domain's host; choose another name`;
  return undefined;
}
