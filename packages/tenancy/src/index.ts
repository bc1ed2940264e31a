export { MAX_TENANT_NAME_LENGTH, RESERVED_TENANT_NAMES, tenantNameProblem } from "./name";
export { allocateSlot, blockPorts, CONTAINER_PORT, EPHEMERAL_PORT_START, MAX_SLOT, portBlock, type PortBlock } from "./ports";
export { generateSecrets, SECRET_SPECS, type TenantSecrets } from "./secrets";
export {
  DOMAINS,
  hasIam,
  parseDomains,
  parseParentDomain,
  projectName,
  TARGETS,
  RUNTIMES,
  type Runtime,
  tenantSchema,
  type Domain,
  type Target,
  type Tenant,
} from "./tenant";
export { ciamAthenaClientId, tenantHosts, tenantUrls, type TenantHosts } from "./hosts";
export {
  findTenant,
  planTenant,
  readRegistry,
  RegistryError,
  REGISTRY_FILE,
  withoutTenant,
  withTenant,
  writeRegistry,
  type Registry,
} from "./registry";
export { renderCompose, renderComposeYaml } from "./compose";
export { renderCaddyBlock } from "./caddy";
export { renderEnvFile } from "./env-file";
export { embeddedHealthTargets, healthTargets, type EmbeddedHealthTarget, type HealthTarget } from "./health";
export { DEFAULT_PLATFORM_DIR } from "./platform-files";
export { admitsIngress, networkPolicies, type NetworkPolicyObject } from "./kubernetes/network-policies";
export { renderManifests, type Manifest } from "./kubernetes/manifests";
export { composeFiles, kubernetesManifests, manifestFiles, writeFiles, type GeneratedFile } from "./generate";
export { startEmbeddedTenant, stopEmbeddedTenant, embeddedRunState } from "./embedded/control";
export { EMBEDDED_LAYOUT, readTenantSecrets, parseEnvFile } from "./embedded/files";
export { type AppState, type RunState } from "./embedded/state";
export { DEFAULT_APP_IDLE_TIMEOUT, parseAppIdleTimeout } from "./embedded/app-idle";
export { unbuiltApps } from "./embedded/repository";
export {
  adminApiToken,
  controlPlaneClientId,
  CONTROL_PLANE_SCOPE,
  CONTROL_PLANE_SECRET_VARIABLE,
  renderOryConfigs,
  roleUrl,
  rolePasswords,
} from "./embedded/render";
export { embeddedFiles, embeddedUrls, operatorIamClientEntry } from "./embedded/create";
export { operatorIssuer } from "./embedded/app-env";
export { controlPlaneClientEntry, MACHINE_CLIENT_ID_VARIABLE, withControlPlaneClient } from "./machine-client";
export {
  checkControlPlaneToken,
  CONTROL_PLANE_FILE,
  CONTROL_PLANE_TOKEN_VARIABLE,
  ControlPlaneError,
  initControlPlane,
  listTenantAdmins,
  tenantMachineToken,
  type ControlPlaneAuth,
  type TenantAdmin,
} from "./control-plane";
