export { startDevstack, type RunningDevstack, type StartHooks } from "./devstack";
export { DevstackError, type DevstackErrorKind } from "./errors";
export {
  DEFAULT_ADMIN,
  DEFAULT_PORTS,
  optionsFromEnv,
  withPorts,
  type AdminLogin,
  type DevstackOptions,
  type DevstackPorts,
  type OryServerId,
} from "./options";
export { clientSeeds, DEMO_RP_CLIENT_SECRET, ATHENA_CALLBACK_PATH, type OAuth2ClientSeed } from "./seeds/dev-seeds";
export { renderReadyTable } from "./output";
export { resetDataDir } from "./reset";
