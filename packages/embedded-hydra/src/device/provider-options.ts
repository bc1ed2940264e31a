import type { Configuration } from "oidc-provider";
import type { HydraConfig } from "../config/load";
import { DEVICE_PATHS } from "./urls";

/**
 * oidc-provider's device flow, used for its DeviceCode model and its
 * device_code grant only. Its own endpoints sit under Hydra's paths, where
 * the public router answers first with Hydra's (device/routes.ts), so its
 * user-code pages are never reached.
 */
export function deviceFlowFeature(): NonNullable<Configuration["features"]>["deviceFlow"] {
  return { enabled: true };
}

export const DEVICE_PROVIDER_ROUTES = {
  device_authorization: DEVICE_PATHS.authorization,
  code_verification: DEVICE_PATHS.verification,
} as const;

/** `ttl.device_user_code`: how long device and user codes live (Hydra's default 15 minutes). */
export function deviceCodeTtl(config: HydraConfig): number {
  return config.ttl.device_user_code;
}
