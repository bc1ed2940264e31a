import type { OlympusConfig } from "@olympus/sdk/config";

/**
 * The Content-Security-Policy of every Hera page: scripts only with this
 * response's nonce (and what they load, 'strict-dynamic'), network calls only
 * to Hera and this domain's Kratos (Ory Elements submits there), images from
 * Hera or data: URLs (the TOTP QR code), never framed, no plugins, no <base>.
 * `nonce` must be fresh per response.
 */
export function contentSecurityPolicy(config: Pick<OlympusConfig, "browser" | "environment">, nonce: string, dev: boolean): string {
  const kratos = new URL(config.browser.kratosPublicUrl).origin;
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Styles cannot be nonce-bound here: Ory Elements' toasts (sonner) and code
    // input (input-otp) insert <style> elements at run time, React sets style
    // attributes, and the dev server injects CSS. Scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${kratos}`,
    `form-action 'self' ${kratos}`,
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "manifest-src 'self'",
  ];
  if (config.environment === "production") directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/**
 * A fresh nonce for one response's CSP: 128 bits of randomness (a UUID), so a
 * nonce seen in one page never unlocks a script in another.
 */
export function newCspNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString("base64");
}

/** Headers every response carries, besides the CSP. */
export function securityHeaders(config: Pick<OlympusConfig, "environment">): Record<string, string> {
  const headers: Record<string, string> = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  };
  // Outside development, browsers must only ever reach Hera over HTTPS.
  if (config.environment !== "development") headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}
