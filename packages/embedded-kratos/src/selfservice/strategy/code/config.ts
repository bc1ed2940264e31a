import { z } from "zod";
import { parseDuration } from "../../../config/duration";
import { ConfigError, type KratosConfig } from "../../../config/load";

const duration = (fallback: string, key: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: "custom", message: `${key}: "${value}" is not a positive duration (use e.g. 15m, 1h)` });
        return z.NEVER;
      }
      return ms;
    });

const codeMethodSchema = z
  .looseObject({
    enabled: z.boolean().default(true),
    passwordless_enabled: z.boolean().default(false),
    mfa_enabled: z.boolean().default(false),
    config: z
      .looseObject({
        lifespan: duration("15m", "selfservice.methods.code.config.lifespan"),
        max_submissions: z.number().int().min(1).default(5),
        missing_credential_fallback_enabled: z.boolean().default(false),
      })
      .prefault({}),
  })
  .prefault({});

export type CodeMethodConfig = z.output<typeof codeMethodSchema>;

const cache = new WeakMap<KratosConfig, CodeMethodConfig>();

/** `selfservice.methods.code` with Kratos' defaults (code lifespan 15m, 5 submissions per flow). */
export function codeMethodConfig(config: KratosConfig): CodeMethodConfig {
  let parsed = cache.get(config);
  if (!parsed) {
    const result = codeMethodSchema.safeParse(config.selfservice.methods.code ?? {});
    if (!result.success) {
      throw new ConfigError(
        `invalid Kratos config ${config.source}: selfservice.methods.code: ${result.error.issues.map((i) => i.message).join("; ")}`,
      );
    }
    parsed = result.data;
    cache.set(config, parsed);
  }
  return parsed;
}

/** The code strategy is on when enabled and used by any flow: recovery/verification `use: code` or passwordless. */
export function codeStrategyEnabled(config: KratosConfig): boolean {
  const method = config.selfservice.methods.code;
  return method?.enabled === true;
}
