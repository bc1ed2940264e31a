import type { UiText } from "../../../ui/messages";
import { goQuote } from "@olympus/server-kit/go-strconv";

/** Kratos' texts for social sign-in (text/message_login.go, message_registration.go, message_settings.go, message_validation.go). */
export const oidcMessages = {
  loginWith: (label: string, providerId: string): UiText => ({
    id: 1010002,
    text: `Sign in with ${label}`,
    type: "info",
    context: { provider: label, provider_id: providerId },
  }),
  registrationWith: (label: string, providerId: string): UiText => ({
    id: 1040002,
    text: `Sign up with ${label}`,
    type: "info",
    context: { provider: label, provider_id: providerId },
  }),
  registrationContinue: (): UiText => ({ id: 1040003, text: "Continue", type: "info" }),
  linkProvider: (label: string): UiText => ({ id: 1050002, text: `Link ${label}`, type: "info", context: { provider: label } }),
  unlinkProvider: (label: string): UiText => ({ id: 1050003, text: `Unlink ${label}`, type: "info", context: { provider: label } }),
  /** NewInfoLoginLinkMessage: the login flow a duplicate sign-up is sent to. */
  loginToLink: (
    duplicateIdentifier: string,
    provider: string,
    newLoginUrl: string,
    availableCredentials: string[] | null,
    availableProviders: string[] | null,
  ): UiText => ({
    id: 1010016,
    text: `You tried to sign in with ${goQuote(duplicateIdentifier)}, but that email is already used by another account. Sign in to your account with one of the options below to add your account ${goQuote(duplicateIdentifier)} at ${goQuote(provider)} as another way to sign in.`,
    type: "info",
    context: {
      duplicateIdentifier,
      provider,
      newLoginUrl,
      duplicate_identifier: duplicateIdentifier,
      new_login_url: newLoginUrl,
      available_credential_types: availableCredentials,
      available_providers: availableProviders,
    },
  }),
  loginAndLink: (): UiText => ({ id: 1010017, text: "Sign in and link", type: "info" }),
  loginWithAndLink: (provider: string): UiText => ({ id: 1010018, text: `Confirm with ${provider}`, type: "info", context: { provider } }),
  duplicateOnOidcLink: (): UiText => ({
    id: 4000027,
    text: "An account with the same identifier (email, phone, username, ...) exists already. Please sign in to your existing account to link your social profile.",
    type: "error",
  }),
  linkedCredentialsDoNotMatch: (): UiText => ({ id: 4010009, text: "Linked credentials do not match.", type: "error" }),
};

/** jsonschema.ValidationError texts of strategy_settings.go, shown as message 4000001. */
export const settingsReasons = {
  connectionExists: "can not link unknown or already existing OpenID Connect connection",
  lastFirstFactor: "can not unlink OpenID Connect connection because it is the last remaining first factor credential",
  unknownConnection: "can not unlink non-existing OpenID Connect connection",
  linkAndUnlink: "it is not possible to link and unlink providers in the same request",
};
