export {
  checkReadiness,
  oryReadyProbe,
  READINESS_TIMEOUT_MS,
  type ReadinessProbe,
  type ReadinessReport,
  type ReadinessStatus,
} from "./readiness";
export { databaseProbe } from "./database";
