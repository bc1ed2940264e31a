import type { UiText } from "../ui/messages";

/**
 * Olympus' own message id for "a limit is exhausted". Kratos' validation ids
 * count up from 4000001 (4000043 is the newest this server knows); 4000429
 * echoes HTTP 429 and stays clear of that range. One constant text for every
 * limit and every identifier, known or not, so it reveals nothing about
 * accounts; the wait is in `context.retry_after_seconds` (and `Retry-After`).
 */
export const RATE_LIMITED_MESSAGE_ID = 4000429;
export const RATE_LIMITED_TEXT = "Too many attempts. Please wait a while before you try again.";

export function rateLimitMessage(retryAfterSeconds: number): UiText {
  return { id: RATE_LIMITED_MESSAGE_ID, text: RATE_LIMITED_TEXT, type: "error", context: { retry_after_seconds: retryAfterSeconds } };
}
