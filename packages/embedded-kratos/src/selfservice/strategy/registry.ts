import type { KratosConfig } from "../../config/load";
import { codeStrategy } from "./code/strategy";
import { linkStrategy } from "./link/strategy";
import { passwordStrategy } from "./password/strategy";
import { profileStrategy } from "./profile/strategy";
import { lookupSecretStrategy } from "./lookup_secret/strategy";
import { totpStrategy } from "./totp/strategy";
import { webauthnStrategy } from "./webauthn/strategy";
import type { Strategy } from "./strategy";

/**
 * Every strategy this server knows, in UI order. Adding a strategy = a new
 * folder next to this file + one line here.
 */
export const ALL_STRATEGIES: readonly Strategy[] = [
  profileStrategy,
  passwordStrategy,
  codeStrategy,
  linkStrategy,
  totpStrategy,
  webauthnStrategy,
  lookupSecretStrategy,
];

export class StrategyRegistry {
  readonly enabled: readonly Strategy[];

  constructor(config: KratosConfig, all: readonly Strategy[] = ALL_STRATEGIES) {
    this.enabled = all.filter((s) => s.enabled(config));
  }

  byMethod(method: string): Strategy | undefined {
    return this.enabled.find((s) => s.id === method);
  }

  for<K extends "login" | "registration" | "settings" | "recovery" | "verification">(kind: K): (Strategy & Required<Pick<Strategy, K>>)[] {
    return this.enabled.filter((s): s is Strategy & Required<Pick<Strategy, K>> => s[kind] !== undefined);
  }
}
