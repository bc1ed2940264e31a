export { loadConfig, loadSharedConfig, type Env, type Environment, type OlympusConfig, type SharedConfig } from "./load";
export { ConfigError, InvalidConfigError } from "./errors";
export {
  DOMAINS,
  DEFAULT_BRANDING,
  DEFAULT_MFA_POLICY,
  ADMIN_SERVICES,
  DOMAIN_PORT_RANGE,
  SERVICE_PORTS,
  SERVICES,
  domainOfHost,
  domainOfPort,
  envPrefix,
  isDomain,
  olympusDomainRole,
  otherDomain,
  type Branding,
  type Domain,
  type MfaPolicy,
  type OlympusDomainRole,
  type Service,
} from "./domain";
export { startupConfig, resetStartupConfigForTests } from "./startup";
