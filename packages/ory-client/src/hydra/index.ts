export {
  HydraAdminClient,
  HydraRejection,
  type ChallengeResult,
  type DeviceUserCodeResult,
  type OAuth2Client,
  type OAuth2ConsentRequest,
  type OAuth2ConsentSession,
  type OAuth2LoginRequest,
  type OAuth2LogoutRequest,
  type RejectOAuth2Request,
} from "./admin-client";
export { idTokenClaims, type ClaimSource, type IdTokenClaims } from "./claims";
export { OryError, isOryError, type OryErrorKind, type OryService } from "../ory/errors";
