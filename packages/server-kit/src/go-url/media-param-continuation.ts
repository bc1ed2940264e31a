/**
 * mime.ParseMediaType's RFC 2231 step (mediatype.go: the continuation map,
 * decode2231Enc, percentHexUnescape): parameters whose name holds a `*`
 * are gathered by the name before it, then `name*` (charset'lang'value,
 * percent-encoded, us-ascii or utf-8 only) or `name*0`, `name*1*`, … in
 * order replace a plain `name`. Values are byte strings.
 */

const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/** percentHexUnescape: undefined when a `%` is not followed by two hex digits. */
function percentHexUnescape(s: string): string | undefined {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "%") {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) return undefined;
    out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
    i += 2;
  }
  return out;
}

/** decode2231Enc: `charset'language'value`. */
function decode2231(v: string): string | undefined {
  const first = v.indexOf("'");
  const second = first === -1 ? -1 : v.indexOf("'", first + 1);
  if (second === -1) return undefined;
  const charset = v.slice(0, first).replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (charset !== "us-ascii" && charset !== "utf-8") return undefined;
  return percentHexUnescape(v.slice(second + 1));
}

/** The name a parameter is gathered under: the part before its first `*`, or undefined for a plain parameter. */
export const continuationBase = (name: string): string | undefined => (name.includes("*") ? name.slice(0, name.indexOf("*")) : undefined);

/** Sets into `params` what each gathered parameter stitches to (Go's second loop over `continuation`). */
export function stitchContinuations(params: Map<string, string>, continuation: Map<string, Map<string, string>>): void {
  for (const [key, pieces] of continuation) {
    const single = pieces.get(`${key}*`);
    if (single !== undefined) {
      const decoded = decode2231(single);
      if (decoded !== undefined) params.set(key, decoded);
      continue;
    }
    let value = "";
    let valid = false;
    for (let n = 0; ; n++) {
      const simple = pieces.get(`${key}*${n}`);
      if (simple !== undefined) {
        valid = true;
        value += simple;
        continue;
      }
      const encoded = pieces.get(`${key}*${n}*`);
      if (encoded === undefined) break;
      valid = true;
      value += (n === 0 ? decode2231(encoded) : percentHexUnescape(encoded)) ?? "";
    }
    if (valid) params.set(key, value);
  }
}
