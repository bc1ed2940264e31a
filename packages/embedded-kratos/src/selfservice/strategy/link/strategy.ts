import { movedUnderStrategyKey } from "../state-migration";
import type { Strategy } from "../strategy";
import { ADMIN_RECOVERY_LINK_ROUTE, registerAdminRecoveryLinkRoute } from "./admin";
import { linkStrategyEnabled } from "./config";
import { linkRecovery } from "./recovery";
import { linkVerification } from "./verification";

/**
 * Magic links by email (selfservice/strategy/link): recovery and
 * verification when `selfservice.flows.<kind>.use: link`, and the admin
 * `POST /admin/recovery/link`. Shares token storage and messages with the
 * code strategy (../code).
 */
export const linkStrategy: Strategy = {
  id: "link",
  group: "link",
  nodeOrder: { recovery: 20, verification: 20 },
  completesInBrowser: true,
  enabled: linkStrategyEnabled,
  guardedAdminRoutes: [{ method: "POST", path: ADMIN_RECOVERY_LINK_ROUTE }],
  migrations: [
    {
      // The flow's link state used to be two top-level keys of internal_context; it is one `link` key now.
      id: "link_0001_flow_state_under_strategy_key",
      sql: movedUnderStrategyKey("link", { link_recovery_email: "recovery_email", link_verification_email: "verification_email" }),
    },
  ],
  routes({ admin }, deps) {
    registerAdminRecoveryLinkRoute(admin, deps);
  },
  recovery: linkRecovery,
  verification: linkVerification,
};
