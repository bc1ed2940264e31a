import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { KratosConfig } from "../../../config/load";

/**
 * code.MaskAddress (strategy.go): an address shown before the person proved
 * they know it. With an `@`: the first two bytes of the local part and
 * `****` (a local part shorter than two bytes is shown whole); otherwise the
 * first three and last two bytes around `****` (under six bytes: whole).
 * Go slices bytes, so a cut through a multi-byte character leaves invalid
 * UTF-8, which Go's JSON writes as one U+FFFD per byte — as here.
 */
export function maskAddress(address: string): string {
  const bytes = Buffer.from(address, "utf8");
  const at = bytes.indexOf(0x40);
  if (at >= 0) {
    if (at < 2) return address;
    return `${goBytesText(bytes.subarray(0, 2))}****@${goBytesText(bytes.subarray(at + 1))}`;
  }
  if (bytes.length < 6) return address;
  return `${goBytesText(bytes.subarray(0, 3))}****${goBytesText(bytes.subarray(bytes.length - 2))}`;
}

/** Keys the choice values when no secret is configured: unguessable, for this process's life. */
const PROCESS_KEY = randomBytes(32);

/**
 * What an address choice submits instead of the address, so the page never
 * holds it: std base64 of an HMAC-SHA256 over the flow's id and the address,
 * keyed with the server's secret (`secrets.default`, else `secrets.cookie`).
 * Deliberate deviation: Kratos' code.AddressToHashBase64 is the address'
 * bare SHA-256, which whoever sees the masked text (anyone who types the
 * account's e-mail) can brute-force back to the full phone number (~10^8
 * guesses). Clients only echo the value, so its form is not theirs to read.
 */
export function addressChoiceValue(config: KratosConfig, flowId: string, address: string): string {
  const key = config.secrets.default?.[0] ?? config.secrets.cookie?.[0] ?? PROCESS_KEY;
  return createHmac("sha256", key).update(`${flowId}\0${address}`, "utf8").digest("base64");
}

/** subtle.ConstantTimeCompare of two texts (false when their lengths differ). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes as Go's JSON encoder writes a string holding them: each byte not part of a valid character becomes U+FFFD. */
function goBytesText(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    let taken = 0;
    for (let size = 1; size <= 4 && i + size <= bytes.length && taken === 0; size++) {
      try {
        const text = strictUtf8.decode(bytes.subarray(i, i + size));
        out += text;
        taken = size;
      } catch {
        // not a whole character yet
      }
    }
    if (taken === 0) {
      out += "\ufffd";
      taken = 1;
    }
    i += taken;
  }
  return out;
}
