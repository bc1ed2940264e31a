import { codeStrategy } from "./code/strategy";
import { identifierFirstStrategy } from "./idfirst/strategy";
import { linkStrategy } from "./link/strategy";
import { lookupSecretStrategy } from "./lookup_secret/strategy";
import { oidcStrategy } from "./oidc/strategy";
import { passkeyStrategy } from "./passkey/strategy";
import { passwordStrategy } from "./password/strategy";
import { profileStrategy } from "./profile/strategy";
import type { Strategy } from "./strategy";
import { totpStrategy } from "./totp/strategy";
import { webauthnStrategy } from "./webauthn/strategy";

/**
 * Every strategy this server knows. Adding a strategy = a new folder next to
 * this file + one line here; nothing but the server's wiring imports this list.
 */
export const ALL_STRATEGIES: readonly Strategy[] = [
  // driver/registry_default.go selfServiceStrategies' order: flows ask (and unsorted forms list) strategies in it.
  profileStrategy,
  passwordStrategy,
  oidcStrategy,
  codeStrategy,
  linkStrategy,
  totpStrategy,
  passkeyStrategy,
  webauthnStrategy,
  lookupSecretStrategy,
  identifierFirstStrategy,
];
