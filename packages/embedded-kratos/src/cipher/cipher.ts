import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { XCHACHA20_POLY1305_NONCE_SIZE, xchacha20Poly1305Open, xchacha20Poly1305Seal } from "@olympus/server-kit/crypto";
import { z } from "zod";
import { ConfigError } from "../config/load";
import { KratosError } from "../http/errors";

/**
 * Kratos' cipher package (cipher/cipher.go): what `ciphers.algorithm`
 * selects (driver/registry_default.go Cipher) to encrypt values Kratos
 * stores, such as the provider tokens of oidc credentials. Every algorithm
 * writes lowercase hex, so a value written here opens in a real Kratos
 * configured alike, and the other way round:
 *
 * - `noop` (the default): hex of the plain bytes;
 * - `aes`: AES-256-GCM with a random 12-byte nonce, hex(nonce ‖ ciphertext ‖ tag)
 *   (Go's NewGCMWithRandomNonce layout);
 * - `xchacha20-poly1305`: hex(24-byte nonce ‖ ciphertext ‖ tag).
 *
 * Keys are the `secrets.cipher` strings' own 32 bytes (config.go
 * ToCipherSecrets): the first encrypts, every one is tried to decrypt.
 * An empty message encrypts to "" and "" decrypts to nothing.
 */
export type CipherAlgorithm = "noop" | "aes" | "xchacha20-poly1305";

export interface Cipher {
  readonly algorithm: CipherAlgorithm;
  encrypt(message: Uint8Array | string): string;
  decrypt(ciphertext: string): Buffer;
}

/** The part of the config the cipher reads (the whole KratosConfig fits). */
export interface CipherConfig {
  ciphers?: unknown;
  secrets: { cipher?: readonly string[] | undefined };
}

const algorithmSchema = z.object({ algorithm: z.enum(["noop", "aes", "xchacha20-poly1305"]).optional() });

/** `ciphers.algorithm` (CipherAlgorithm: default noop); an unknown value is refused as Kratos' config schema refuses it. */
export function cipherAlgorithm(config: CipherConfig): CipherAlgorithm {
  const parsed = algorithmSchema.safeParse(config.ciphers ?? {});
  if (!parsed.success) throw new KratosError(500, { reason: `ciphers.algorithm must be one of noop, aes, xchacha20-poly1305` });
  return parsed.data.algorithm ?? "noop";
}

/** SecretsCipher: the secrets of exactly 32 bytes, as keys. */
export function cipherSecrets(config: CipherConfig): Buffer[] {
  return (config.secrets.cipher ?? []).map((s) => Buffer.from(s, "utf8")).filter((b) => b.length === 32);
}

/** The cipher the running config selects (read per call, so a reloaded secret list applies at once). */
export function cipherFor(config: CipherConfig): Cipher {
  const algorithm = cipherAlgorithm(config);
  switch (algorithm) {
    case "noop":
      return noopCipher;
    case "aes":
      return aeadCipher(algorithm, () => cipherSecrets(config), aesSeal, aesOpen, "AES");
    case "xchacha20-poly1305":
      return aeadCipher(algorithm, () => cipherSecrets(config), chachaSeal, chachaOpen, "cipher");
  }
}

const noopCipher: Cipher = {
  algorithm: "noop",
  encrypt: (message) => Buffer.from(message).toString("hex"),
  decrypt: (ciphertext) => decodeHex(ciphertext),
};

type Seal = (key: Buffer, message: Buffer) => Buffer;
type Open = (key: Buffer, raw: Buffer) => Buffer | undefined;

function aeadCipher(algorithm: CipherAlgorithm, secrets: () => Buffer[], seal: Seal, open: Open, secretsWord: string): Cipher {
  return {
    algorithm,
    encrypt(message) {
      const bytes = Buffer.from(message);
      if (bytes.length === 0) return "";
      const [key] = secrets();
      if (!key) throw misconfigured("Unable to encrypt message because no cipher secrets were configured.");
      return seal(key, bytes).toString("hex");
    },
    decrypt(ciphertext) {
      if (ciphertext === "") return Buffer.alloc(0);
      const keys = secrets();
      if (keys.length === 0)
        throw misconfigured(`Unable to decipher the encrypted message because no ${secretsWord} secrets were configured.`);
      const raw = decodeHex(ciphertext);
      for (const key of keys) {
        const plain = open(key, raw);
        if (plain) return plain;
      }
      throw new KratosError(403, {
        reason: algorithm === "aes" ? "Unable to decipher the encrypted message." : "Unable to decrypt string",
      });
    },
  };
}

const GCM_NONCE_SIZE = 12;
const GCM_TAG_SIZE = 16;

function aesSeal(key: Buffer, message: Buffer): Buffer {
  const nonce = randomBytes(GCM_NONCE_SIZE);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([cipher.update(message), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

function aesOpen(key: Buffer, raw: Buffer): Buffer | undefined {
  if (raw.length < GCM_NONCE_SIZE + GCM_TAG_SIZE) return undefined;
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, GCM_NONCE_SIZE));
  decipher.setAuthTag(raw.subarray(raw.length - GCM_TAG_SIZE));
  try {
    return Buffer.concat([decipher.update(raw.subarray(GCM_NONCE_SIZE, raw.length - GCM_TAG_SIZE)), decipher.final()]);
  } catch {
    return undefined;
  }
}

function chachaSeal(key: Buffer, message: Buffer): Buffer {
  const nonce = randomBytes(XCHACHA20_POLY1305_NONCE_SIZE);
  return Buffer.concat([nonce, xchacha20Poly1305Seal(key, nonce, message)]);
}

function chachaOpen(key: Buffer, raw: Buffer): Buffer | undefined {
  // Kratos checks the decoded length before slicing off the nonce.
  if (raw.length < XCHACHA20_POLY1305_NONCE_SIZE) throw new KratosError(400, { reason: "cipher text too short" });
  return xchacha20Poly1305Open(key, raw.subarray(0, XCHACHA20_POLY1305_NONCE_SIZE), raw.subarray(XCHACHA20_POLY1305_NONCE_SIZE));
}

/** Go's hex.DecodeString: even length, hex digits only (either case). */
function decodeHex(text: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text))
    throw new KratosError(400, { reason: "Unable to decode hex encrypted string" });
  return Buffer.from(text, "hex");
}

/** herodot's ErrMisconfiguration with Kratos' reason. */
function misconfigured(reason: string): KratosError {
  return new KratosError(500, { id: "invalid_configuration", message: "Invalid configuration", reason });
}

/**
 * Kratos' config schema: `aes` and `xchacha20-poly1305` need
 * `secrets.cipher` (with an unknown algorithm, the schema's enum refuses it).
 */
export function checkCipherConfig(config: CipherConfig): void {
  const parsed = algorithmSchema.safeParse(config.ciphers ?? {});
  if (!parsed.success) throw new ConfigError("ciphers.algorithm: must be one of noop, aes, xchacha20-poly1305");
  const algorithm = parsed.data.algorithm ?? "noop";
  if (algorithm !== "noop" && cipherSecrets(config).length === 0)
    throw new ConfigError(`secrets.cipher: ciphers.algorithm "${algorithm}" needs at least one cipher secret of 32 characters`);
}
