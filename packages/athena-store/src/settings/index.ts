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
