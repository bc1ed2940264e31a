import type { KratosConfig } from "../../../config/load";
import { messages, type UiText } from "../../../ui/messages";

const MAX_SIMILARITY_CHECK_LENGTH = 1024;
const MIN_IDENTIFIER_PASSWORD_DISTANCE = 5;
const MAX_SUBSTRING_THRESHOLD = 0.5;
/** bcrypt only looks at the first 72 bytes; Kratos refuses longer passwords. */
const MAX_PASSWORD_BYTES = 72;

/**
 * Kratos' password policy (selfservice/strategy/password/validator.go):
 * minimum length, and — when enabled — a password must not be too similar
 * to the identifier (Levenshtein distance < 5 or longest common substring
 * over half the password). The haveibeenpwned check needs network access and
 * is not performed (see README).
 */
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
