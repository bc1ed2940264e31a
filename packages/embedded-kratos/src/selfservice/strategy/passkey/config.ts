import { z } from "zod";
import { ConfigError, type KratosConfig } from "../../../config/load";
import type { RelyingParty } from "../webauthn/ceremony";

/** `selfservice.methods.passkey.config` as Kratos' config schema has it: `rp` with `id` and `display_name` required. */
const passkeyConfigSchema = z.strictObject({
  rp: z.looseObject({
    id: z.string().min(1, "the relying party id (a host name such as example.com) is required"),
    display_name: z.string().min(1, "a display name is required"),
    origins: z.array(z.string().refine((v) => URL.canParse(v), "must be an absolute URL")).optional(),
  }),
});

const cache = new WeakMap<KratosConfig, RelyingParty>();

/**
 * driver/config PasskeyConfig: the relying party, its origins defaulting to
 * the public URL's scheme with the rp id (no legacy `origin` key, unlike
 * `webauthn`). Throws ConfigError naming the key and the fix.
 */
export function passkeyConfig(config: KratosConfig): RelyingParty {
  let parsed = cache.get(config);
  if (parsed) return parsed;
  const result = passkeyConfigSchema.safeParse(config.selfservice.methods.passkey?.config ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`selfservice.methods.passkey.config.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const { rp } = result.data;
  const scheme = new URL(config.publicBaseUrl).protocol;
  parsed = {
    rpId: rp.id,
    rpName: rp.display_name,
    origins: rp.origins && rp.origins.length > 0 ? rp.origins : [`${scheme}//${rp.id}`],
  };
  cache.set(config, parsed);
  return parsed;
}

/** selfservice.methods.passkey.enabled, asked per request (a config reload applies). */
export function passkeyEnabled(config: KratosConfig): boolean {
  return config.selfservice.methods.passkey?.enabled ?? false;
}
