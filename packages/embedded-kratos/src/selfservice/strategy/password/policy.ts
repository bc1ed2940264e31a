import type { KratosConfig } from "../../../config/load";
import { messages, type UiText } from "../../../ui/messages";
import { isCommonPassword } from "./common-passwords";

const MAX_SIMILARITY_CHECK_LENGTH = 1024;
const MIN_IDENTIFIER_PASSWORD_DISTANCE = 5;
const MAX_SUBSTRING_THRESHOLD = 0.5;
/** bcrypt only looks at the first 72 bytes; Kratos refuses longer passwords. */
const MAX_PASSWORD_BYTES = 72;

/**
 * Kratos' password policy (selfservice/strategy/password/validator.go), in
 * its order: minimum length; when enabled, not too similar to the identifier
 * (Levenshtein distance < 5 or longest common substring over half the
 * password); when `haveibeenpwned_enabled` (Kratos' default), not breached.
 * Kratos asks the HIBP range API for the last one; this server, without
 * network, refuses the common passwords of a shipped list instead (see
 * common-passwords.ts and the README). Like Kratos, it applies to passwords
 * users choose (registration, settings), never to admin-imported ones.
 */
/**
 * registration.go validateCredentials (registration and settings): the
 * policy runs once per password identifier the schema gives — each as the
 * extension left it, lower-cased, untrimmed — and the first violation wins,
 * so a password too similar to any identifier is refused.
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
  return undefined;
}

export function checkPasswordPolicy(config: KratosConfig, identifier: string, password: string): UiText | undefined {
  const policy = config.selfservice.methods.password.config;
  const length = [...password].length;
  if (length < policy.min_password_length) return messages.passwordMinLength(policy.min_password_length, length);
  if (config.hashers.algorithm === "bcrypt" && Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    return messages.passwordMaxLength(MAX_PASSWORD_BYTES, Buffer.byteLength(password));
  }
  if (
    policy.identifier_similarity_check_enabled &&
    identifier.length > 0 &&
    identifier.length <= MAX_SIMILARITY_CHECK_LENGTH &&
    password.length <= MAX_SIMILARITY_CHECK_LENGTH
  ) {
    const a = identifier.toLowerCase();
    const b = password.toLowerCase();
    const distance = levenshtein(a, b);
    const lcs = longestCommonSubstring(a, b) / b.length;
    if (distance < MIN_IDENTIFIER_PASSWORD_DISTANCE || lcs > MAX_SUBSTRING_THRESHOLD) return messages.passwordTooSimilar();
  }
  if (policy.haveibeenpwned_enabled && isCommonPassword(password)) {
    // The list has no breach counts: report the lowest count Kratos refuses under this config.
    return messages.passwordTooManyBreaches((policy.max_breaches ?? 0) + 1);
  }
  return undefined;
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

export function longestCommonSubstring(a: string, b: string): number {
  let best = 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        cur[j] = (prev[j - 1] ?? 0) + 1;
        if ((cur[j] ?? 0) > best) best = cur[j] ?? 0;
      }
    }
    prev = cur;
  }
  return best;
}
