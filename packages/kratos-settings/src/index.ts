export {
  DEFAULT_SMTP_PORT,
  effectiveSmtpSecurity,
  SMTP_SECURITY_MODES,
  SMTP_SETTING_KEYS,
  smtpConnectionUri,
  smtpSettingsFrom,
  type SmtpSecurity,
  type StoredSmtpSettings,
  type StoredSmtpSettingsRead,
} from "./smtp";
export {
  defaultClaimsMapper,
  kratosOidcMethod,
  kratosOidcProvider,
  type DefaultMapperOptions,
  type KratosOidcMethod,
  type KratosOidcProvider,
} from "./social";
export { renderKratosOverlay, renderKratosOverlayYaml, type KratosOverlay, type KratosSettings, type RenderOptions } from "./overlay";
export { readKratosSettings, type Domain, type KratosSettingsRead, type OlympusPool, type ReadKratosSettingsOptions } from "./read";
export { syncKratosOverlay, writeFileIfChanged, type SyncKratosOverlayOptions, type SyncResult } from "./sync";
export { watchKratosOverlay, type KratosOverlayWatcher, type WatchKratosOverlayOptions } from "./watch";
export {
  sendSmtpMail,
  sendTestMail,
  type MailMessage,
  type SmtpSettings,
  type TestMailErrorKind,
  type TestMailOptions,
  type TestMailResult,
} from "./test-mail";
