export { KratosClient, type KratosUrls } from "./client";
export { hostOnlySetCookie } from "./cookies";
export { authenticationMethodsOf, assuranceLevelOf } from "./session";
export {
  FLOW_KINDS,
  isFlowKind,
  type CreateFlowParams,
  type FlowByKind,
  type FlowError,
  type FlowKind,
  type FlowResult,
  type Identity,
  type LoginFlow,
  type RecoveryFlow,
  type RegistrationFlow,
  type Session,
  type SessionResult,
  type SettingsFlow,
  type VerificationFlow,
} from "./types";
export { OryError, isOryError, type OryErrorKind, type OryService } from "../ory/errors";
