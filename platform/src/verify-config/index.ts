/**
 * verify-config as a library, for the operator CLI (`olympus verify-config`);
 * `npm run verify-config` runs cli.ts.
 */
import path from "node:path";
import { PLATFORM_DIR } from "../paths";

export { verifyProductionConfig, type ProductionConfigSet } from "./verify";
export { readEnvFile } from "./env-file";
export type { Problem } from "../problem";

/** What verify-config checks when not told otherwise: this checkout's platform/prod and Caddyfile. */
export const DEFAULT_PRODUCTION_DIR = path.join(PLATFORM_DIR, "prod");
export const DEFAULT_CADDYFILE = path.join(PLATFORM_DIR, "caddy", "Caddyfile");
