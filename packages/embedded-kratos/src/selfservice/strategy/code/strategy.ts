import type { Strategy } from "../strategy";
import { ADMIN_RECOVERY_CODE_ROUTE, registerAdminRecoveryCodeRoute } from "./admin";
import { codeStrategyEnabled } from "./config";
import { codeLogin } from "./login";
import { codeMigrations } from "./migrations";
import { codeRecovery } from "./recovery";
import { codeRegistration } from "./registration";
import { countCodeSecondFactors } from "./second-factor";
import { codeVerification } from "./verification";

/**
 * One-time codes by email (selfservice/strategy/code): recovery and
 * verification when `selfservice.flows.<kind>.use: code`, passwordless
 * login and registration when `passwordless_enabled`, a second factor
 * when `mfa_enabled`, and the admin
 * `POST /admin/recovery/code`.
 */
export const codeStrategy: Strategy = {
  id: "code",
  group: "code",
  nodeOrder: { login: 50, registration: 50, recovery: 10, verification: 10 },
  secretInputs: ["code"],
  identifiersFromSchema: true,
  enabled: codeStrategyEnabled,
  // CountActiveMultiFactorCredentials: with mfa_enabled, a code address is a second factor (available_aal, highest_available).
  credentialAal: (identity, config) => (countCodeSecondFactors(identity, config) > 0 ? "aal2" : undefined),
  guardedAdminRoutes: [{ method: "POST", path: ADMIN_RECOVERY_CODE_ROUTE }],
  migrations: codeMigrations,
  routes({ admin }, deps) {
    registerAdminRecoveryCodeRoute(admin, deps);
  },
  login: codeLogin,
  registration: codeRegistration,
  recovery: codeRecovery,
  verification: codeVerification,
};
