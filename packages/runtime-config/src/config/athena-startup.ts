export { loadAthenaConfig, type AthenaConfig } from "./athena";
import { loadAthenaConfig, type AthenaConfig } from "./athena";
import { InvalidConfigError } from "./errors";

let cached: AthenaConfig | undefined;

/** Athena's process-wide configuration, validated once (see startupConfig). */
export function athenaStartupConfig(): AthenaConfig {
  cached ??= loadAthenaConfig(process.env);
  return cached;
}

/** Start-up check for Athena: one line naming the variable, then exit. */
export function validateAthenaConfigOrExit(): AthenaConfig {
  try {
    const config = athenaStartupConfig();
    console.log(`athena: serving the ${config.domain} domain at ${config.publicUrl}; employees sign in through ${config.auth.issuerUrl}`);
    return config;
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      console.error(`athena: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

export function resetAthenaStartupConfigForTests(): void {
  cached = undefined;
}
