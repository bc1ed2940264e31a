export {
  KratosAdminClient,
  KratosRejection,
  type CourierMessageStatus,
  type CreateIdentityBody,
  type CredentialType,
  type Identity,
  type IdentitySchemaContainer,
  type JsonPatch,
  type KratosAdminUrls,
  type Message,
  type Session,
  type UpdateIdentityBody,
} from "./kratos-admin";
export { HydraOAuth2AdminClient, HydraRejection, type OAuth2Client, type OAuth2ConsentSession } from "./hydra-admin";
export { nextPageToken, type Page } from "./pagination";
export { OryError, isOryError } from "../ory/errors";
