/**
 * What a fresh IAM stack needs before anyone can sign in to Athena — the
 * first admin and Athena's OAuth2 clients — created or repaired through the
 * Kratos and Hydra admin APIs only. One implementation for the dev seeds
 * (packages/devstack) and the production bootstrap (`olympus bootstrap`,
 * packages/cli), so both behave the same against the real and the embedded
 * servers.
 */
export {
  AdminApiError,
  adminRequest,
  reasonOf,
  type AdminApi,
  type AdminApiErrorKind,
  type AdminMethod,
  type AdminResponse,
} from "./admin-api";
export {
  ensureIamAdmin,
  findIamIdentityByEmail,
  IAM_ADMIN_SCHEMA_ID,
  isDemotion,
  nameFromEmail,
  normalizeEmail,
  type EnsureOutcome,
  type IamAdminResult,
  type IamAdminSpec,
  type PersonName,
} from "./iam-admin";
export { createInvitation, DEFAULT_INVITATION_LIFESPAN, KRATOS_DURATION, type Invitation } from "./invitation";
export {
  clientDrift,
  endHydraSessions,
  ensureOAuth2Client,
  SECRET_DIGEST_KEY,
  secretDigest,
  type OAuth2ClientDefinition,
  type OAuth2ClientResult,
} from "./oauth2-client";
export {
  clientsFileProblems,
  oauth2ClientsFile,
  secretVariables,
  toClientDefinition,
  type OAuth2ClientEntry,
  type OAuth2ClientsFile,
} from "./clients-file";
