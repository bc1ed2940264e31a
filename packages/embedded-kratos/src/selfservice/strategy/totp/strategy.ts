import type { Identity } from "../../../identity/identity";
import type { Strategy } from "../strategy";
import { totpConfig } from "./config";
import { totpSecretOf } from "./credential";
import { totpLogin } from "./login";
import { totpSettings } from "./settings";

/** Time-based one-time codes from an authenticator app: a second factor (aal2), enrolled in settings. */
export const totpStrategy: Strategy = {
  id: "totp",
  group: "totp",
  nodeOrder: { login: 70, settings: 70 },
  secretInputs: ["totp_code"],
  enabled: (config) => config.selfservice.methods.totp?.enabled ?? false,
  credentialAal: (identity: Identity) => (totpSecretOf(identity) ? "aal2" : undefined),
  start: (deps) => {
    totpConfig(deps.config);
  },
  login: totpLogin,
  settings: totpSettings,
};
