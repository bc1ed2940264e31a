export {
  createSettingsStore,
  InvalidSettingError,
  MASKED_VALUE,
  MAX_SETTING_VALUE_LENGTH,
  SETTING_KEY_PATTERN,
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
