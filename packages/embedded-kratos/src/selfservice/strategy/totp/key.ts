import { createGuardrails, generateSecret, verifySync } from "otplib";
import QRCode from "qrcode";

/**
 * TOTP keys as Kratos stores them: the credential config holds the whole
 * `otpauth://` URL (`{"totp_url": ...}`), so the issuer and account name
 * shown in the app travel with the secret.
 */

/** RFC 4226 recommends a 160-bit shared secret (Kratos uses the same). */
const SECRET_BYTES = 20;

/** One 30 s period of clock skew either way (pquerna/otp's totp.Validate, Skew 1), in seconds. */
const SKEW_SECONDS = 30;

/**
 * pquerna/otp checks no secret length, so a key imported with a short
 * secret still verifies in Kratos; otplib refuses secrets under 16 bytes
 * unless its guardrails are relaxed.
 */
const ANY_SECRET_LENGTH = createGuardrails({ MIN_SECRET_BYTES: 1, MAX_SECRET_BYTES: 1024 });

export interface TotpKey {
  secret: string;
  url: string;
}

export function newTotpKey(issuer: string, accountName: string): TotpKey {
  const secret = generateSecret({ length: SECRET_BYTES });
  return { secret, url: totpUrl(issuer, accountName, secret) };
}

/** The otpauth URL in pquerna/otp's form (label `Issuer:account`, query keys sorted). */
export function totpUrl(issuer: string, accountName: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = new URLSearchParams({ algorithm: "SHA1", digits: "6", issuer, period: "30", secret });
  return `otpauth://totp/${label}?${query.toString()}`;
}

/** The base32 secret of an otpauth URL, or undefined when the URL is not a usable TOTP key. */
export function secretFromUrl(url: unknown): string | undefined {
  if (typeof url !== "string" || !url.startsWith("otpauth://totp/")) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const secret = parsed.searchParams.get("secret");
  return secret && /^[A-Z2-7]+=*$/i.test(secret) ? secret.toUpperCase() : undefined;
}

export function verifyTotp(code: string, secret: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  try {
    // Six digits, SHA-1, 30 s period: otplib's defaults and Kratos' key settings.
    return verifySync({ secret, token: code, epochTolerance: SKEW_SECONDS, guardrails: ANY_SECRET_LENGTH }).valid;
  } catch {
    return false;
  }
}

/** A 256×256 PNG of the otpauth URL as a data: URI (what Kratos puts in the `totp_qr` image node). */
export function qrCodeDataUri(url: string): Promise<string> {
  return QRCode.toDataURL(url, { type: "image/png", width: 256, margin: 1, errorCorrectionLevel: "M" });
}
