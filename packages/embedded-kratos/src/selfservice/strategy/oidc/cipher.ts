import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { KratosConfig } from "../../../config/load";

/**
 * Seals the OAuth `state` parameter: AES-256-GCM keyed with the first cipher
 * secret (else the default, else the cookie secret), base64url. Kratos
 * encrypts its protobuf state with the configured `ciphers.algorithm`; the
 * state only travels through the provider back to this server, so its format
 * is this server's own — and stays authenticated even where Kratos' `noop`
 * would send it in clear. Without any secret a key lives as long as the
 * process, so a restart only costs sign-ins under way. Stored provider
 * tokens use Kratos' cipher (`src/cipher`), not this.
 */
const processKey = randomBytes(32);

function keyOf(config: KratosConfig): { key: Buffer; configured: boolean } {
  const secret = config.secrets.cipher?.[0] ?? config.secrets.default?.[0] ?? config.secrets.cookie?.[0];
  return secret ? { key: createHash("sha256").update(secret).digest(), configured: true } : { key: processKey, configured: false };
}

export function encrypt(config: KratosConfig, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(config).key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The plain text, or undefined when the value was not sealed with this key or was altered. */
export function decrypt(config: KratosConfig, sealed: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, "base64url");
    if (raw.length < 29) return undefined;
    const decipher = createDecipheriv("aes-256-gcm", keyOf(config).key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
