import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { KratosConfig } from "../../../config/load";

/**
 * Kratos' cipher (`secrets.cipher` with `ciphers.algorithm`): seals the OAuth
 * state and the provider tokens kept in oidc credentials. Here AES-256-GCM,
 * keyed with the first cipher secret (else the default, else the cookie
 * secret). Without any secret a key lives as long as the process, so a restart
 * only costs sign-ins under way — tokens are then not kept at all (see `seal`).
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

/** A provider token as stored in the credential: sealed with a configured secret, dropped (empty) without one. */
export function seal(config: KratosConfig, token: string | undefined): string {
  if (!token || !keyOf(config).configured) return "";
  return encrypt(config, token);
}
