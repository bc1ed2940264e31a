/** Any origin will do: only whether a candidate stays on it matters. */
const PROBE_ORIGIN = "https://same-origin.invalid";

/** How often a value may be percent-decoded while looking for a hidden `//` or `\`. */
const MAX_DECODE_ROUNDS = 4;

/**
 * The candidate as a path on this site (path, query and fragment, normalised
 * by the URL parser), or `fallback` when it could lead anywhere else.
 *
 * Browsers read `\` as `/` and drop tabs and newlines inside URLs, and some
 * frameworks percent-decode a redirect target once more before using it, so
 * `/\evil.example`, `/%5Cevil.example`, `/%09/evil.example` and `//evil.example`
 * all leave the site. Anything that is not a plain path, or that turns into
 * one of those at any depth of decoding, is refused rather than repaired.
 */
export function sameOriginPath(candidate: string | null | undefined, fallback = "/"): string {
  if (typeof candidate !== "string" || !candidate.startsWith("/")) return fallback;
  let decoded = candidate;
  for (let round = 0; round <= MAX_DECODE_ROUNDS; round += 1) {
    if (!isPlainPath(decoded)) return fallback;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return fallback;
    }
    if (next === decoded) break;
    if (round === MAX_DECODE_ROUNDS) return fallback;
    decoded = next;
  }
  let url: URL;
  try {
    url = new URL(candidate, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A path that no browser could read as another origin: one leading slash, no backslash, no control characters. */
function isPlainPath(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  return value.startsWith("/") && !value.startsWith("//") && !value.includes("\\") && !/[\u0000-\u001f\u007f]/.test(value);
}
