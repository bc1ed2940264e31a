import { z } from "zod";
import { ConfigError, type KratosConfig } from "../../../config/load";

const totpConfigSchema = z.looseObject({ issuer: z.string().min(1, "must not be empty").optional() });

export interface TotpConfig {
  /** Shown by authenticator apps; Kratos defaults it to the public base URL's host name. */
  issuer: string;
}

const cache = new WeakMap<KratosConfig, TotpConfig>();

/** `selfservice.methods.totp.config`, validated (throws ConfigError naming the key). */
export function totpConfig(config: KratosConfig): TotpConfig {
  let parsed = cache.get(config);
  if (!parsed) {
    const result = totpConfigSchema.safeParse(config.selfservice.methods.totp?.config ?? {});
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ConfigError(`selfservice.methods.totp.config.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
    }
    parsed = { issuer: result.data.issuer ?? new URL(config.publicBaseUrl).hostname };
    cache.set(config, parsed);
  }
  return parsed;
}
