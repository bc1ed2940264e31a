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
// Athena manages both servers through this entry; Hydra's admin client is the
// one `./hydra` exports (Hera uses its challenge half, Athena the rest).
export { HydraAdminClient, HydraRejection, type OAuth2Client, type OAuth2ConsentSession } from "../hydra/admin-client";
export { nextPageToken, type Page } from "../ory/pagination";
export { OryError, isOryError } from "../ory/errors";
