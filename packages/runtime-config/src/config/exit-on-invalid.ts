import { InvalidConfigError } from "./errors";
import { startupConfig } from "./startup";
import type { OlympusConfig } from "./load";

/**
 * Validates the process configuration once at start-up. On a bad env it
 * prints one line naming the variable and stops the process, so an instance
 * never serves with a half-valid or cross-domain configuration.
 */
export function validateConfigOrExit(appName: string): OlympusConfig {
  try {
    const config = startupConfig();
    console.log(`${appName}: serving the ${config.domain} domain at ${config.publicUrl}`);
    return config;
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      console.error(`${appName}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
