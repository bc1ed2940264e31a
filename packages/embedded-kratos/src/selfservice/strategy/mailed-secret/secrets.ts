import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import type { KratosConfig } from "../../../config/load";

/** Kratos' one-time codes are six digits. */
export const CODE_LENGTH = 6;

export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, "0");
}

/**
 * One-time secrets are stored as HMACs keyed with the server's secret (like
 * Kratos' HMAC with secrets.default): a database dump alone does not allow
 * brute-forcing a six-digit code offline.
 */
export function hashSecret(config: KratosConfig, secret: string): Buffer {
  const key = config.secrets.default?.[0] ?? config.secrets.cookie?.[0] ?? "embedded-kratos-one-time-secret";
  return createHmac("sha256", key).update(secret.trim()).digest();
}

export function secretMatches(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
