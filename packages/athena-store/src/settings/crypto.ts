import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { Environment } from "@olympus/runtime-config/config";
import { EXAMPLE_ENCRYPTION_KEYS, MIN_ENCRYPTION_KEY_BYTES } from "@olympus/runtime-config/config/variables";

/**
 * Secret settings are sealed with AES-256-GCM under a key derived from
 * ENCRYPTION_KEY with HKDF-SHA256. The sealed form is versioned and names the
 * key that sealed it:
 *
 *   v1.<key id>.<iv>.<ciphertext>.<tag>      (base64url parts)
 *
 * `v1` fixes the algorithm and derivation; the key id (a hash of the derived
 * key, not the key) lets a rotation tell which rows are already under the new
 * key. The additional authenticated data binds a value to its domain and
 * setting key, so a ciphertext copied to another row or domain fails to open.
 */
export const CIPHERTEXT_VERSION = "v1";
// The key policy is the runtime configuration's (Athena's config refuses the
// same values at start-up); re-exported so the store's callers keep one import.
export { EXAMPLE_ENCRYPTION_KEYS, MIN_ENCRYPTION_KEY_BYTES };

const HKDF_SALT = Buffer.from("olympus/settings", "utf8");
const HKDF_INFO = Buffer.from("olympus settings aes-256-gcm v1", "utf8");

export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EncryptionKeyError";
  }
}

/** Opening a sealed value failed: wrong key, tampered or moved ciphertext. The value is never guessed. */
export class SettingDecryptionError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`cannot decrypt setting "${key}": ${reason}`);
    this.name = "SettingDecryptionError";
  }
}

/** A derived AES key with its public id. Construct with deriveEncryptionKey. */
export interface EncryptionKey {
  readonly id: string;
  /** @internal */
  readonly bytes: Buffer;
}

/**
 * Checks ENCRYPTION_KEY and derives the AES key from it. Shorter than 32
 * bytes is always refused; a known example value is refused in production.
 */
export function deriveEncryptionKey(raw: string, environment: Environment): EncryptionKey {
  const material = Buffer.from(raw, "utf8");
  if (material.length < MIN_ENCRYPTION_KEY_BYTES) {
    throw new EncryptionKeyError(`ENCRYPTION_KEY must be at least ${MIN_ENCRYPTION_KEY_BYTES} bytes, got ${material.length}`);
  }
  if (environment === "production" && EXAMPLE_ENCRYPTION_KEYS.includes(raw)) {
    throw new EncryptionKeyError("ENCRYPTION_KEY is an example value; generate one for production (openssl rand -hex 32)");
  }
  const bytes = Buffer.from(hkdfSync("sha256", material, HKDF_SALT, HKDF_INFO, 32));
  const id = createHash("sha256").update("olympus settings key id").update(bytes).digest("base64url").slice(0, 12);
  return { id, bytes };
}

function additionalData(domain: string, key: string): Buffer {
  return Buffer.from(`olympus-setting\0${domain}\0${key}`, "utf8");
}

export function sealSetting(plaintext: string, key: EncryptionKey, domain: string, settingKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  cipher.setAAD(additionalData(domain, settingKey));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [CIPHERTEXT_VERSION, key.id, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(".");
}

/** The key id a sealed value names, or undefined if it is not a sealed value of a known version. */
export function sealedKeyId(sealed: string): string | undefined {
  const parts = sealed.split(".");
  return parts.length === 5 && parts[0] === CIPHERTEXT_VERSION ? parts[1] : undefined;
}

/**
 * Opens a sealed value with whichever of `keys` sealed it. Fails closed with
 * SettingDecryptionError when no key matches or authentication fails.
 */
export function openSetting(sealed: string, keys: readonly EncryptionKey[], domain: string, settingKey: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 5) throw new SettingDecryptionError(settingKey, "not a sealed value");
  const [version, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (version !== CIPHERTEXT_VERSION) throw new SettingDecryptionError(settingKey, `unknown ciphertext version "${version}"`);
  const key = keys.find((k) => k.id === keyId);
  if (!key) throw new SettingDecryptionError(settingKey, `sealed under key ${keyId}, which is not the configured ENCRYPTION_KEY`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
    decipher.setAAD(additionalData(domain, settingKey));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SettingDecryptionError(settingKey, "authentication failed (tampered, or moved from another row)");
  }
}
