import type { Identity } from "../../../identity/identity";
import type { Strategy } from "../strategy";
import { passkeyConfig, passkeyEnabled } from "./config";
import { passkeyConfigOf } from "./credential";
import { passkeyLogin } from "./login";
import { passkeyRegistration } from "./registration";
import { passkeySettings } from "./settings";

/**
 * Passkeys (selfservice/strategy/passkey): discoverable WebAuthn keys on a
 * platform authenticator, a first factor only (CompletedAuthenticationMethod
 * aal1). Its browser helpers (`oryPasskey*`) are in the webauthn strategy's
 * script, which Kratos serves for both.
 */
export const passkeyStrategy: Strategy = {
  id: "passkey",
  group: "passkey",
  // login/registration/settings sort.go: the passkey group right after webauthn's.
  nodeOrder: { login: 40, registration: 40, settings: 60 },
  enabled: passkeyEnabled,
  credentialAal: (identity: Identity) =>
    (identity.credentials.passkey?.identifiers.join("") ?? "") !== "" && (passkeyConfigOf(identity)?.credentials.length ?? 0) > 0
      ? "aal1"
      : undefined,
  start: (deps) => {
    passkeyConfig(deps.config);
  },
  login: passkeyLogin,
  registration: passkeyRegistration,
  settings: passkeySettings,
};
