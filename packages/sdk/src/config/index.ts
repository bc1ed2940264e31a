export { loadConfig, type Env, type Environment, type OlympusConfig } from "./load";
export { ConfigError, InvalidConfigError } from "./errors";
export {
  DOMAINS,
  DEFAULT_BRANDING,
  ADMIN_SERVICES,
  DOMAIN_PORT_RANGE,
  SERVICE_PORTS,
  SERVICES,
  domainOfHost,
  domainOfPort,
  envPrefix,
  isDomain,
  otherDomain,
  type Branding,
  type Domain,
  type Service,
} from "./domain";
export { startupConfig, resetStartupConfigForTests } from "./startup";
