import type { KratosConfig } from "../../../config/load";
import { messages, type UiText } from "../../../ui/messages";
import { isCommonPassword } from "./common-passwords";
import { isTooSimilarToIdentifier } from "./identifier-similarity";

/** bcrypt only looks at the first 72 bytes; Kratos' hasher refuses longer passwords (hash/hasher_bcrypt.go Generate). */
const MAX_PASSWORD_BYTES = 72;

/**
 * registration.go validateCredentials (registration and settings): the
 * policy runs once per password identifier the schema gives — each as the
 * extension left it, lower-cased, untrimmed — and the first violation wins,
 * so a password too similar to any identifier is refused. Only a password
 * the policy lets through reaches the hasher, whose bcrypt refuses one over
 * 72 bytes (Register waits for the hash after validateCredentials; settings
 * runs the three at once and answers whichever fails first — here the
 * policy, as registration does).
 */
export function checkPasswordPolicyPerIdentifier(
  config: KratosConfig,
  identifiers: readonly string[],
  password: string,
): UiText | undefined {
  for (const identifier of identifiers.length > 0 ? identifiers : [""]) {
    const violation = checkPasswordPolicy(config, identifier, password);
    if (violation) return violation;
  }
  const bytes = Buffer.byteLength(password);
  if (config.hashers.algorithm === "bcrypt" && bytes > MAX_PASSWORD_BYTES) return messages.passwordMaxLength(MAX_PASSWORD_BYTES, bytes);
  return undefined;
}

/**
 * Kratos' password policy (selfservice/strategy/password/validator.go), in
 * its order: minimum length (Go's len: UTF-8 bytes, so `äöü` is 6); when
 * enabled, not too similar to the identifier (identifier-similarity.ts);
 * when `haveibeenpwned_enabled` (Kratos' default), not breached.
 * Kratos asks the HIBP range API for the last one; this server, without
 * network, refuses the common passwords of a shipped list instead (see
 * common-passwords.ts and the README). Like Kratos, it applies to passwords
 * users choose (registration, settings), never to admin-imported ones.
 */
export function checkPasswordPolicy(config: KratosConfig, identifier: string, password: string): UiText | undefined {
  const policy = config.selfservice.methods.password.config;
  const length = Buffer.byteLength(password);
  if (length < policy.min_password_length) return messages.passwordMinLength(policy.min_password_length, length);
  if (policy.identifier_similarity_check_enabled && identifier.length > 0 && isTooSimilarToIdentifier(identifier, password))
    return messages.passwordTooSimilar();
  if (policy.haveibeenpwned_enabled && isCommonPassword(password)) {
    // The list has no breach counts: report the lowest count Kratos refuses under this config.
    return messages.passwordTooManyBreaches((policy.max_breaches ?? 0) + 1);
  }
  return undefined;
}
