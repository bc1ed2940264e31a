import { randomBytes } from "node:crypto";
import type { Domain } from "./domain";
import { CONTROL_PLANE_SECRET_VARIABLE } from "./machine-client";

interface SecretSpec {
  variable: string;
  /** Random bytes, written as hex (two characters each). */
  bytes: number;
  /** Only a tenant with this domain needs it; unset: every tenant. */
  domain?: Domain;
  /** The rule the consumer applies, so a test can hold the generator to it. */
  rule: { exactly?: number; min: number; by: string };
}

/**
 * Every secret a tenant's stack reads, at the length its consumer requires:
 * Kratos' cipher secret exactly 32 characters, its other secrets and
 * Hydra's at least 16 (their config schemas), Hera's cookie secret and
 * Athena's auth secret at least 32 (packages/runtime-config
 * MIN_SECRET_LENGTH), Athena's OAuth2 client secret at least 16, the
 * encryption key at least 32 bytes (64 hex characters, as the
 * `openssl rand -hex 32` recipe). Database passwords: every role init.sql
 * creates, IAM's too, since init.sql creates them all.
 */
export const SECRET_SPECS: readonly SecretSpec[] = [
  { variable: "ENCRYPTION_KEY", bytes: 32, rule: { min: 64, by: "Athena (MIN_ENCRYPTION_KEY_BYTES, openssl rand -hex 32)" } },
  { variable: "POSTGRES_PASSWORD", bytes: 24, rule: { min: 16, by: "Postgres superuser" } },
  ...(["CIAM", "IAM"] as const).flatMap((prefix) =>
    ["KRATOS", "HYDRA", "OLYMPUS"].map((role) => ({
      variable: `${prefix}_${role}_DB_PASSWORD`,
      bytes: 24,
      rule: { min: 16, by: "init.sql role" },
    })),
  ),
  { variable: "OLYMPUS_MIGRATOR_DB_PASSWORD", bytes: 24, rule: { min: 16, by: "init.sql role" } },
  ...(["ciam", "iam"] as const).flatMap((domain): SecretSpec[] => {
    const prefix = domain.toUpperCase();
    return [
      { variable: `${prefix}_KRATOS_COOKIE_SECRET`, bytes: 24, domain, rule: { min: 16, by: "Kratos secrets.cookie" } },
      { variable: `${prefix}_KRATOS_CIPHER_SECRET`, bytes: 16, domain, rule: { exactly: 32, min: 32, by: "Kratos secrets.cipher" } },
      { variable: `${prefix}_HYDRA_SYSTEM_SECRET`, bytes: 24, domain, rule: { min: 16, by: "Hydra secrets.system" } },
      { variable: `${prefix}_HYDRA_COOKIE_SECRET`, bytes: 24, domain, rule: { min: 16, by: "Hydra secrets.cookie" } },
      { variable: `${prefix}_HERA_COOKIE_SECRET`, bytes: 24, domain, rule: { min: 32, by: "Hera COOKIE_SECRET (MIN_SECRET_LENGTH)" } },
      { variable: `${prefix}_ATHENA_CLIENT_SECRET`, bytes: 24, domain, rule: { min: 16, by: "Athena AUTH_CLIENT_SECRET" } },
      { variable: `${prefix}_ATHENA_AUTH_SECRET`, bytes: 24, domain, rule: { min: 32, by: "Athena AUTH_SECRET (MIN_SECRET_LENGTH)" } },
    ];
  }),
  // The control plane's machine client at the tenant's own IAM Hydra (machine-client.ts), on every target.
  {
    variable: CONTROL_PLANE_SECRET_VARIABLE,
    bytes: 24,
    domain: "iam",
    rule: { min: 16, by: "the bootstrap's client secrets (MIN_CLIENT_SECRET_LENGTH)" },
  },
];

export type TenantSecrets = Readonly<Record<string, string>>;

/** Fresh secrets for a tenant with these domains, from node:crypto. */
export function generateSecrets(domains: readonly Domain[], random: (bytes: number) => Buffer = randomBytes): TenantSecrets {
  const secrets: Record<string, string> = {};
  for (const spec of SECRET_SPECS) {
    if (spec.domain && !domains.includes(spec.domain)) continue;
    secrets[spec.variable] = random(spec.bytes).toString("hex");
  }
  return secrets;
}
