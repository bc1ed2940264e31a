import type { KratosConfig } from "../../config/load";
import { KratosError } from "../../http/errors";
import type { Handler } from "../../http/router";

/** selfservice/strategy/handler.go EndpointDisabledMessage. */
export const ENDPOINT_DISABLED_MESSAGE =
  "This endpoint was disabled by system administrator. Please check your url or contact the system administrator to enable it.";

/** herodot.ErrNotFound with Kratos' EndpointDisabledMessage as reason. */
export function endpointDisabled(): KratosError {
  return new KratosError(404, { reason: ENDPOINT_DISABLED_MESSAGE });
}

/**
 * flow.MethodEnabledAndAllowed made by a strategy itself, in its handler's own
 * order (`enabledCheck: "in-submit"`): the 404 when config has it off.
 */
export function refuseIfOff(enabled: boolean): void {
  if (!enabled) throw endpointDisabled();
}

/**
 * Kratos' strategy.IsDisabled: the route exists whatever the config, and asks
 * on every request whether its strategy is enabled, answering 404 with
 * EndpointDisabledMessage when it is not (so a reload switching it off applies).
 */
export function unlessDisabled(config: KratosConfig, enabled: (config: KratosConfig) => boolean, handler: Handler): Handler {
  return (ctx) => {
    if (!enabled(config)) throw endpointDisabled();
    return handler(ctx);
  };
}
