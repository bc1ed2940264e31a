export {
  createSettingsStore,
  InvalidSettingError,
  MASKED_VALUE,
  MAX_SETTING_VALUE_LENGTH,
  SETTING_KEY_PATTERN,
  SETTINGS_CHANGED_CHANNEL,
  type SettingInput,
  type SettingListing,
  type SettingsStore,
  type SettingsStoreOptions,
} from "./store";
export {
  CIPHERTEXT_VERSION,
  deriveEncryptionKey,
  EncryptionKeyError,
  EXAMPLE_ENCRYPTION_KEYS,
  MIN_ENCRYPTION_KEY_BYTES,
  openSetting,
  sealSetting,
  SettingDecryptionError,
  type EncryptionKey,
} from "./crypto";
export { rotateSettingsKey, type RotationReport } from "./rotate";
export { readPlainSettings } from "./plain-read";
export {
  DEFAULT_SECOND_FACTOR_METHODS,
  MAX_MFA_SETTING_GRACE_DAYS,
  MFA_SETTING_KEYS,
  mfaPolicyFromSettings,
  parseMfaGraceDays,
  parseMfaRequired,
  parseSecondFactorMethods,
  readMfaSettings,
  SECOND_FACTOR_METHODS,
  type EffectiveMfaPolicy,
  type SecondFactorMethod,
} from "./mfa-policy";
export { settingsReader, type SettingsReaderOptions } from "./prefix-read";
export {
  DEFAULT_SOCIAL_SCOPES,
  defaultSocialSignInEnabled,
  parseSocialProviderKey,
  readSocialSignIn,
  REQUIRED_SOCIAL_PROVIDER_FIELDS,
  SECRET_SOCIAL_PROVIDER_FIELDS,
  SOCIAL_ENABLED_KEY,
  SOCIAL_LABEL_MAX_LENGTH,
  SOCIAL_MAPPER_MAX_LENGTH,
  SOCIAL_PROVIDER_FIELDS,
  SOCIAL_PROVIDER_ID_PATTERN,
  SOCIAL_PROVIDER_KEY_PREFIX,
  SOCIAL_RULES,
  socialProviderKey,
  socialSignInFromSettings,
  type ReadSettings,
  type SocialCheck,
  type SocialProvider,
  type SocialProviderField,
  type SocialSignIn,
} from "./social-sign-in";
export { changeSettings, type SettingChanges } from "./change";
