import type { Identity } from "../../../identity/identity";
import type { Strategy } from "../strategy";
import { readPasswordCredential } from "./credential";
import { passwordLogin } from "./login";
import { passwordRegistration } from "./registration";
import { passwordSettings } from "./settings";

/** Password credentials: first-factor login, one-step registration, password change in settings. */
export const passwordStrategy: Strategy = {
  id: "password",
  group: "password",
  nodeOrder: { login: 60, registration: 60, settings: 20 },
  sortsWithDefault: true,
  secretInputs: ["password"],
  identifiersFromSchema: true,
  enabled: (config) => config.selfservice.methods.password.enabled,
  credentialAal: (identity: Identity) => {
    const c = identity.credentials.password;
    return c && readPasswordCredential(c.config) ? "aal1" : undefined;
  },
  login: passwordLogin,
  registration: passwordRegistration,
  settings: passwordSettings,
};
