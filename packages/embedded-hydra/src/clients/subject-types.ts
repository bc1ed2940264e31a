import type { HydraConfig } from "../config/load";

export type SubjectType = "public" | "pairwise";

/**
 * Hydra's SubjectTypesSupported (driver/config/provider.go): public unless
 * only pairwise is configured; pairwise is switched off when access tokens
 * are JWTs.
 */
export function subjectTypesSupported(config: HydraConfig): SubjectType[] {
  const configured = config.oidc.subject_identifiers.supported_types;
  const pairwise = configured.includes("pairwise") && config.strategies.access_token !== "jwt";
  const publicType = configured.includes("public") || !configured.includes("pairwise");
  return [...(publicType ? (["public"] as const) : []), ...(pairwise ? (["pairwise"] as const) : [])];
}
