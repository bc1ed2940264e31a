import "server-only";
import { athenaStartupConfig, type AthenaConfig } from "@olympus/runtime-config/config/athena";

/** Athena's validated configuration (checked once at start-up by instrumentation.ts). */
export function athenaConfig(): AthenaConfig {
  return athenaStartupConfig();
}
