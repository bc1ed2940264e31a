export {
  ADMIN_ONLY_KEYS,
  IAM_ADMIN_ROLES,
  LOYALTY_TIERS,
  customerAdminMetadata,
  iamAdminMetadata,
  iamAdminRoleOf,
  type IamAdminRole,
  type LoyaltyTier,
} from "./admin-metadata";
export {
  adminMetadataPatch,
  escapePointerToken,
  metadataPointer,
  type AdminMetadataPatchOptions,
  type MetadataPatchOperation,
} from "./admin-metadata-patch";
export {
  moveAdminOnlyTraits,
  type MoveAdminOnlyTraitsOptions,
  type MoveAdminOnlyTraitsReport,
  type MovedIdentity,
} from "./move-admin-only-traits";
export {
  MFA_GRACE_UNTIL_CLAIM,
  SECOND_FACTOR_CREDENTIALS,
  hasSecondFactor,
  mfaGraceUntilOf,
  secondFactorGraceEndsAt,
} from "./second-factor";
