import { deriveEncryptionKey, EncryptionKeyError, type EncryptionKey } from "@olympus/athena-store/settings";
import { CliError, configError } from "./errors";

/**
 * What the commands that open the `olympus` settings database directly
 * (rotate-key, kratos-settings) share: keys read from named variables, and
 * connection failures said in terms of the variable to fix.
 */

/** The settings key from `variableName`'s value; a key that is too short or an example names that variable. */
export function encryptionKeyFromVariable(variableName: string, value: string, mode: "production" | "development"): EncryptionKey {
  try {
    return deriveEncryptionKey(value, mode);
  } catch (error) {
    if (error instanceof EncryptionKeyError) throw configError(`${variableName} ${error.message.replace(/^ENCRYPTION_KEY /, "")}`);
    throw error;
  }
}

/** A connection that fails before any query: where to, and which variable to fix. Other errors are returned unchanged. */
export function olympusDatabaseError(error: unknown, url: string, variableName: string): unknown {
  const code = (error as { code?: unknown }).code;
  const target = new URL(url);
  const where = `${target.hostname}:${target.port || 5432}`;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "EAI_AGAIN") {
    return new CliError("unreachable", [`the olympus database at ${where} is unreachable (${String(code)}); check ${variableName}`]);
  }
  if (code === "28P01" || code === "28000") {
    return new CliError("config", [
      `the olympus database at ${where} refused ${decodeURIComponent(target.username) || "the role"} (${String(code)}); check the role and password in ${variableName}`,
    ]);
  }
  return error;
}
