import {
  DEFAULT_MFA_POLICY,
  DOMAINS,
  envPrefix,
  InvalidConfigError,
  loadConfig,
  type Domain,
  type MfaPolicy,
} from "@olympus/runtime-config/config";
import { loadAthenaConfig } from "@olympus/runtime-config/config/athena";
import type { Problem } from "../../problem";
import type { Env } from "../../verify-config/env-file";
import { collector, environmentOf, serviceOf, type Add, type ComposeUnderTest } from "./model";

/** What Hera reads for its domain's policy (each may carry the domain's prefix) and what Athena reads for IAM's. */
const HERA_VARIABLES = ["MFA_REQUIRED", "MFA_GRACE_DAYS"] as const;
const ATHENA_VARIABLE = "AUTH_MFA_REQUIRED";

interface Policies {
  hera: Partial<Record<Domain, MfaPolicy>>;
  athena: Partial<Record<Domain, boolean>>;
}

/**
 * The second-factor policy for OAuth2 sign-ins, as the apps would read it:
 *
 * - each Hera names its domain's MFA_REQUIRED and MFA_GRACE_DAYS and each
 *   Athena AUTH_MFA_REQUIRED, so an operator finds the policy in the file;
 * - the values are ones the apps accept (their own config loaders read them);
 * - both Athenas demand a second factor exactly when Hera IAM does: an Athena
 *   stricter than Hera IAM turns away every employee Hera let in without one,
 *   a laxer one no longer states IAM's policy;
 * - in production, where the env file may leave them out, Compose's
 *   fallbacks are the apps' own defaults (IAM: required, no grace period).
 */
export function checkMfaPolicy(c: ComposeUnderTest): Problem[] {
  const { problems, add } = collector(c);
  for (const domain of DOMAINS) {
    const name = `${domain}-hera`;
    const service = serviceOf(c, name);
    if (!service) continue;
    const env = environmentOf(c, service);
    for (const variable of HERA_VARIABLES) {
      const prefixed = `${envPrefix(domain)}${variable}`;
      if (!(prefixed in env) && !(variable in env))
        add(
          `services.${name}.environment`,
          `must set ${prefixed} (the domain's second-factor policy; otherwise nobody reading the file can tell what it is)`,
        );
    }
    const athena = serviceOf(c, `${domain}-athena`);
    if (athena && !(ATHENA_VARIABLE in environmentOf(c, athena)))
      add(`services.${domain}-athena.environment`, `must set ${ATHENA_VARIABLE} (IAM's second-factor requirement for Athena sign-ins)`);
  }

  const policies = readPolicies(c, c.env, add);
  const iam = policies.hera.iam;
  for (const domain of DOMAINS) {
    const athena = policies.athena[domain];
    if (iam !== undefined && athena !== undefined && athena !== iam.required) {
      add(
        `services.${domain}-athena.environment.${ATHENA_VARIABLE}`,
        `is ${athena} but Hera IAM's IAM_MFA_REQUIRED is ${iam.required}: ${athena ? "Athena would turn away every employee Hera IAM lets in without a second factor" : "Athena would no longer state IAM's policy"}; set both from the same value`,
      );
    }
  }

  if (c.stage === "prod") {
    const unset = withoutMfaVariables(c.env);
    const fallback = readPolicies(c, unset, () => {});
    for (const domain of DOMAINS) {
      const hera = fallback.hera[domain];
      const expected = DEFAULT_MFA_POLICY[domain];
      if (hera && (hera.required !== expected.required || hera.graceDays !== expected.graceDays)) {
        add(
          `services.${domain}-hera.environment`,
          `without ${envPrefix(domain)}MFA_* in the env file Hera would run with ${describe(hera)}, not the domain's default ${describe(expected)}`,
        );
      }
      const athena = fallback.athena[domain];
      if (athena !== undefined && athena !== DEFAULT_MFA_POLICY.iam.required) {
        add(
          `services.${domain}-athena.environment.${ATHENA_VARIABLE}`,
          `without IAM_MFA_REQUIRED in the env file Athena would run with ${athena}, not IAM's default ${DEFAULT_MFA_POLICY.iam.required}`,
        );
      }
    }
  }
  return problems;
}

/** Each app's policy as its config loader reads the container's environment interpolated with `env`. */
function readPolicies(c: ComposeUnderTest, env: Env, add: Add): Policies {
  const withEnv = { ...c, env };
  const policies: Policies = { hera: {}, athena: {} };
  for (const domain of DOMAINS) {
    const hera = serviceOf(c, `${domain}-hera`);
    if (hera) {
      const config = loaded(() => loadConfig(environmentOf(withEnv, hera)), `services.${domain}-hera.environment`, add);
      if (config) policies.hera[domain] = config.mfa;
    }
    const athena = serviceOf(c, `${domain}-athena`);
    if (athena) {
      const config = loaded(() => loadAthenaConfig(environmentOf(withEnv, athena)), `services.${domain}-athena.environment`, add);
      if (config) policies.athena[domain] = config.auth.mfaRequired;
    }
  }
  return policies;
}

/** The loader's result, or its second-factor complaints reported (other variables are other checks' business). */
function loaded<T>(load: () => T, where: string, add: Add): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    for (const problem of error.problems) if (problem.variable.includes("MFA_")) add(where, `the app refuses it: ${problem.message}`);
    return undefined;
  }
}

function withoutMfaVariables(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.includes("MFA_")));
}

function describe(policy: MfaPolicy): string {
  return `MFA_REQUIRED=${policy.required}, MFA_GRACE_DAYS=${policy.graceDays}`;
}
