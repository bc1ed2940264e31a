import { z } from "zod";
import { parseDuration } from "../../../config/duration";
import { ConfigError, type KratosConfig } from "../../../config/load";

const linkMethodSchema = z
  .looseObject({
    enabled: z.boolean().default(false),
    config: z
      .looseObject({
        lifespan: z
          .string()
          .default("1h")
          .transform((value, ctx) => {
            const ms = parseDuration(value);
            if (ms === undefined || ms <= 0) {
              ctx.addIssue({ code: "custom", message: `selfservice.methods.link.config.lifespan: "${value}" is not a positive duration` });
              return z.NEVER;
            }
            return ms;
          }),
        base_url: z
          .string()
          .refine((v) => URL.canParse(v), { message: "selfservice.methods.link.config.base_url must be an absolute URL" })
          .optional(),
      })
      .prefault({}),
  })
  .prefault({});

export type LinkMethodConfig = z.output<typeof linkMethodSchema>;
const cache = new WeakMap<KratosConfig, LinkMethodConfig>();

/** `selfservice.methods.link` with Kratos' defaults (links live 1h; base_url defaults to the public URL). */
export function linkMethodConfig(config: KratosConfig): LinkMethodConfig {
  let parsed = cache.get(config);
  if (!parsed) {
    const result = linkMethodSchema.safeParse(config.selfservice.methods.link ?? {});
    if (!result.success)
      throw new ConfigError(`invalid Kratos config ${config.source}: ${result.error.issues.map((i) => i.message).join("; ")}`);
    parsed = result.data;
    cache.set(config, parsed);
  }
  return parsed;
}

/** Base of the links mailed out: `selfservice.methods.link.config.base_url` or the public URL (with a trailing slash). */
export function linkBaseUrl(config: KratosConfig): string {
  const base = linkMethodConfig(config).config.base_url ?? config.publicBaseUrl;
  return base.endsWith("/") ? base : `${base}/`;
}

/** selfservice.methods.link.enabled (off unless configured, as in Kratos). */
export function linkStrategyEnabled(config: KratosConfig): boolean {
  return config.selfservice.methods.link?.enabled === true;
}
