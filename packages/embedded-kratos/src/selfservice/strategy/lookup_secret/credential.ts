import { randomInt } from "node:crypto";
import { z } from "zod";
import type { Identity } from "../../../identity/identity";

/** Credential config of type `lookup_secret` (identity.CredentialsLookupConfig). */
export const recoveryCodeSchema = z.object({ code: z.string(), used_at: z.string().optional() });
const lookupConfigSchema = z.object({ recovery_codes: z.array(recoveryCodeSchema) });

export type RecoveryCode = z.infer<typeof recoveryCodeSchema>;
export interface LookupCredentialConfig {
  recovery_codes: RecoveryCode[];
}

/** Kratos issues 12 codes of 8 lower-case letters and digits. */
export const CODE_COUNT = 12;
const CODE_LENGTH = 8;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export function parseLookupConfig(config: unknown): LookupCredentialConfig | undefined {
  const result = lookupConfigSchema.safeParse(config);
  return result.success ? result.data : undefined;
}

/** The identity's backup codes, if it has any (used ones included: the method stays set up until regenerated or disabled). */
export function lookupConfigOf(identity: Identity): LookupCredentialConfig | undefined {
  const config = parseLookupConfig(identity.credentials.lookup_secret?.config);
  return config && config.recovery_codes.length > 0 ? config : undefined;
}

export function newRecoveryCodes(): RecoveryCode[] {
  return Array.from({ length: CODE_COUNT }, () => ({
    code: Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""),
  }));
}

export function isUsed(code: RecoveryCode): boolean {
  return code.used_at !== undefined && code.used_at !== "" && !code.used_at.startsWith("0001-01-01");
}
