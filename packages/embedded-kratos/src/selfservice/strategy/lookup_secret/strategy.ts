import type { Identity } from "../../../identity/identity";
import type { Strategy } from "../strategy";
import { lookupConfigOf } from "./credential";
import { lookupLogin } from "./login";
import { lookupSettings } from "./settings";

/** Single-use backup recovery codes: a second factor (aal2), generated and confirmed in settings. */
export const lookupSecretStrategy: Strategy = {
  id: "lookup_secret",
  group: "lookup_secret",
  nodeOrder: { login: 80, settings: 40 },
  secretInputs: ["lookup_secret"],
  enabled: (config) => config.selfservice.methods.lookup_secret?.enabled ?? false,
  credentialAal: (identity: Identity) => (lookupConfigOf(identity) ? "aal2" : undefined),
  login: lookupLogin,
  settings: lookupSettings,
};
