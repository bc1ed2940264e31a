import { DOMAINS, type Domain } from "@olympus/runtime-config/config";
import path from "node:path";
import { PLATFORM_DIR, type OryService, type Stage } from "./paths";

export const STAGES: readonly Stage[] = ["dev", "prod"];

/** Every (stage, domain, service) Ory config the platform ships. */
export const ORY_CONFIGS: { stage: Stage; domain: Domain; service: OryService }[] = STAGES.flatMap((stage) =>
  DOMAINS.flatMap((domain) => (["kratos", "hydra"] as const).map((service) => ({ stage, domain, service }))),
);

export function label(file: string): string {
  return path.relative(path.dirname(PLATFORM_DIR), file);
}

/** A deep copy that a test may break on purpose without touching the original. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
