/** Where an app's pages may reach beyond their own origin. */
export interface CspSources {
  /** Origins scripts may fetch from (e.g. Hera → its Kratos). */
  connect?: readonly string[];
  /** Origins forms may post to or redirect through, besides the app itself. */
  formActions?: readonly string[];
}

/** The app's run mode, as its validated config states it. */
export type AppEnvironment = "development" | "production";

/**
 * The Content-Security-Policy of every page of a web app: scripts only with
 * this response's nonce (and what they load, 'strict-dynamic'), network calls
 * and form posts only to the app and the origins named, images from the app or
 * data:/blob: URLs, never framed, no plugins, no <base>. `nonce` must be fresh
 * per response; `devServer` allows eval for `next dev`'s hot reload only.
 */
export function contentSecurityPolicy(
  options: { environment: AppEnvironment; sources?: CspSources },
  nonce: string,
  devServer: boolean,
): string {
  const origins = (values: readonly string[] | undefined) => [...new Set((values ?? []).map((value) => new URL(value).origin))];
  const connect = origins(options.sources?.connect);
  const formActions = origins(options.sources?.formActions);
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${devServer ? " 'unsafe-eval'" : ""}`,
    // Styles cannot be nonce-bound: Ory Elements' toasts (sonner) and code input
    // (input-otp) insert <style> elements at run time, React sets style
    // attributes, and the dev server injects CSS. Scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...connect].join(" "),
    ["form-action 'self'", ...formActions].join(" "),
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "manifest-src 'self'",
  ];
  if (options.environment === "production") directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/**
 * A fresh nonce for one response's CSP: 128 bits of randomness (a UUID), so a
 * nonce seen in one page never unlocks a script in another.
 */
export function newCspNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString("base64");
}

/** Headers every response of an Olympus web app carries, besides the CSP. */
export function securityHeaders(environment: AppEnvironment): Record<string, string> {
  const headers: Record<string, string> = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  };
  // Outside development, browsers must only ever reach the app over HTTPS.
  if (environment !== "development") headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}
