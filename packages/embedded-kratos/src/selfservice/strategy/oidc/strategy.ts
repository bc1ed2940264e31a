import { checkCipherConfig } from "../../../cipher/cipher";
import { continuityMigrations } from "../../../continuity/migrations";
import type { Identity } from "../../../identity/identity";
import type { Strategy } from "../strategy";
import { registerCallbackRoutes } from "./callback";
import { oidcProviders } from "./config";
import { addLink, linksFromConfig, linksOf } from "./credential";
import { oidcLogin } from "./login";
import { oidcRegistration } from "./registration";
import { oidcSettings } from "./settings";
import { now as timeNow } from "../../../clock/clock";

/**
 * Social sign-in with OpenID Connect providers (Kratos' `oidc` method,
 * generic provider): provider buttons on login and registration, the
 * callback that signs in or up, account linking when the address is taken,
 * and link/unlink in settings.
 */
export const oidcStrategy: Strategy = {
  id: "oidc",
  group: "oidc",
  // login/sort.go and registration/sort.go list `oidc` before the flow's own nodes; settings after the password.
  nodeOrder: { login: -10, registration: -10, settings: 25 },
  enabled: (config) => config.selfservice.methods.oidc?.enabled ?? false,
  // The callback answers 404 while the method is off; Athena's social settings switch it on through the config overlay.
  switchableAtRunTime: true,
  credentialAal: (identity: Identity) => (linksOf(identity).length > 0 ? "aal1" : undefined),
  start: (deps) => {
    // Reads (and so validates) the provider list at start-up: a bad provider stops the server as Kratos' config check does.
    oidcProviders(deps.config);
    // The cipher that encrypts provider tokens: refused at start-up when it could not encrypt, as Kratos' config schema does.
    checkCipherConfig(deps.config);
  },
  // The continuity containers that carry a sign-in across the provider's pages.
  migrations: continuityMigrations,
  routes: ({ public: router }, deps) => registerCallbackRoutes(router, deps),
  // LinkableStrategy.Link: the provider accounts a duplicate sign-up would have created join the signed-in identity.
  linkCredentials: (identity, config) => {
    const links = linksFromConfig(config);
    for (const link of links) addLink(identity, link);
    const last = links.at(-1);
    return last ? { method: "oidc", aal: "aal1", completed_at: timeNow().toISOString(), provider: last.provider } : undefined;
  },
  login: oidcLogin,
  registration: oidcRegistration,
  settings: oidcSettings,
};
