/**
 * The user code as Hydra compares it: exactly (an HMAC of the string), so
 * case is kept. People copy codes with stray spaces or type them in groups
 * ("ABCD EFGH", "ABCD-EFGH"); Hydra's alphabets have neither spaces nor
 * dashes, so both are dropped.
 */
export function normalizeUserCode(typed: string): string {
  return typed.replace(/[\s-]+/g, "");
}

/** A user code worth sending to Hydra: Hydra's presets make 8–9 characters; anything far off is a typo. */
export function plausibleUserCode(code: string): boolean {
  return code.length >= 4 && code.length <= 64;
}
