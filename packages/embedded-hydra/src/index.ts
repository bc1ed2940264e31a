export { startEmbeddedHydra, type EmbeddedHydra, type EmbeddedHydraOptions } from "./start";
export { loadHydraConfig, parseHydraConfig, HydraConfigError, type HydraConfig } from "./config/load";
export { createLogger, silentLogger, type Logger, type LogLevel } from "./logging";
export { ID_TOKEN_KEY_SET } from "./keys/repository";
