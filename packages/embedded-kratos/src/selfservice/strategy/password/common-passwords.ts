import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { dictionary } from "@zxcvbn-ts/language-common";

/**
 * Offline stand-in for Kratos' HaveIBeenPwned range lookup, which this server
 * cannot reach: the frequency-ranked list zxcvbn-ts ships — the 49,233
 * passwords seen more than 10 times in the 10-million-credential breach
 * corpus it is built from, lower-cased — covers the 10,000 most common ones
 * many times over. HIBP, which holds that corpus and far more, can be
 * expected to count each of them above any `max_breaches` Kratos accepts
 * (at most 100), so they are refused whatever that setting says.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary["passwords-common"]);

/**
 * The list's generator dropped the passwords zxcvbn finds faster by pattern
 * than by their rank (repeats, sequences, dates: `00000000`, `abcdefgh`,
 * `87654321`, `12341234`), so they are put back by asking the same pattern
 * matchers, without dictionaries: a password they guess within as many tries
 * as the list has entries is as weak as a listed one.
 */
const PATTERN_GUESS_LIMIT = COMMON_PASSWORDS.size;

/**
 * Patterns are only looked for in passwords up to this length: no dropped
 * entry is longer (the longest listed password has 20 characters), and the
 * matchers' cost grows with the length, on the request's thread.
 */
const PATTERN_CHECK_MAX_LENGTH = 64;

const patternMatcher = new ZxcvbnFactory({ maxLength: PATTERN_CHECK_MAX_LENGTH });

/** Whether the password is a common (breached) one: listed, whatever its case, or as easily guessed by pattern. */
export function isCommonPassword(password: string): boolean {
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return true;
  return password.length <= PATTERN_CHECK_MAX_LENGTH && patternMatcher.check(password).guesses < PATTERN_GUESS_LIMIT;
}
