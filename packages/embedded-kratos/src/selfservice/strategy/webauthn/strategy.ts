import type { Identity } from "../../../identity/identity";
import type { Strategy } from "../strategy";
import { webauthnConfig, webauthnEnabled } from "./config";
import { countCredentials } from "./credential";
import { webauthnLogin } from "./login";
import { webauthnRegistration } from "./registration";
import { webauthnSettings } from "./settings";

/**
 * Security keys via WebAuthn (@simplewebauthn/server). A second factor by
 * default; with `config.passwordless: true` a first factor instead.
 */
export const webauthnStrategy: Strategy = {
  id: "webauthn",
  group: "webauthn",
  nodeOrder: { login: 30, registration: 30, settings: 50 },
  identifiersFromSchema: true,
  enabled: webauthnEnabled,
  credentialAal: (identity: Identity) => {
    if (countCredentials(identity, false) > 0) return "aal2";
    if (countCredentials(identity, true) > 0) return "aal1";
    return undefined;
  },
  start: (deps) => {
    webauthnConfig(deps.config);
  },
  login: webauthnLogin,
  registration: webauthnRegistration,
  settings: webauthnSettings,
};
