import { loadConfig, type OlympusConfig } from "./load";

let cached: OlympusConfig | undefined;

/**
 * The process-wide configuration, validated once. Apps call this at start-up
 * (instrumentation) so a bad env stops the process before it serves anything;
 * every later call returns the same object.
 */
export function startupConfig(): OlympusConfig {
  cached ??= loadConfig(process.env);
  return cached;
}

export function resetStartupConfigForTests(): void {
  cached = undefined;
}
