import type { Strategy } from "../strategy";
import { registerAdminRecoveryLinkRoute } from "./admin";
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
  enabled: (config) => config.selfservice.methods.link?.enabled === true,
  routes({ admin }, deps) {
    registerAdminRecoveryLinkRoute(admin, deps);
  },
  recovery: linkRecovery,
  verification: linkVerification,
};
