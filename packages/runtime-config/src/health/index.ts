export {
  checkReadiness,
  oryAppReadiness,
  oryReadyProbe,
  READINESS_TIMEOUT_MS,
  wantsReadiness,
  type OryAppEndpoints,
  type ReadinessProbe,
  type ReadinessReport,
  type ReadinessStatus,
} from "./readiness";
export { databaseProbe } from "./database";
