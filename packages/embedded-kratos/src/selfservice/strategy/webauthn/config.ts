import { z } from "zod";
import { ConfigError, type KratosConfig } from "../../../config/load";

const webauthnConfigSchema = z.looseObject({
  passwordless: z.boolean().default(false),
  rp: z.looseObject({
    id: z.string().min(1, "the relying party id (a host name such as example.com) is required"),
    display_name: z.string().min(1, "a display name is required"),
    /** Deprecated in Kratos in favour of `origins`. */
    origin: z.string().optional(),
    origins: z.array(z.string().refine((v) => URL.canParse(v), "must be an absolute URL")).optional(),
    icon: z.string().optional(),
  }),
});

export interface WebAuthnConfig {
  /** true: security keys are a first factor (aal1, sign in without password); false: a second factor (aal2). */
  passwordless: boolean;
  rpId: string;
  rpName: string;
  /** Origins a browser may sign from. */
  origins: string[];
}

const cache = new WeakMap<KratosConfig, WebAuthnConfig>();

/** `selfservice.methods.webauthn.config`, validated (throws ConfigError naming the key and the fix). */
export function webauthnConfig(config: KratosConfig): WebAuthnConfig {
  let parsed = cache.get(config);
  if (parsed) return parsed;
  const result = webauthnConfigSchema.safeParse(config.selfservice.methods.webauthn?.config ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`selfservice.methods.webauthn.config.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const { rp, passwordless } = result.data;
  const scheme = new URL(config.publicBaseUrl).protocol;
  parsed = {
    passwordless,
    rpId: rp.id,
    rpName: rp.display_name,
    origins: rp.origins && rp.origins.length > 0 ? rp.origins : [rp.origin ?? `${scheme}//${rp.id}`],
  };
  cache.set(config, parsed);
  return parsed;
}

/** selfservice.methods.webauthn.enabled, asked per request (a config reload applies). */
export function webauthnEnabled(config: KratosConfig): boolean {
  return config.selfservice.methods.webauthn?.enabled ?? false;
}
