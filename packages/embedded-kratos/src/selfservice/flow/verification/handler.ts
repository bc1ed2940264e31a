import type { Deps } from "../../../deps";
import type { Router } from "../../../http/router";
import { registerAddressFlowRoutes } from "../address-handler";
import { verificationFlow } from "./definition";

export function registerVerificationRoutes(router: Router, deps: Deps): void {
  registerAddressFlowRoutes(router, deps, verificationFlow);
}
