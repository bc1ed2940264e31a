import type { Deps } from "../../../deps";
import type { Router } from "../../../http/router";
import { registerAddressFlowRoutes } from "../address-handler";
import { recoveryFlow } from "./definition";

export function registerRecoveryRoutes(router: Router, deps: Deps): void {
  registerAddressFlowRoutes(router, deps, recoveryFlow);
}
